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

/** Publishes up to one batch; returns how many rows it published. */
export async function publishBatch(
  database: Database,
  bus: Bus,
): Promise<number> {
  return database.db.transaction(async (tx) => {
    const rows = await queryRows<OutboxRow>(
      tx,
      sql`select id, name, rooms, payload from outbox
        where seq is null order by id limit ${BATCH}
        for update skip locked`,
    );
    if (rows.length === 0) return 0;

    const seqs = await queryRows<{ seq: unknown }>(
      tx,
      sql`select nextval('push_seq') as seq
        from generate_series(1, ${rows.length})`,
    );
    const ordered = seqs.map((row) => toCents(row.seq)).sort((a, b) => a - b);
    const pushes = rows.map((row, i) => toPush(row, ordered[i]!));

    await Promise.all(pushes.map((push) => bus.publish(push)));
    await markPublished(tx, rows, ordered);

    return rows.length;
  });
}

function toPush(row: OutboxRow, seq: number): Push {
  const payload = { ...JSON.parse(row.payload), seq };

  return { name: row.name, rooms: row.rooms, payload } as Push;
}

async function markPublished(
  tx: Database['db'],
  rows: OutboxRow[],
  seqs: number[],
): Promise<void> {
  const pairs = rows.map((row, i) => ({ id: toCents(row.id), seq: seqs[i] }));

  await tx.execute(sql`
    update outbox set seq = v.seq, published_at = now()
    from json_to_recordset(${JSON.stringify(pairs)}::json)
      as v(id bigint, seq bigint)
    where outbox.id = v.id`);
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
