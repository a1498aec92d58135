import { queryRows, sql, toCents, type Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { emitCancelled } from './bets';
import {
  emitEventUpdate,
  getEvent,
  lockEvent,
  startEvent,
  type EventView,
} from './events';
import { lockStakers } from './ledger';
import type { Emit } from './mutation';
import {
  emitResolved,
  emitResult,
  emitWallets,
  tallyByUser,
} from './settlement-pushes';

// Settlement is set-based: one statement per kind of change updates the
// bets, writes two ledger rows per bet and applies the summed deltas to
// the accounts, whatever the number of bets. JavaScript only reads the
// outcome back to build the pushes.

export interface SettlementSummary {
  event: EventView;
  settledBets: number;
  cancelledBets: number;
  voidBets: number;
}

interface ResolvedRow {
  id: string;
  status: 'settled' | 'cancelled' | 'void';
  creatorId: string;
  acceptorId: string | null;
  winnerId: string | null;
  creatorAmount: unknown;
  acceptorAmount: unknown;
}

export interface ResolvedBet {
  id: string;
  status: ResolvedRow['status'];
  creatorId: string;
  acceptorId: string | null;
  winnerId: string | null;
  creatorAmount: number;
  acceptorAmount: number;
}

/** Finishes an event with `result` and settles every bet on it. */
export async function registerResult(
  tx: Db,
  emit: Emit,
  eventId: string,
  result: string,
): Promise<SettlementSummary> {
  const event = await lockEvent(tx, eventId, 'update');

  if (event.status === 'finished') {
    throw new AppError(
      'EVENT_ALREADY_SETTLED',
      'This event already has a result.',
    );
  }
  if (event.status === 'cancelled') {
    throw new AppError('EVENT_NOT_OPEN', 'This event was cancelled.');
  }
  if (!event.outcomes.includes(result)) {
    throw new AppError(
      'VALIDATION_ERROR',
      `result must be one of: ${event.outcomes.join(', ')}.`,
    );
  }
  await lockStakers(tx, eventId);

  await tx.execute(sql`update events set status = 'finished',
    result = ${result}, updated_at = now() where id = ${eventId}`);
  const resolved = [
    ...(await settleAccepted(tx, eventId, result)),
    ...(await refund(tx, eventId, 'open', 'cancelled')),
  ];

  return finish(tx, emit, eventId, result, resolved);
}

/** Cancels an event: matched bets are void, open ones cancelled. */
export async function cancelEvent(
  tx: Db,
  emit: Emit,
  eventId: string,
): Promise<SettlementSummary> {
  const event = await lockEvent(tx, eventId, 'update');

  if (event.status === 'finished' || event.status === 'cancelled') {
    throw new AppError('EVENT_NOT_OPEN', 'This event has already ended.');
  }
  await lockStakers(tx, eventId);

  await tx.execute(sql`update events set status = 'cancelled',
    updated_at = now() where id = ${eventId}`);
  const resolved = [
    ...(await refund(tx, eventId, 'accepted', 'void')),
    ...(await refund(tx, eventId, 'open', 'cancelled')),
  ];

  return finish(tx, emit, eventId, null, resolved);
}

async function settleAccepted(
  tx: Db,
  eventId: string,
  result: string,
): Promise<ResolvedBet[]> {
  const rows = await queryRows<ResolvedRow>(
    tx,
    sql`
      with s as (
        update bets set status = 'settled', settled_at = now(),
          winner_id = case when creator_choice = ${result}
            then creator_id else acceptor_id end
        where event_id = ${eventId} and status = 'accepted'
        returning *
      ), m as (
        select s.*,
          case when winner_id = creator_id then acceptor_id
            else creator_id end as loser_id,
          case when winner_id = creator_id then creator_amount
            else acceptor_amount end as win_stake,
          case when winner_id = creator_id then acceptor_amount
            else creator_amount end as lose_stake
        from s
      ), moves as (
        select m.id as bet_id, wf.id as from_id, wa.id as to_id,
          m.win_stake as amount, 'bet_won'::text as reason
        from m
        join accounts wf on wf.user_id = m.winner_id and wf.kind = 'frozen'
        join accounts wa on wa.user_id = m.winner_id and wa.kind = 'available'
        union all
        select m.id, lf.id, wa.id, m.lose_stake, 'bet_lost'
        from m
        join accounts lf on lf.user_id = m.loser_id and lf.kind = 'frozen'
        join accounts wa on wa.user_id = m.winner_id and wa.kind = 'available'
      ), ${postMoves(eventId)}
      select ${RESOLVED_COLUMNS} from s`,
  );

  return rows.map(toResolved);
}

/**
 * Starts an event. Open offers lapse and are refunded, as on an exchange
 * at kick-off, except those their creator marked to keep.
 */
export async function kickOff(
  tx: Db,
  emit: Emit,
  eventId: string,
): Promise<EventView> {
  await startEvent(tx, emit, eventId);
  await lockStakers(tx, eventId);
  const lapsed = await refund(tx, eventId, 'open', 'cancelled', {
    keptOffersStay: true,
  });
  const event = await getEvent(tx, eventId);

  await emitWallets(tx, emit, tallyByUser(lapsed));
  emitResolved(emit, eventId, lapsed);
  for (const bet of lapsed) emitCancelled(emit, { id: bet.id, eventId });

  return event;
}

// Returns every `from` bet of the event to its stakers' available
// accounts and marks it `to`: open offers are cancelled, matched bets void.
async function refund(
  tx: Db,
  eventId: string,
  from: 'open' | 'accepted',
  to: 'cancelled' | 'void',
  opts: { keptOffersStay?: boolean } = {},
): Promise<ResolvedBet[]> {
  const reason = to === 'void' ? 'bet_void' : 'bet_cancelled';
  const kept = opts.keptOffersStay ? sql`and not keep_when_live` : sql``;
  const rows = await queryRows<ResolvedRow>(
    tx,
    sql`
      with s as (
        update bets set status = ${to}, settled_at = now()
        where event_id = ${eventId} and status = ${from} ${kept}
        returning *
      ), stakes as (
        select id, creator_id as user_id, creator_amount as amount from s
        union all
        select id, acceptor_id, acceptor_amount from s
        where acceptor_id is not null
      ), moves as (
        select st.id as bet_id, f.id as from_id, a.id as to_id,
          st.amount, ${reason}::text as reason
        from stakes st
        join accounts f on f.user_id = st.user_id and f.kind = 'frozen'
        join accounts a on a.user_id = st.user_id and a.kind = 'available'
      ), ${postMoves(eventId)}
      select ${RESOLVED_COLUMNS} from s`,
  );

  return rows.map(toResolved);
}

// The shared tail of a settlement statement: writes the ledger rows of
// `moves` and applies their sum to each account once.
function postMoves(eventId: string) {
  return sql`
    entries as (
      insert into ledger_entries
        (from_account_id, to_account_id, amount, reason, bet_id, event_id)
      select from_id, to_id, amount, reason, bet_id, ${eventId}::uuid
      from moves
      returning from_account_id, to_account_id, amount
    ), deltas as (
      select account_id, sum(delta) as delta from (
        select from_account_id as account_id, -amount as delta from entries
        union all
        select to_account_id, amount from entries
      ) d group by account_id
    ), applied as (
      update accounts set balance = accounts.balance + deltas.delta
      from deltas where accounts.id = deltas.account_id
      returning accounts.id
    )`;
}

const RESOLVED_COLUMNS = sql`
  s.id, s.status, s.creator_id as "creatorId", s.acceptor_id as "acceptorId",
  s.winner_id as "winnerId", s.creator_amount as "creatorAmount",
  s.acceptor_amount as "acceptorAmount"`;

function toResolved(row: ResolvedRow): ResolvedBet {
  return {
    ...row,
    creatorAmount: toCents(row.creatorAmount),
    acceptorAmount: toCents(row.acceptorAmount),
  };
}

async function finish(
  tx: Db,
  emit: Emit,
  eventId: string,
  result: string | null,
  resolved: ResolvedBet[],
): Promise<SettlementSummary> {
  const event = await getEvent(tx, eventId);
  const tally = tallyByUser(resolved);

  emitEventUpdate(emit, event);
  await emitWallets(tx, emit, tally);
  emitResolved(emit, eventId, resolved);
  emitResult(emit, event, result, resolved, tally);

  return {
    event,
    settledBets: count(resolved, 'settled'),
    cancelledBets: count(resolved, 'cancelled'),
    voidBets: count(resolved, 'void'),
  };
}

const count = (bets: ResolvedBet[], status: ResolvedBet['status']) =>
  bets.filter((bet) => bet.status === status).length;
