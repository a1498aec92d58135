import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '@/lib/log';
import type { Bus } from './bus';
import { rooms } from './contract';

// Live viewer counts per event. Each instance knows its own sockets; with
// Redis it writes its count into a hash per event, stamped with the time,
// and the total is the sum of the fresh entries. An instance that dies
// stops refreshing its entry, which then ages out.

const SETTLE_MS = 100;
const REFRESH_MS = 10_000;
const STALE_MS = 30_000;

export interface Presence {
  /** The local count of `eventId` changed; publish the new total soon. */
  changed(eventId: string): void;
  close(): Promise<void>;
}

export function startPresence(deps: {
  localCount: (room: string) => number;
  localEventIds: () => string[];
  bus: Bus;
  redisUrl?: string;
  log: Logger;
}): Presence {
  const store = deps.redisUrl
    ? redisStore(deps.redisUrl, deps.log)
    : localStore();
  const pending = new Map<string, NodeJS.Timeout>();

  const publish = async (eventId: string) => {
    pending.delete(eventId);
    const local = deps.localCount(rooms.event(eventId));
    const viewers = await store.record(eventId, local);

    await deps.bus.publish({
      name: 'presence',
      rooms: [rooms.event(eventId)],
      payload: { eventId, viewers, timestamp: Date.now() },
    });
  };

  // Joins and leaves come in bursts (a page load joins, a reload leaves
  // and joins): one count per event per burst is enough.
  const changed = (eventId: string) => {
    if (pending.has(eventId)) return;
    const timer = setTimeout(() => {
      publish(eventId).catch((error: unknown) => {
        deps.log.debug({ err: error, eventId }, 'presence not published');
      });
    }, SETTLE_MS);
    pending.set(eventId, timer);
  };

  const refresh = setInterval(() => {
    for (const eventId of deps.localEventIds()) {
      const local = deps.localCount(rooms.event(eventId));
      store.record(eventId, local).catch(() => undefined);
    }
  }, REFRESH_MS);
  refresh.unref();

  return {
    changed,
    async close() {
      clearInterval(refresh);
      for (const timer of pending.values()) clearTimeout(timer);
      await store.close();
    },
  };
}

interface CountStore {
  /** Records this instance's count and returns the total. */
  record(eventId: string, local: number): Promise<number>;
  close(): Promise<void>;
}

function localStore(): CountStore {
  return {
    record: async (_eventId, local) => local,
    close: async () => undefined,
  };
}

function redisStore(url: string, log: Logger): CountStore {
  const instance = randomUUID();
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 2000),
    connectionName: 'presence',
  });
  redis.on('error', (error: Error) => {
    log.debug({ err: error }, 'presence store unavailable');
  });

  return {
    async record(eventId, local) {
      const key = `presence:${eventId}`;
      const now = Date.now();
      const [, , all] = (await redis
        .multi()
        .hset(key, instance, `${local}:${now}`)
        .pexpire(key, STALE_MS * 2)
        .hvals(key)
        .exec()) as [unknown, unknown, [Error | null, string[]]];

      return sumFresh(all[1], now);
    },
    async close() {
      await redis.quit().catch(() => undefined);
    },
  };
}

function sumFresh(entries: string[], now: number): number {
  return entries.reduce((total, entry) => {
    const [count, at] = entry.split(':').map(Number);
    const fresh = at !== undefined && now - at < STALE_MS;

    return total + (fresh ? (count ?? 0) : 0);
  }, 0);
}
