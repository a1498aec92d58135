import type { Cents } from '@/lib/realtime/contract';

const money = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

const signedMoney = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  signDisplay: 'always',
});

/** 123456 -> "1,234.56". Money is formatted here and nowhere else. */
export function formatCents(cents: Cents): string {
  return money.format(cents / 100);
}

export function formatDelta(cents: Cents): string {
  return signedMoney.format(cents / 100);
}

/** "12.50" or "12,5" -> 1250 cents, or null when it is not an amount. */
export function parseCents(text: string): Cents | null {
  const cleaned = text.trim().replace(',', '.');
  if (!/^\d{1,10}(\.\d{1,2})?$/.test(cleaned)) return null;

  const [whole, fraction = ''] = cleaned.split('.');

  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** Decimal odds for a side staking `own` to win `other`: 10 vs 8 -> 1.80. */
export function impliedOdds(own: Cents, other: Cents): string {
  return ((own + other) / own).toFixed(2);
}

const dateTime = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

export function formatStart(iso: string): string {
  return dateTime.format(new Date(iso));
}
