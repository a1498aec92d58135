import { readFileSync } from 'node:fs';
import path from 'node:path';
import { queryRows, sql, type Db } from './client';

// Readiness asks whether the schema matches the code: every migration in
// the journal shipped with this build must be recorded as applied.

export interface JournalEntry {
  tag: string;
  when: number;
}

/** The migrations a build ships; read once, they do not change. */
export function journalEntries(folder: string): JournalEntry[] {
  const file = path.join(folder, 'meta', '_journal.json');

  return (JSON.parse(readFileSync(file, 'utf8')) as { entries: JournalEntry[] })
    .entries;
}

/** Tags of the shipped migrations that the database lacks. */
export async function pendingMigrations(
  db: Db,
  shipped: readonly JournalEntry[],
): Promise<string[]> {
  const applied = await appliedTimestamps(db);

  return shipped
    .filter((entry) => !applied.has(entry.when))
    .map((entry) => entry.tag);
}

// drizzle's migrator records each migration's journal timestamp.
async function appliedTimestamps(db: Db): Promise<Set<number>> {
  const [exists] = await queryRows<{ found: unknown }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null
      as found`,
  );
  if (!exists?.found) return new Set();

  const rows = await queryRows<{ created_at: unknown }>(
    db,
    sql`select created_at from drizzle.__drizzle_migrations`,
  );

  return new Set(rows.map((row) => Number(row.created_at)));
}
