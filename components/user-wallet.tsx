'use client';

import Link from 'next/link';
import { formatCents, formatDelta } from '@/lib/client/format';
import type { Wallet } from '@/lib/domain/ledger';
import type { WalletUpdatePush } from '@/lib/realtime/contract';
import { useAuth } from '@/hooks/use-auth';

/**
 * The signed-in bettor's money: what they own, what they can stake now
 * and what is held for their offers and matched bets.
 */
export function UserWallet({
  wallet,
  lastChange,
  loginHref,
}: {
  wallet: Wallet | null;
  lastChange: WalletUpdatePush | null;
  loginHref: string;
}) {
  const { user } = useAuth();

  if (!user) {
    return (
      <section className="card stack" aria-labelledby="wallet-title">
        <h2 id="wallet-title">Your wallet</h2>
        <p className="muted">
          <Link href={loginHref}>Log in</Link> to see your balance and bet with
          play money.
        </p>
      </section>
    );
  }

  return (
    <section className="card stack" aria-labelledby="wallet-title">
      <div className="row wallet-head">
        <h2 id="wallet-title">Your wallet</h2>
        <Link href="/wallet" className="wallet-history">
          History
        </Link>
      </div>
      {wallet ? (
        <Figures wallet={wallet} lastChange={lastChange} />
      ) : (
        <p className="muted">Loading your balance…</p>
      )}
    </section>
  );
}

function Figures({
  wallet,
  lastChange,
}: {
  wallet: Wallet;
  lastChange: WalletUpdatePush | null;
}) {
  return (
    <dl className="wallet-figures">
      <div>
        <dt>Balance</dt>
        <dd>{formatCents(wallet.balance)}</dd>
      </div>
      <div>
        <dt>Available</dt>
        <dd>
          {formatCents(wallet.availableBalance)}
          <Delta change={lastChange} />
        </dd>
      </div>
      <div>
        <dt>Frozen</dt>
        <dd>{formatCents(wallet.frozenBalance)}</dd>
      </div>
    </dl>
  );
}

/** The last change of the available balance, floating away. */
function Delta({ change }: { change: WalletUpdatePush | null }) {
  // A loser's settlement moves only frozen money: nothing to show.
  if (!change || change.delta === 0) return null;

  // A new key replays the animation; one settlement sends several changes
  // with the same timestamp, told apart by their reason.
  return (
    <span
      key={`${change.timestamp}-${change.reason}`}
      className={`delta ${change.delta > 0 ? 'good' : 'bad'}`}
    >
      {formatDelta(change.delta)}
    </span>
  );
}
