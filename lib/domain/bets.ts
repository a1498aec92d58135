import { queryRows, sql, toCents, type Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { rooms, type BetStatus } from '@/lib/realtime/contract';
import { isUuid, lockEvent, requireOpenForBetting } from './events';
import { moveOwn, walletPush, type Movement, type Wallet } from './ledger';
import type { Emit } from './mutation';

export interface BetView {
  id: string;
  eventId: string;
  creatorId: string;
  creatorUsername: string;
  creatorChoice: string;
  creatorAmount: number;
  acceptorAmount: number;
  keepWhenLive: boolean;
  status: BetStatus;
  acceptorId: string | null;
  acceptorUsername: string | null;
  winnerId: string | null;
  createdAt: string;
  acceptedAt: string | null;
  settledAt: string | null;
}

export interface NewBet {
  eventId: string;
  creatorChoice: string;
  creatorAmount: number;
  acceptorAmount: number;
  keepWhenLive?: boolean;
}

const BET_COLUMNS = sql`
  b.id, b.event_id as "eventId", b.creator_id as "creatorId",
  c.username as "creatorUsername", b.creator_choice as "creatorChoice",
  b.creator_amount as "creatorAmount", b.acceptor_amount as "acceptorAmount",
  b.keep_when_live as "keepWhenLive", b.status,
  b.acceptor_id as "acceptorId", a.username as "acceptorUsername",
  b.winner_id as "winnerId", b.created_at as "createdAt",
  b.accepted_at as "acceptedAt", b.settled_at as "settledAt"`;

const BET_FROM = sql`
  from bets b
  join users c on c.id = b.creator_id
  left join users a on a.id = b.acceptor_id`;

type BetRow = Omit<
  BetView,
  'creatorAmount' | 'acceptorAmount' | 'createdAt' | 'acceptedAt' | 'settledAt'
> & {
  creatorAmount: unknown;
  acceptorAmount: unknown;
  createdAt: Date | string;
  acceptedAt: Date | string | null;
  settledAt: Date | string | null;
};

const iso = (value: Date | string | null) =>
  value === null ? null : new Date(value).toISOString();

function toView(row: BetRow): BetView {
  return {
    ...row,
    creatorAmount: toCents(row.creatorAmount),
    acceptorAmount: toCents(row.acceptorAmount),
    createdAt: new Date(row.createdAt).toISOString(),
    acceptedAt: iso(row.acceptedAt),
    settledAt: iso(row.settledAt),
  };
}

export async function getBet(db: Db, id: string): Promise<BetView> {
  if (!isUuid(id)) throw betNotFound();

  const [row] = await queryRows<BetRow>(
    db,
    sql`select ${BET_COLUMNS} ${BET_FROM} where b.id = ${id}`,
  );
  if (!row) throw betNotFound();

  return toView(row);
}

function betNotFound(): AppError {
  return new AppError('BET_NOT_FOUND', 'There is no such bet.');
}

export async function listEventBets(
  db: Db,
  eventId: string,
  status?: BetStatus,
): Promise<BetView[]> {
  const filter = status ? sql`and b.status = ${status}` : sql``;
  const rows = await queryRows<BetRow>(
    db,
    sql`select ${BET_COLUMNS} ${BET_FROM}
      where b.event_id = ${eventId} ${filter}
      order by b.created_at desc, b.id
      limit 500`,
  );

  return rows.map(toView);
}

export async function listUserBets(db: Db, userId: string): Promise<BetView[]> {
  const rows = await queryRows<BetRow>(
    db,
    sql`select ${BET_COLUMNS} ${BET_FROM}
      where b.creator_id = ${userId} or b.acceptor_id = ${userId}
      order by b.created_at desc, b.id
      limit 500`,
  );

  return rows.map(toView);
}

/**
 * Posts an offer: the creator's stake moves from available to frozen in
 * the same transaction as the bet row.
 */
export async function createBet(
  tx: Db,
  emit: Emit,
  creatorId: string,
  input: NewBet,
): Promise<BetView> {
  const event = await lockEvent(tx, input.eventId, 'share');

  requireOpenForBetting(event);
  if (!event.outcomes.includes(input.creatorChoice)) {
    throw new AppError(
      'VALIDATION_ERROR',
      `creatorChoice must be one of: ${event.outcomes.join(', ')}.`,
    );
  }

  // The new row is read back with its creator's name in the same
  // statement: `b` is the inserted row, as BET_COLUMNS expects.
  const [row] = await queryRows<BetRow>(
    tx,
    sql`with b as (
        insert into bets (event_id, creator_id, creator_choice,
          creator_amount, acceptor_amount, keep_when_live)
        values (${input.eventId}, ${creatorId}, ${input.creatorChoice},
          ${input.creatorAmount}, ${input.acceptorAmount},
          ${input.keepWhenLive ?? false})
        returning *
      )
      select ${BET_COLUMNS} from b
      join users c on c.id = b.creator_id
      left join users a on a.id = b.acceptor_id`,
  );
  const bet = toView(row!);

  await freeze(tx, emit, creatorId, bet, bet.creatorAmount, 'bet_placed');
  emitNewBet(emit, bet);

  return bet;
}

/**
 * Takes the other side of an open offer. The status check and the change
 * are one statement, so of many concurrent takers exactly one wins.
 */
export async function acceptBet(
  tx: Db,
  emit: Emit,
  acceptorId: string,
  betId: string,
): Promise<BetView> {
  const current = await getBet(tx, betId);
  const event = await lockEvent(tx, current.eventId, 'share');

  if (current.creatorId === acceptorId) {
    throw new AppError(
      'CANNOT_ACCEPT_OWN_BET',
      'You cannot accept your own offer.',
    );
  }
  requireOpenForBetting(event);

  const taken = await queryRows<{ id: string }>(
    tx,
    sql`update bets set status = 'accepted', acceptor_id = ${acceptorId},
        accepted_at = now()
      where id = ${betId} and status = 'open'
      returning id`,
  );
  if (taken.length === 0) {
    throw new AppError('BET_NOT_OPEN', 'This offer is no longer open.');
  }

  const bet = await getBet(tx, betId);
  await freeze(tx, emit, acceptorId, bet, bet.acceptorAmount, 'bet_accepted');
  emit({
    name: 'bet-update',
    rooms: [rooms.event(bet.eventId)],
    payload: {
      id: bet.id,
      eventId: bet.eventId,
      status: 'accepted',
      action: 'accepted',
      acceptorId,
      acceptorUsername: bet.acceptorUsername ?? undefined,
      timestamp: Date.now(),
    },
  });

  return bet;
}

/** Withdraws an open offer and unfreezes the creator's stake. */
export async function cancelBet(
  tx: Db,
  emit: Emit,
  userId: string,
  betId: string,
): Promise<BetView> {
  const current = await getBet(tx, betId);
  // Every path takes the event, then the bet, then the accounts: a
  // settlement of this event runs fully before or after this cancel.
  await lockEvent(tx, current.eventId, 'share');

  if (current.creatorId !== userId) {
    throw new AppError(
      'NOT_BET_CREATOR',
      'Only the person who posted an offer can cancel it.',
    );
  }

  const cancelled = await queryRows<{ id: string }>(
    tx,
    sql`update bets set status = 'cancelled', settled_at = now()
      where id = ${betId} and status = 'open'
      returning id`,
  );
  if (cancelled.length === 0) {
    throw new AppError('BET_NOT_OPEN', 'This offer is no longer open.');
  }

  const bet = await getBet(tx, betId);
  await unfreeze(tx, emit, userId, bet);
  emitCancelled(emit, bet);

  return bet;
}

async function freeze(
  tx: Db,
  emit: Emit,
  userId: string,
  bet: BetView,
  amount: number,
  reason: 'bet_placed' | 'bet_accepted',
): Promise<void> {
  const wallet = await moveOwn(tx, {
    userId,
    from: 'available',
    amount,
    reason,
    betId: bet.id,
    eventId: bet.eventId,
  });
  emitWallet(emit, userId, wallet, -amount, reason);
}

async function unfreeze(
  tx: Db,
  emit: Emit,
  userId: string,
  bet: BetView,
): Promise<void> {
  const wallet = await moveOwn(tx, {
    userId,
    from: 'frozen',
    amount: bet.creatorAmount,
    reason: 'bet_cancelled',
    betId: bet.id,
    eventId: bet.eventId,
  });
  emitWallet(emit, userId, wallet, bet.creatorAmount, 'bet_cancelled');
}

function emitWallet(
  emit: Emit,
  userId: string,
  wallet: Wallet,
  delta: number,
  reason: Movement['reason'],
): void {
  emit({
    name: 'wallet-update',
    rooms: [rooms.user(userId)],
    payload: walletPush(wallet, delta, reason),
  });
}

function emitNewBet(emit: Emit, bet: BetView): void {
  emit({
    name: 'new-bet',
    rooms: [rooms.event(bet.eventId)],
    payload: {
      id: bet.id,
      eventId: bet.eventId,
      creatorId: bet.creatorId,
      creatorUsername: bet.creatorUsername,
      creatorChoice: bet.creatorChoice,
      creatorAmount: bet.creatorAmount,
      acceptorAmount: bet.acceptorAmount,
      keepWhenLive: bet.keepWhenLive,
      status: 'open',
      timestamp: Date.now(),
    },
  });
}

export function emitCancelled(
  emit: Emit,
  bet: Pick<BetView, 'id' | 'eventId'>,
): void {
  emit({
    name: 'bet-update',
    rooms: [rooms.event(bet.eventId)],
    payload: {
      id: bet.id,
      eventId: bet.eventId,
      status: 'cancelled',
      action: 'cancelled',
      timestamp: Date.now(),
    },
  });
}
