'use client';

import Link from 'next/link';
import { useCallback, useState } from 'react';
import { ApiError, apiFetch } from '@/lib/client/api';
import { formatCents, formatDelta } from '@/lib/client/format';
import type { Wallet } from '@/lib/domain/ledger';
import type { TransactionPage, WalletTransaction } from '@/lib/domain/wallet';
import type { WalletReason } from '@/lib/realtime/contract';
import { useEventNames, type EventNames } from '@/hooks/use-event-names';
import { useSnapshot } from '@/hooks/use-snapshot';
import { useSocketEvent } from '@/hooks/use-socket';
import { useWallet } from '@/hooks/use-wallet';
import { LocalTime } from './local-time';

const REASON_LABEL: Record<WalletReason, string> = {
  signup: 'Sign-up bonus',
  credit: 'Credit',
  bet_placed: 'Bet placed',
  bet_accepted: 'Bet taken',
  bet_cancelled: 'Bet cancelled',
  bet_won: 'Bet won',
  bet_lost: 'Bet lost',
  bet_void: 'Bet void',
};

/** The wallet page: live balances above the ledger history. */
export function WalletHistory(props: {
  initialWallet: Wallet;
  initialPage: TransactionPage;
  pageSize: number;
  eventNames: EventNames;
}) {
  const { wallet, lastChange } = useWallet(props.initialWallet);
  const history = useHistory(props.initialPage, props.pageSize);
  const eventIds = history.page.items.flatMap((row) =>
    row.eventId ? [row.eventId] : [],
  );
  const names = useEventNames(props.eventNames, eventIds);

  return (
    <div className="stack">
      <h1>Wallet</h1>
      <WalletBalances
        wallet={wallet ?? props.initialWallet}
        lastDelta={lastChange}
      />
      <section className="card stack" aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <HistoryTable rows={history.page.items} names={names} />
        <LoadMore history={history} />
      </section>
    </div>
  );
}

function WalletBalances(props: {
  wallet: Wallet;
  lastDelta: { delta: number; timestamp: number } | null;
}) {
  const { wallet, lastDelta } = props;

  return (
    <section className="card" aria-label="Balances">
      <dl className="wallet-figures" aria-live="polite">
        <div>
          <dt>Available</dt>
          <dd data-testid="wallet-available">
            {formatCents(wallet.availableBalance)}
            {lastDelta && lastDelta.delta !== 0 && (
              <span
                key={lastDelta.timestamp}
                className={`delta ${lastDelta.delta > 0 ? 'good' : 'bad'}`}
                aria-hidden="true"
              >
                {formatDelta(lastDelta.delta)}
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>In bets</dt>
          <dd data-testid="wallet-frozen">
            {formatCents(wallet.frozenBalance)}
          </dd>
        </div>
        <div>
          <dt>Total</dt>
          <dd data-testid="wallet-total">{formatCents(wallet.balance)}</dd>
        </div>
      </dl>
    </section>
  );
}

function HistoryTable(props: { rows: WalletTransaction[]; names: EventNames }) {
  if (props.rows.length === 0) {
    return <p className="muted">No money has moved yet.</p>;
  }

  return (
    <div className="table-scroll">
      <table className="table table-stack history-table">
        <caption className="visually-hidden">
          Wallet history, newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col" className="num">
              Change
            </th>
            <th scope="col" className="num">
              Available after
            </th>
            <th scope="col" className="num">
              In bets after
            </th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <HistoryRow key={row.id} row={row} names={props.names} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function HistoryRow({
  row,
  names,
}: {
  row: WalletTransaction;
  names: EventNames;
}) {
  return (
    <tr data-testid="wallet-row">
      <td data-label="When">
        <LocalTime iso={row.createdAt} />
      </td>
      <td data-label="What">
        <span className="history-reason">{REASON_LABEL[row.reason]}</span>
        {row.eventId && (
          <Link href={`/events/${row.eventId}`} className="history-event">
            {names[row.eventId] ?? 'View event'}
          </Link>
        )}
      </td>
      <td data-label="Change" className="num">
        <span className={toneOf(row.delta)}>{formatDelta(row.delta)}</span>
        {row.frozenDelta !== 0 && (
          <span className="muted history-frozen">
            {formatDelta(row.frozenDelta)} in bets
          </span>
        )}
      </td>
      <td data-label="Available after" className="num">
        {formatCents(row.availableAfter)}
      </td>
      <td data-label="In bets after" className="num">
        {formatCents(row.frozenAfter)}
      </td>
    </tr>
  );
}

function toneOf(cents: number): string {
  if (cents > 0) return 'good';

  return cents < 0 ? 'bad' : 'muted';
}

type History = ReturnType<typeof useHistory>;

function LoadMore({ history }: { history: History }) {
  if (!history.page.nextCursor && !history.error) return null;

  return (
    <div className="row">
      {history.page.nextCursor && (
        <button
          type="button"
          className="btn"
          onClick={history.loadMore}
          disabled={history.isLoading}
        >
          {history.isLoading ? 'Loading…' : 'Load more'}
        </button>
      )}
      {history.error && (
        <p className="form-error" role="alert">
          {history.error}
        </p>
      )}
    </div>
  );
}

/**
 * The loaded rows of history. The first page is reloaded after every
 * `wallet-update` and reconnect; older pages are kept when the fresh
 * first page reaches down to them, since ledger rows never change.
 */
function useHistory(initial: TransactionPage, pageSize: number) {
  const [page, setPage] = useState(initial);
  const [isLoading, setIsLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onFirstPage = useCallback((fresh: TransactionPage) => {
    setPage((current) => mergeFirstPage(current, fresh));
  }, []);
  const reload = useSnapshot(
    `/api/wallet/transactions?limit=${pageSize}`,
    onFirstPage,
    { skipFirst: true },
  );
  useSocketEvent('wallet-update', reload);

  const loadMore = async () => {
    if (!page.nextCursor) return;
    setIsLoading(true);
    setError(null);

    try {
      const older = await apiFetch<TransactionPage>(
        `/api/wallet/transactions?limit=${pageSize}&cursor=${page.nextCursor}`,
      );
      setPage((current) => appendPage(current, older));
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setIsLoading(false);
    }
  };

  return { page, isLoading, error, loadMore };
}

/** Puts a fresh first page on top, keeping older rows if they connect. */
function mergeFirstPage(
  current: TransactionPage,
  fresh: TransactionPage,
): TransactionPage {
  const oldestFresh = fresh.items.at(-1);
  const newestKept = current.items[0];
  const connects = oldestFresh && newestKept && newestKept.id >= oldestFresh.id;

  if (!fresh.nextCursor || !connects) return fresh;

  const older = current.items.filter((row) => row.id < oldestFresh.id);

  return {
    items: [...fresh.items, ...older],
    nextCursor: current.nextCursor,
  };
}

function appendPage(
  current: TransactionPage,
  older: TransactionPage,
): TransactionPage {
  const seen = new Set(current.items.map((row) => row.id));

  return {
    items: [
      ...current.items,
      ...older.items.filter((row) => !seen.has(row.id)),
    ],
    nextCursor: older.nextCursor,
  };
}

function messageOf(caught: unknown): string {
  return caught instanceof ApiError
    ? caught.message
    : 'Something went wrong. Try again.';
}
