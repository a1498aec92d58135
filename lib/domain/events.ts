import { queryRows, sql, type Db } from '@/lib/db/client';
import { events } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import {
  rooms,
  type EventStatus,
  type EventUpdatePush,
} from '@/lib/realtime/contract';
import type { Emit } from './mutation';

export interface EventView {
  id: string;
  name: string;
  sport: string;
  outcomes: string[];
  status: EventStatus;
  startsAt: string;
  streamUrl: string | null;
  score: string | null;
  clock: string | null;
  info: string | null;
  result: string | null;
  suspended: boolean;
  openBets: number;
  createdAt: string;
  updatedAt: string;
}

export interface NewEvent {
  name: string;
  sport: string;
  outcomes: string[];
  startsAt: string;
  streamUrl?: string | null;
}

export interface LiveInfo {
  score?: string | null;
  clock?: string | null;
  info?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a well-formed id; anything else is simply not found. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

const EVENT_COLUMNS = sql`
  e.id, e.name, e.sport, e.outcomes, e.status,
  e.starts_at as "startsAt", e.stream_url as "streamUrl",
  e.score, e.clock, e.info, e.result, e.suspended,
  e.created_at as "createdAt", e.updated_at as "updatedAt",
  (select count(*) from bets b
    where b.event_id = e.id and b.status = 'open')::int as "openBets"`;

type EventRow = Omit<EventView, 'startsAt' | 'createdAt' | 'updatedAt'> & {
  startsAt: Date | string;
  createdAt: Date | string;
  updatedAt: Date | string;
};

function toView(row: EventRow): EventView {
  return {
    ...row,
    openBets: Number(row.openBets),
    startsAt: new Date(row.startsAt).toISOString(),
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

export async function listEvents(
  db: Db,
  status?: EventStatus,
): Promise<EventView[]> {
  const filter = status ? sql`where e.status = ${status}` : sql``;
  const rows = await queryRows<EventRow>(
    db,
    sql`select ${EVENT_COLUMNS} from events e ${filter}
      order by case e.status when 'live' then 0 when 'scheduled' then 1
        else 2 end, e.starts_at, e.id
      limit 500`,
  );

  return rows.map(toView);
}

export async function getEvent(db: Db, id: string): Promise<EventView> {
  if (!isUuid(id)) throw eventNotFound();

  const [row] = await queryRows<EventRow>(
    db,
    sql`select ${EVENT_COLUMNS} from events e where e.id = ${id}`,
  );
  if (!row) throw eventNotFound();

  return toView(row);
}

export function eventNotFound(): AppError {
  return new AppError('EVENT_NOT_FOUND', 'There is no such event.');
}

export async function createEvent(
  tx: Db,
  emit: Emit,
  input: NewEvent,
): Promise<EventView> {
  const [row] = await tx
    .insert(events)
    .values({
      name: input.name,
      sport: input.sport,
      outcomes: input.outcomes,
      startsAt: new Date(input.startsAt),
      streamUrl: input.streamUrl ?? null,
    })
    .returning({ id: events.id });
  const event = await getEvent(tx, row!.id);

  emitEventUpdate(emit, event);

  return event;
}

/** Moves a scheduled event to live. */
export async function startEvent(
  tx: Db,
  emit: Emit,
  id: string,
): Promise<EventView> {
  await lockEvent(tx, id, 'update');

  const updated = await queryRows<{ id: string }>(
    tx,
    sql`update events set status = 'live', updated_at = now()
      where id = ${id} and status = 'scheduled' returning id`,
  );
  if (updated.length === 0) {
    throw new AppError('EVENT_NOT_OPEN', 'Only a scheduled event can start.');
  }

  const event = await getEvent(tx, id);
  emitEventUpdate(emit, event);

  return event;
}

/**
 * Suspends or resumes betting on an event that has not ended: while
 * suspended nobody can post or take an offer (withdrawing still works).
 */
export async function setSuspended(
  tx: Db,
  emit: Emit,
  id: string,
  suspended: boolean,
): Promise<EventView> {
  const current = await lockEvent(tx, id, 'update');

  if (current.status === 'finished' || current.status === 'cancelled') {
    throw new AppError('EVENT_NOT_OPEN', 'This event has already ended.');
  }

  await tx.execute(sql`update events set suspended = ${suspended},
    updated_at = now() where id = ${id}`);
  const event = await getEvent(tx, id);
  emitEventUpdate(emit, event);

  return event;
}

/** Throws unless the event takes offers and accepts right now. */
export function requireOpenForBetting(event: LockedEvent): void {
  if (event.status !== 'scheduled' && event.status !== 'live') {
    throw new AppError('EVENT_NOT_OPEN', 'This event takes no more bets.');
  }
  if (event.suspended) {
    throw new AppError(
      'EVENT_SUSPENDED',
      'Betting on this event is suspended for the moment.',
    );
  }
}

/** Updates score, clock or info text of an event that has not ended. */
export async function updateLiveInfo(
  tx: Db,
  emit: Emit,
  id: string,
  live: LiveInfo,
): Promise<EventView> {
  const current = await lockEvent(tx, id, 'update');

  if (current.status === 'finished' || current.status === 'cancelled') {
    throw new AppError('EVENT_NOT_OPEN', 'This event has already ended.');
  }

  await tx.execute(sql`
    update events set
      score = ${live.score === undefined ? current.score : live.score},
      clock = ${live.clock === undefined ? current.clock : live.clock},
      info = ${live.info === undefined ? current.info : live.info},
      updated_at = now()
    where id = ${id}`);

  const event = await getEvent(tx, id);
  emitEventUpdate(emit, event);

  return event;
}

interface LockedEvent {
  id: string;
  status: EventStatus;
  suspended: boolean;
  outcomes: string[];
  score: string | null;
  clock: string | null;
  info: string | null;
}

/**
 * Locks the event row. Bets take a share lock so that a result or cancel,
 * which takes the update lock, waits for them and then sees them.
 */
export async function lockEvent(
  tx: Db,
  id: string,
  mode: 'share' | 'update',
): Promise<LockedEvent> {
  if (!isUuid(id)) throw eventNotFound();

  const lock = mode === 'share' ? sql`for share` : sql`for update`;
  const [row] = await queryRows<LockedEvent>(
    tx,
    sql`select id, status, suspended, outcomes, score, clock, info
      from events where id = ${id} ${lock}`,
  );
  if (!row) throw eventNotFound();

  return row;
}

export function emitEventUpdate(
  emit: Emit,
  event: Pick<
    EventView,
    'id' | 'status' | 'suspended' | 'score' | 'clock' | 'info'
  >,
): void {
  const payload: EventUpdatePush = {
    eventId: event.id,
    status: event.status,
    suspended: event.suspended,
    score: event.score,
    clock: event.clock,
    info: event.info,
    timestamp: Date.now(),
  };

  emit({
    name: 'event-update',
    rooms: [rooms.event(event.id), rooms.global],
    payload,
  });
}
