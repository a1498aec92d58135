import { queryRows, sql, toCents, type Db } from '@/lib/db/client';
import type { WalletReason } from '@/lib/realtime/contract';

export interface WalletTransaction {
  id: number;
  /** Change of the available balance. */
  delta: number;
  /** Change of the frozen (escrow) balance. */
  frozenDelta: number;
  reason: WalletReason;
  betId: string | null;
  eventId: string | null;
  availableAfter: number;
  frozenAfter: number;
  createdAt: string;
}

export interface TransactionPage {
  items: WalletTransaction[];
  nextCursor: string | null;
}

interface TransactionRow {
  id: unknown;
  delta: unknown;
  frozenDelta: unknown;
  reason: WalletReason;
  betId: string | null;
  eventId: string | null;
  availableAfter: unknown;
  frozenAfter: unknown;
  createdAt: Date | string;
}

/**
 * A user's ledger rows, newest first, with the balances after each one.
 * The running balances are summed at read time from the ledger itself,
 * so they can never disagree with it.
 */
export async function listTransactions(
  db: Db,
  userId: string,
  opts: { limit: number; cursor?: number },
): Promise<TransactionPage> {
  const before = opts.cursor ? sql`where id < ${opts.cursor}` : sql``;
  const rows = await queryRows<TransactionRow>(
    db,
    sql`
      with mine as (
        select
          max(case when kind = 'available' then id end) as available,
          max(case when kind = 'frozen' then id end) as frozen
        from accounts where user_id = ${userId}
      ), moves as (
        select e.id, e.reason, e.bet_id, e.event_id, e.created_at,
          (case when e.to_account_id = mine.available then e.amount else 0 end)
          - (case when e.from_account_id = mine.available then e.amount
              else 0 end) as d_available,
          (case when e.to_account_id = mine.frozen then e.amount else 0 end)
          - (case when e.from_account_id = mine.frozen then e.amount
              else 0 end) as d_frozen
        from ledger_entries e, mine
        where e.from_account_id in (mine.available, mine.frozen)
          or e.to_account_id in (mine.available, mine.frozen)
      ), running as (
        select *,
          sum(d_available) over (order by id) as available_after,
          sum(d_frozen) over (order by id) as frozen_after
        from moves
      )
      select r.id, r.d_available as delta, r.d_frozen as "frozenDelta",
        ${userFacingReason(userId)} as reason,
        r.bet_id as "betId", r.event_id as "eventId",
        r.available_after as "availableAfter",
        r.frozen_after as "frozenAfter", r.created_at as "createdAt"
      from (select * from running ${before}) r
      left join bets b on b.id = r.bet_id
      order by r.id desc
      limit ${opts.limit + 1}`,
  );

  return toPage(rows, opts.limit);
}

// A settlement row moves the loser's stake to the winner: it is a loss for
// one user and a win for the other, so the reason shown depends on who
// reads it.
function userFacingReason(userId: string) {
  return sql`case when r.reason in ('bet_won', 'bet_lost')
      then case when b.winner_id = ${userId} then 'bet_won' else 'bet_lost' end
      else r.reason end`;
}

function toPage(rows: TransactionRow[], limit: number): TransactionPage {
  const items = rows.slice(0, limit).map((row) => ({
    id: toCents(row.id),
    delta: toCents(row.delta),
    frozenDelta: toCents(row.frozenDelta),
    reason: row.reason,
    betId: row.betId,
    eventId: row.eventId,
    availableAfter: toCents(row.availableAfter),
    frozenAfter: toCents(row.frozenAfter),
    createdAt: new Date(row.createdAt).toISOString(),
  }));
  const last = items.at(-1);

  return {
    items,
    nextCursor: rows.length > limit && last ? String(last.id) : null,
  };
}

export interface AuditReport {
  ok: boolean;
  /** Sum of every account balance; zero when no money was made or lost. */
  totalBalance: number;
  negativeAccounts: number;
  /** Accounts whose balance differs from the sum of their ledger rows. */
  ledgerMismatches: number;
  /** Users whose frozen balance differs from their open and matched stakes. */
  frozenMismatches: number;
  /** Bets with more ledger payouts than a bet can have. */
  overpaidBets: number;
}

/** Checks the books: the invariants every committed state must satisfy. */
export async function auditLedger(db: Db): Promise<AuditReport> {
  const [row] = await queryRows<Record<string, unknown>>(db, AUDIT_SQL);
  const report = {
    totalBalance: toCents(row?.totalBalance),
    negativeAccounts: toCents(row?.negativeAccounts),
    ledgerMismatches: toCents(row?.ledgerMismatches),
    frozenMismatches: toCents(row?.frozenMismatches),
    overpaidBets: toCents(row?.overpaidBets),
  };
  const ok =
    report.totalBalance === 0 &&
    report.negativeAccounts === 0 &&
    report.ledgerMismatches === 0 &&
    report.frozenMismatches === 0 &&
    report.overpaidBets === 0;

  return { ok, ...report };
}

const AUDIT_SQL = sql`
  with moved as (
    select account_id, sum(delta) as net from (
      select to_account_id as account_id, amount as delta from ledger_entries
      union all
      select from_account_id, -amount from ledger_entries
    ) m group by account_id
  ), flows as (
    select a.id, a.balance, coalesce(moved.net, 0) as from_ledger
    from accounts a left join moved on moved.account_id = a.id
  ), stakes as (
    select user_id, sum(amount) as staked from (
      select creator_id as user_id, creator_amount as amount from bets
      where status in ('open', 'accepted')
      union all
      select acceptor_id, acceptor_amount from bets where status = 'accepted'
    ) s group by user_id
  ), payouts as (
    select bet_id from ledger_entries
    where reason in ('bet_won', 'bet_lost', 'bet_void', 'bet_cancelled')
    group by bet_id having count(*) > 2
  )
  select
    (select coalesce(sum(balance), 0) from accounts) as "totalBalance",
    (select count(*) from accounts
      where kind <> 'system' and balance < 0) as "negativeAccounts",
    (select count(*) from flows where balance <> from_ledger)
      as "ledgerMismatches",
    (select count(*) from accounts a
      left join stakes s on s.user_id = a.user_id
      where a.kind = 'frozen' and a.balance <> coalesce(s.staked, 0))
      as "frozenMismatches",
    (select count(*) from payouts) as "overpaidBets"`;
