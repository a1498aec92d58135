import { queryRows, sql, toCents, type Db } from '@/lib/db/client';
import type { Push, PushMessage, PushName, ResumeCursor } from './contract';

// What a reconnecting client missed, read back from the outbox. A room
// whose gap reaches past what the outbox still keeps is reported stale,
// and the client reloads its snapshot instead.

/** The most pushes one room may replay before a snapshot is cheaper. */
export const MAX_REPLAY_PER_ROOM = 10_000;

export interface Replay {
  pushes: PushMessage[];
  stale: string[];
}

interface ReplayRow {
  name: PushName;
  payload: string;
  seq: unknown;
}

/** The seq of the newest published push: what a snapshot reflects. */
export async function currentSeq(db: Db): Promise<number> {
  const [row] = await queryRows<{ seq: unknown }>(
    db,
    sql`select greatest(
        (select coalesce(max(seq), 0) from outbox),
        (select coalesce(max(pruned_through), 0) from outbox_watermark)
      ) as seq`,
  );

  return toCents(row?.seq);
}

export async function replayMissed(
  db: Db,
  cursor: ResumeCursor,
): Promise<Replay> {
  const prunedThrough = await watermark(db);
  const bySeq = new Map<number, PushMessage>();
  const stale: string[] = [];

  for (const [room, after] of Object.entries(cursor)) {
    const rows = after < prunedThrough ? null : await missedIn(db, room, after);

    if (!rows) {
      stale.push(room);
      continue;
    }
    for (const row of rows) bySeq.set(toCents(row.seq), toMessage(row));
  }

  const pushes = [...bySeq.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, push]) => push);

  return { pushes, stale };
}

async function watermark(db: Db): Promise<number> {
  const [row] = await queryRows<{ through: unknown }>(
    db,
    sql`select pruned_through as through from outbox_watermark
      where id = 'outbox'`,
  );

  return toCents(row?.through ?? 0);
}

// Null when the room missed more than a replay should carry.
async function missedIn(
  db: Db,
  room: string,
  after: number,
): Promise<ReplayRow[] | null> {
  const rows = await queryRows<ReplayRow>(
    db,
    sql`select name, payload, seq from outbox
      where seq > ${after} and rooms @> array[${room}]::text[]
      order by seq limit ${MAX_REPLAY_PER_ROOM + 1}`,
  );

  return rows.length > MAX_REPLAY_PER_ROOM ? null : rows;
}

function toMessage(row: ReplayRow): PushMessage {
  const payload = { ...JSON.parse(row.payload), seq: toCents(row.seq) };

  return { name: row.name, payload } as PushMessage;
}

/**
 * Every push published after `afterSeq`, with its rooms, oldest first:
 * what an instance relays itself when its subscription was down.
 */
export async function publishedSince(
  db: Db,
  afterSeq: number,
): Promise<Push[]> {
  const rows = await queryRows<ReplayRow & { rooms: string[] }>(
    db,
    sql`select name, rooms, payload, seq from outbox
      where seq > ${afterSeq} order by seq limit ${MAX_REPLAY_PER_ROOM}`,
  );

  return rows.map((row) => ({ ...toMessage(row), rooms: row.rooms }) as Push);
}
