import { queryRows, sql, toCents, type Database } from '@/lib/db/client';
import type { Logger } from '@/lib/log';
import type { Bus } from './bus';
import type { Push, PushName } from './contract';

// Moves committed outbox rows onto the bus. One instance at a time holds
// the leader lock and publishes, in id order, stamping each push with the
// next `seq` as it goes: one publisher means clients see seq grow. A row
// is marked only after the bus took it, so a crash or a Redis outage
// leaves it for the next attempt instead of losing it.

const BATCH = 500;
const IDLE_MS = 50;
const LEAD_CHECK_MS = 1000;
const RETRY_MS = 500;
const PRUNE_EVERY_MS = 60_000;

/** How long published rows are kept for clients that resume. */
export const OUTBOX_RETENTION_MINUTES = 10;

export interface OutboxRelay {
  /** Publishes now rather than at the next poll. */
  nudge(): void;
  /** Stops polling after publishing what is committed (bounded). */
  stop(): Promise<void>;
}

interface OutboxRow {
  id: unknown;
  name: PushName;
  rooms: string[];
  payload: string;
}

export function startOutboxRelay(deps: {
  database: Database;
  bus: Bus;
  log: Logger;
}): OutboxRelay {
  const { database, bus, log } = deps;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let leader = false;
  let leaderCheckedAt = 0;
  let prunedAt = Date.now();
  let failing = false;

  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void run(), ms);
  };

  const run = async (): Promise<void> => {
    if (running) return running;
    running = cycle().finally(() => (running = undefined));

    return running;
  };

  // One pass: confirm leadership now and then, publish until the outbox
  // is empty, prune once a minute, then sleep until nudged or polled.
  async function cycle(): Promise<void> {
    let next = IDLE_MS;

    try {
      if (Date.now() - leaderCheckedAt > LEAD_CHECK_MS || !leader) {
        leader = await database.tryLead();
        leaderCheckedAt = Date.now();
      }
      if (leader) {
        while (!stopped && (await publishBatch(database, bus)) === BATCH);
        await pruneWhenDue();
      } else {
        next = LEAD_CHECK_MS;
      }
      if (failing) log.info('outbox relay publishing again');
      failing = false;
    } catch (error) {
      if (!failing) log.error({ err: error }, 'outbox relay cannot publish');
      failing = true;
      next = RETRY_MS;
    }

    schedule(next);
  }

  async function pruneWhenDue(): Promise<void> {
    if (Date.now() - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = Date.now();
    await pruneOutbox(database);
  }

  schedule(0);

  return {
    nudge() {
      if (!running) schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      if (leader) {
        await publishBatch(database, bus).catch((error: unknown) => {
          log.warn({ err: error }, 'outbox left unpublished at shutdown');
        });
      }
    },
  };
}

/**
 * Publishes up to one batch; returns how many rows it handled. The seq is
 * committed before anything is published: a push a client can receive is
 * always visible to a replay, and a publish that fails is retried later
 * with the same seq, so a repeat is a duplicate clients can drop.
 */
export async function publishBatch(
  database: Database,
  bus: Bus,
): Promise<number> {
  const assigned = await assignSeqs(database);
  const published = await publishAssigned(database, bus);

  return Math.max(assigned, published);
}

// Stamps the oldest unsequenced rows with the next seqs, in id order.
async function assignSeqs(database: Database): Promise<number> {
  return database.db.transaction(async (tx) => {
    const rows = await queryRows<{ id: unknown }>(
      tx,
      sql`select id from outbox where seq is null
        order by id limit ${BATCH} for update skip locked`,
    );
    if (rows.length === 0) return 0;

    const ids = rows.map((row) => toCents(row.id));
    await tx.execute(sql`
      update outbox set seq = v.seq
      from (
        select id, nextval('push_seq') as seq
        from unnest(string_to_array(${ids.join(',')}, ',')::bigint[])
          with ordinality as t(id, n)
        order by n
      ) v
      where outbox.id = v.id`);

    return rows.length;
  });
}

// Sends sequenced rows that were not sent yet, oldest seq first, and
// marks them once the bus took every one.
async function publishAssigned(database: Database, bus: Bus): Promise<number> {
  const rows = await queryRows<OutboxRow & { seq: unknown }>(
    database.db,
    sql`select id, name, rooms, payload, seq from outbox
      where seq is not null and published_at is null
      order by seq limit ${BATCH}`,
  );
  if (rows.length === 0) return 0;

  // One connection keeps these in order; if any fails, all are sent
  // again next time with the same seqs.
  await Promise.all(
    rows.map((row) => bus.publish(toPush(row, toCents(row.seq)))),
  );

  const ids = rows.map((row) => toCents(row.id));
  await database.db.execute(sql`
    update outbox set published_at = now()
    where id = any(string_to_array(${ids.join(',')}, ',')::bigint[])`);

  return rows.length;
}

function toPush(row: OutboxRow, seq: number): Push {
  const payload = { ...JSON.parse(row.payload), seq };

  return { name: row.name, rooms: row.rooms, payload } as Push;
}

/** Drops published rows past the retention window, raising the mark. */
export async function pruneOutbox(database: Database): Promise<void> {
  await database.db.execute(sql`
    with gone as (
      delete from outbox
      where seq is not null and published_at <
        now() - make_interval(mins => ${OUTBOX_RETENTION_MINUTES})
      returning seq
    )
    insert into outbox_watermark (id, pruned_through)
    select 'outbox', max(seq) from gone having count(*) > 0
    on conflict (id) do update set pruned_through = greatest(
      outbox_watermark.pruned_through, excluded.pruned_through)`);
}

/** How many pushes wait to be published, and how long the oldest has. */
export async function outboxBacklog(
  database: Database,
): Promise<{ pending: number; lagSeconds: number }> {
  const [row] = await queryRows<{ pending: unknown; lag: unknown }>(
    database.db,
    sql`select count(*) as pending,
      coalesce(extract(epoch from now() - min(created_at)), 0) as lag
      from outbox where published_at is null`,
  );

  return {
    pending: Number(row?.pending ?? 0),
    lagSeconds: Number(row?.lag ?? 0),
  };
}
