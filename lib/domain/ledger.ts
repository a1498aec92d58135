import { queryRows, sql, toCents, type Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type {
  Cents,
  WalletReason,
  WalletUpdatePush,
} from '@/lib/realtime/contract';

// Money moves only here (and in the set-based settlement beside it): each
// movement is one statement that debits one account, credits another and
// writes the ledger row, inside the caller's transaction. Balances are
// never read into JavaScript, decided on and written back.

export type AccountKind = 'available' | 'frozen';

export type AccountRef = 'system' | { userId: string; kind: AccountKind };

export interface Movement {
  from: AccountRef;
  to: AccountRef;
  amount: Cents;
  reason: WalletReason;
  betId?: string;
  eventId?: string;
}

export interface Wallet {
  balance: Cents;
  availableBalance: Cents;
  frozenBalance: Cents;
}

function accountFilter(ref: AccountRef) {
  if (ref === 'system') return sql`kind = 'system'`;

  return sql`user_id = ${ref.userId} and kind = ${ref.kind}`;
}

/**
 * Moves `amount` between two accounts. Throws INSUFFICIENT_FUNDS when the
 * source is a user account holding less than the amount.
 */
export async function transfer(tx: Db, move: Movement): Promise<void> {
  // Both rows are locked in id order first: moving money one way and then
  // back (placing and withdrawing an offer) must not lock them in
  // opposite orders in two transactions, which would deadlock.
  await tx.execute(sql`
    select id from accounts
    where (${accountFilter(move.from)}) or (${accountFilter(move.to)})
    order by id for no key update`);

  const rows = await queryRows<{ entry: number | null }>(
    tx,
    sql`
      with src as (
        update accounts set balance = balance - ${move.amount}
        where ${accountFilter(move.from)}
          and (kind = 'system' or balance >= ${move.amount})
        returning id
      ), dst as (
        update accounts set balance = balance + ${move.amount}
        where ${accountFilter(move.to)} and exists (select 1 from src)
        returning id
      ), entry as (
        insert into ledger_entries
          (from_account_id, to_account_id, amount, reason, bet_id, event_id)
        select src.id, dst.id, ${move.amount}, ${move.reason},
          ${move.betId ?? null}, ${move.eventId ?? null}
        from src, dst
        returning id
      )
      select (select id from entry) as entry`,
  );

  if (rows[0]?.entry == null) throw insufficientFunds();
}

function insufficientFunds(): AppError {
  return new AppError(
    'INSUFFICIENT_FUNDS',
    'Your available balance is too low for this stake.',
  );
}

/** A movement between one user's own two accounts. */
export interface OwnMovement {
  userId: string;
  from: AccountKind;
  amount: Cents;
  reason: WalletReason;
  betId: string;
  eventId: string;
}

/**
 * Moves `amount` between a user's available and frozen accounts and
 * returns the wallet after it, in one statement: freezing a stake and
 * releasing it are the hot path of every offer, and each round trip to
 * the database is one more write on the server's event loop. Throws
 * INSUFFICIENT_FUNDS like `transfer`.
 */
export async function moveOwn(tx: Db, move: OwnMovement): Promise<Wallet> {
  const to: AccountKind = move.from === 'available' ? 'frozen' : 'available';

  // `locked` takes both row locks in id order, as `transfer` does, before
  // either update runs: each update reads its row through a scalar
  // subquery, which scans the whole (sorted, materialised) CTE. FOR
  // UPDATE rather than FOR NO KEY UPDATE: on one hot account it ran 15%
  // more transactions per second in P3's pgbench copy (docs/performance.md),
  // and every ledger row's foreign-key check on these rows comes from the
  // same transaction, so the stronger lock makes no one else wait.
  const rows = await queryRows<{
    entry: number | null;
    available: unknown;
    frozen: unknown;
  }>(
    tx,
    sql`
      with locked as materialized (
        select id, kind from accounts
        where user_id = ${move.userId} and kind in ('available', 'frozen')
        order by id for update
      ), src as (
        update accounts set balance = balance - ${move.amount}
        where id = (select id from locked where kind = ${move.from})
          and balance >= ${move.amount}
        returning kind, balance
      ), dst as (
        update accounts set balance = balance + ${move.amount}
        where id = (select id from locked where kind = ${to})
          and exists (select 1 from src)
        returning kind, balance
      ), entry as (
        insert into ledger_entries
          (from_account_id, to_account_id, amount, reason, bet_id, event_id)
        select (select id from locked where kind = ${move.from}),
          (select id from locked where kind = ${to}), ${move.amount},
          ${move.reason}, ${move.betId}, ${move.eventId}
        from dst
        returning id
      ), after as (
        select * from src union all select * from dst
      )
      select (select id from entry) as entry,
        (select balance from after where kind = 'available') as available,
        (select balance from after where kind = 'frozen') as frozen`,
  );

  const row = rows[0];
  if (row?.entry == null) throw insufficientFunds();

  return toWallet(row);
}

/**
 * Locks, in id order, the accounts of everyone with an open or matched bet
 * on the event, before a settlement updates them all at once: the same
 * order as single transfers, so the two cannot deadlock. The caller holds
 * the event lock, so no new staker can join meanwhile.
 */
export async function lockStakers(tx: Db, eventId: string): Promise<void> {
  await tx.execute(sql`
    select a.id from accounts a
    where a.user_id in (
      select creator_id from bets
      where event_id = ${eventId} and status in ('open', 'accepted')
      union
      select acceptor_id from bets
      where event_id = ${eventId} and status = 'accepted'
    )
    order by a.id for no key update`);
}

/** Creates the two accounts of a new user. */
export async function openAccounts(tx: Db, userId: string): Promise<void> {
  await tx.execute(sql`
    insert into accounts (user_id, kind)
    values (${userId}, 'available'), (${userId}, 'frozen')`);
}

/** Creates the system account once; safe to call at every start. */
export async function ensureSystemAccount(db: Db): Promise<void> {
  await db.execute(sql`
    insert into accounts (kind) values ('system')
    on conflict do nothing`);
}

/**
 * A list of uuids as one bound parameter. Both drivers accept a string
 * where they disagree on arrays, and one parameter has no count limit.
 */
export function uuidArray(ids: string[]) {
  return sql`string_to_array(${ids.join(',')}, ',')::uuid[]`;
}

export async function readWallets(
  tx: Db,
  userIds: string[],
): Promise<Map<string, Wallet>> {
  const rows = await queryRows<{
    userId: string;
    available: unknown;
    frozen: unknown;
  }>(
    tx,
    sql`
      select user_id as "userId",
        sum(balance) filter (where kind = 'available') as available,
        sum(balance) filter (where kind = 'frozen') as frozen
      from accounts
      where user_id = any(${uuidArray(userIds)})
      group by user_id`,
  );

  return new Map(rows.map((row) => [row.userId, toWallet(row)]));
}

function toWallet(row: { available: unknown; frozen: unknown }): Wallet {
  const availableBalance = toCents(row.available);
  const frozenBalance = toCents(row.frozen);

  return {
    balance: availableBalance + frozenBalance,
    availableBalance,
    frozenBalance,
  };
}

export async function readWallet(tx: Db, userId: string): Promise<Wallet> {
  const wallet = (await readWallets(tx, [userId])).get(userId);

  if (!wallet) throw new AppError('USER_NOT_FOUND', 'No such user.');

  return wallet;
}

export function walletPush(
  wallet: Wallet,
  delta: Cents,
  reason: WalletReason,
): WalletUpdatePush {
  return { ...wallet, delta, reason, timestamp: Date.now() };
}
