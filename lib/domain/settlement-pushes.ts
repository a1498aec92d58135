import type { Db } from '@/lib/db/client';
import {
  rooms,
  type BetResolvedPush,
  type UserResult,
  type WalletReason,
} from '@/lib/realtime/contract';
import type { EventView } from './events';
import { readWallets, walletPush } from './ledger';
import type { Emit } from './mutation';
import type { ResolvedBet } from './settlement';

// The pushes a settlement sends: one wallet-update per user and reason,
// one bet-resolved per side of each bet, one event-result. Built from the
// bets the set-based statements returned, after the money has moved.

export interface Tally extends UserResult {
  /** Change of the available balance, per wallet reason. */
  deltas: Map<WalletReason, number>;
}

/** What each side of each bet means for its user. */
function* stakesOf(bet: ResolvedBet) {
  yield {
    userId: bet.creatorId,
    own: bet.creatorAmount,
    other: bet.acceptorAmount,
  };
  if (bet.acceptorId) {
    yield {
      userId: bet.acceptorId,
      own: bet.acceptorAmount,
      other: bet.creatorAmount,
    };
  }
}

export function tallyByUser(resolved: ResolvedBet[]): Map<string, Tally> {
  const tally = new Map<string, Tally>();

  for (const bet of resolved) {
    for (const side of stakesOf(bet)) {
      const entry = tally.get(side.userId) ?? newTally(side.userId);
      applyOutcome(entry, bet, side);
      tally.set(side.userId, entry);
    }
  }

  return tally;
}

function newTally(userId: string): Tally {
  return { userId, net: 0, won: 0, lost: 0, void: 0, deltas: new Map() };
}

function applyOutcome(
  entry: Tally,
  bet: ResolvedBet,
  side: { userId: string; own: number; other: number },
): void {
  const add = (reason: WalletReason, delta: number) =>
    entry.deltas.set(reason, (entry.deltas.get(reason) ?? 0) + delta);

  if (bet.status === 'settled' && bet.winnerId === side.userId) {
    entry.won += 1;
    entry.net += side.other;
    add('bet_won', side.own + side.other);
  } else if (bet.status === 'settled') {
    entry.lost += 1;
    entry.net -= side.own;
    add('bet_lost', 0);
  } else {
    entry.void += bet.status === 'void' ? 1 : 0;
    add(bet.status === 'void' ? 'bet_void' : 'bet_cancelled', side.own);
  }
}

export async function emitWallets(
  tx: Db,
  emit: Emit,
  tally: Map<string, Tally>,
): Promise<void> {
  const wallets = await readWallets(tx, [...tally.keys()]);

  for (const [userId, entry] of tally) {
    const wallet = wallets.get(userId)!;
    for (const [reason, delta] of entry.deltas) {
      emit({
        name: 'wallet-update',
        rooms: [rooms.user(userId)],
        payload: walletPush(wallet, delta, reason),
      });
    }
  }
}

export function emitResolved(
  emit: Emit,
  eventId: string,
  resolved: ResolvedBet[],
): void {
  for (const bet of resolved) {
    for (const side of stakesOf(bet)) {
      emit({
        name: 'bet-resolved',
        rooms: [rooms.user(side.userId)],
        payload: resolvedPayload(eventId, bet, side),
      });
    }
  }
}

function resolvedPayload(
  eventId: string,
  bet: ResolvedBet,
  side: { userId: string; other: number },
): BetResolvedPush {
  const isWinner = bet.status === 'settled' && bet.winnerId === side.userId;
  const outcome =
    bet.status === 'settled' ? (isWinner ? 'won' : 'lost') : bet.status;

  return {
    eventId,
    betId: bet.id,
    outcome,
    isWinner,
    amount: isWinner ? side.other : 0,
    timestamp: Date.now(),
  };
}

export function emitResult(
  emit: Emit,
  event: EventView,
  result: string | null,
  resolved: ResolvedBet[],
  tally: Map<string, Tally>,
): void {
  const winners = new Set(
    resolved.flatMap((bet) => (bet.winnerId ? [bet.winnerId] : [])),
  );
  const userResults = [...tally.values()].map(
    ({ userId, net, won, lost, void: voided }) => ({
      userId,
      net,
      won,
      lost,
      void: voided,
    }),
  );

  emit({
    name: 'event-result',
    rooms: [rooms.event(event.id), rooms.global],
    payload: {
      eventId: event.id,
      result,
      status: result === null ? 'cancelled' : 'finished',
      affectedBets: resolved.length,
      affectedUsers: tally.size,
      winnerIds: [...winners],
      userResults,
      timestamp: Date.now(),
    },
  });
}
