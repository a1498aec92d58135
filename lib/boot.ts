import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ttlSeconds, type Config } from './config';
import { tokenKeys, type TokenKeys } from './auth/tokens';
import { MIGRATIONS, openDatabase, type Database } from './db/client';
import { journalEntries, pendingMigrations } from './db/migrations';
import { ensureSystemAccount } from './domain/ledger';
import { mutate } from './domain/mutation';
import { ensureAdmin } from './domain/users';
import type { Logger } from './log';
import { seedDemo } from './seed';

/**
 * Opens the configured database, applies migrations and makes sure the
 * system account, the configured admin and (when asked) the demo exist.
 */
export async function prepareDatabase(
  config: Config,
  log: Logger,
): Promise<Database> {
  const database = openDatabase({
    url: config.DATABASE_URL,
    dataDir: path.join(config.DATA_DIR, 'pglite'),
  });

  // With MIGRATE_ON_START=false a deploy migrates as its own step; an
  // instance started before that step refuses, rather than half-work.
  if (config.MIGRATE_ON_START) await database.migrate();
  const pending = await pendingMigrations(
    database.db,
    journalEntries(MIGRATIONS),
  );
  if (pending.length > 0) {
    await database.close();
    throw new Error(
      `migrations pending (${pending.join(', ')}): run \`npm run db:migrate\``,
    );
  }

  await ensureSystemAccount(database.db);
  log.info({ db: database.kind }, 'database ready');

  if (config.ADMIN_USERNAME && config.ADMIN_PASSWORD) {
    const { ADMIN_USERNAME: name, ADMIN_PASSWORD: password } = config;
    await mutate(database.db, undefined, (tx, emit) =>
      ensureAdmin(tx, emit, name, password, config.SIGNUP_CREDIT_CENTS),
    );
  }
  if (
    config.seedDemo &&
    (await seedDemo(database.db, config.SIGNUP_CREDIT_CENTS))
  ) {
    log.info('demo data loaded: alice, bob, admin / password123');
  }

  return database;
}

/**
 * The JWT signing key. Without JWT_SECRET (embedded development only) a
 * random one is kept in DATA_DIR, so sessions survive a restart.
 */
export function loadTokenKeys(config: Config): TokenKeys {
  const ttl = ttlSeconds(config.JWT_TTL);
  if (config.JWT_SECRET) return tokenKeys(config.JWT_SECRET, ttl);

  const file = path.join(config.DATA_DIR, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(config.DATA_DIR, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }

  return tokenKeys(readFileSync(file, 'utf8').trim(), ttl);
}
