import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';

export type Schema = typeof schema;

/** A drizzle handle over either backend, or a transaction on it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Connections the pool may open (PGlite has one). */
  poolSize: number;
  /** Applies pending migrations from `drizzle/`. */
  migrate(): Promise<void>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /**
   * Tries to become, or confirms this process still is, the one instance
   * that runs singleton jobs (the outbox relay). PGlite has one process.
   */
  tryLead(): Promise<boolean>;
  close(): Promise<void>;
}

export const MIGRATIONS = path.join(process.cwd(), 'drizzle');

// Any fixed number works; it only has to be the same in every instance so
// that two servers starting together migrate one after the other.
const MIGRATION_LOCK = 7_305_001;
const LEADER_LOCK = 7_305_004;

/** Opens PostgreSQL at `url`, or PGlite in `dataDir` when url is absent. */
export function openDatabase(opts: {
  url?: string;
  dataDir: string;
  poolSize?: number;
}): Database {
  if (opts.url) return openPostgres(opts.url, opts.poolSize ?? 10);

  return openPglite(opts.dataDir);
}

function openPostgres(url: string, max: number): Database {
  const client = postgres(url, { max, onnotice: () => undefined });
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  const leadership = sessionLock(client, LEADER_LOCK);

  return {
    db,
    kind: 'postgres',
    poolSize: max,
    async migrate() {
      const lock = await client.reserve();

      try {
        await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
        await migratePostgres(drizzlePostgres({ client }), {
          migrationsFolder: MIGRATIONS,
        });
      } finally {
        await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`;
        lock.release();
      }
    },
    async ping() {
      await client`select 1`;
    },
    tryLead: leadership.tryHold,
    async close() {
      await leadership.release();
      await client.end({ timeout: 5 });
    },
  };
}

function openPglite(dataDir: string): Database {
  const inMemory = dataDir === ':memory:';
  if (!inMemory) mkdirSync(dataDir, { recursive: true });

  const client = inMemory ? new PGlite() : new PGlite(path.resolve(dataDir));
  const db = drizzlePglite({ client, schema }) as unknown as Db;

  return {
    db,
    kind: 'pglite',
    poolSize: 1,
    async migrate() {
      await migratePglite(drizzlePglite({ client }), {
        migrationsFolder: MIGRATIONS,
      });
    },
    async ping() {
      await client.query('select 1');
    },
    tryLead: async () => true,
    async close() {
      await client.close();
    },
  };
}

/**
 * A session-level advisory lock held on a connection of its own: it is
 * released when this process lets go or its connection dies, so another
 * instance can take over.
 */
function sessionLock(client: postgres.Sql, key: number) {
  let held: postgres.ReservedSql | null = null;

  async function confirm(connection: postgres.ReservedSql) {
    try {
      await connection`select 1`;
      return true;
    } catch {
      // The connection died and the lock with it.
      held = null;
      return false;
    }
  }

  return {
    async tryHold(): Promise<boolean> {
      if (held) return confirm(held);

      const connection = await client.reserve();
      const [row] = await connection<[{ ok: boolean }]>`
        select pg_try_advisory_lock(${key}) as ok`;
      if (row?.ok) {
        held = connection;
        return true;
      }

      connection.release();
      return false;
    },
    async release(): Promise<void> {
      const connection = held;
      held = null;
      if (!connection) return;

      await connection`select pg_advisory_unlock(${key})`.catch(() => null);
      connection.release();
    },
  };
}

/**
 * Runs raw SQL and returns its rows. The two drivers shape results
 * differently (postgres.js an array, PGlite `{ rows }`), so raw queries go
 * through here.
 */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);

  if (Array.isArray(result)) return result as T[];

  return (result as { rows: T[] }).rows;
}

/** Normalises a bigint read from raw SQL (string, bigint or number). */
export function toCents(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value ?? 0);

  if (!Number.isSafeInteger(n)) {
    throw new Error(`Amount out of safe integer range: ${String(value)}`);
  }

  return n;
}

export { sql };
