import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows, sql, type Database } from '@/lib/db/client';
import { createEvent } from '@/lib/domain/events';
import { ensureSystemAccount } from '@/lib/domain/ledger';
import { mutate } from '@/lib/domain/mutation';
import { registerResult } from '@/lib/domain/settlement';
import { auditLedger } from '@/lib/domain/wallet';
import { DATABASE_URL } from './support/env';

// Settlement is one set of statements whatever the number of bets. This
// drives the domain code directly on the same database the servers use,
// with 10,000 matched bets made by set-based fixtures.

const USERS = 200;
const BETS = 10_000;

let database: Database;

beforeAll(async () => {
  database = openDatabase({ url: DATABASE_URL, dataDir: ':memory:' });
  await database.migrate();
  await ensureSystemAccount(database.db);
});

afterAll(async () => {
  await database?.close();
});

async function fundedUsers(tag: string): Promise<void> {
  await database.db.execute(sql`
    with u as (
      insert into users (username, password_hash)
      select ${tag} || '_' || n, 'not-a-login'
      from generate_series(1, ${USERS}) n
      returning id
    )
    insert into accounts (user_id, kind)
    select id, k from u, unnest(array['available', 'frozen']) k`);

  // Rows inserted by one statement are invisible to its own UPDATE, so
  // the credit is a second statement.
  await database.db.execute(sql`
    with e as (
      insert into ledger_entries (from_account_id, to_account_id, amount, reason)
      select (select id from accounts where kind = 'system'), a.id, 10000000,
        'credit'
      from accounts a join users u on u.id = a.user_id
      where a.kind = 'available' and u.username like ${tag + '_%'}
      returning to_account_id, amount
    ), s as (
      update accounts set balance = balance - (select sum(amount) from e)
      where kind = 'system'
    )
    update accounts set balance = accounts.balance + e.amount from e
    where accounts.id = e.to_account_id`);
}

// Each bet pairs user i with user i+1 and freezes both stakes through
// ledger rows, exactly as placing and accepting would.
async function matchedBets(tag: string, eventId: string): Promise<void> {
  await database.db.execute(sql`
    with people as (
      select id, row_number() over (order by id) - 1 as n
      from users where username like ${tag + '_%'}
    ), b as (
      insert into bets (event_id, creator_id, creator_choice, creator_amount,
        acceptor_amount, status, acceptor_id, accepted_at)
      select ${eventId}::uuid, c.id,
        (array['home', 'draw', 'away'])[1 + g % 3],
        100 + g % 500, 100 + g % 300, 'accepted', t.id, now()
      from generate_series(0, ${BETS - 1}) g
      join people c on c.n = g % ${USERS}
      join people t on t.n = (g + 1) % ${USERS}
      returning id, creator_id, acceptor_id, creator_amount, acceptor_amount
    ), stakes as (
      select id, creator_id as user_id, creator_amount as amount, 'bet_placed' as reason from b
      union all
      select id, acceptor_id, acceptor_amount, 'bet_accepted' from b
    ), e as (
      insert into ledger_entries
        (from_account_id, to_account_id, amount, reason, bet_id, event_id)
      select av.id, fr.id, st.amount, st.reason, st.id, ${eventId}::uuid
      from stakes st
      join accounts av on av.user_id = st.user_id and av.kind = 'available'
      join accounts fr on fr.user_id = st.user_id and fr.kind = 'frozen'
      returning from_account_id, to_account_id, amount
    ), d as (
      select account_id, sum(delta) as delta from (
        select from_account_id as account_id, -amount as delta from e
        union all select to_account_id, amount from e
      ) x group by account_id
    )
    update accounts set balance = balance + d.delta from d
    where accounts.id = d.account_id`);
}

describe('settling a big event', () => {
  it('pays 10,000 matched bets in one pass and keeps the books exact', async () => {
    const tag = `scale${Date.now().toString(36)}`;
    await fundedUsers(tag);
    const { value: event } = await mutate(database.db, undefined, (tx, emit) =>
      createEvent(tx, emit, {
        name: 'Big final',
        sport: 'football',
        outcomes: ['home', 'draw', 'away'],
        startsAt: new Date().toISOString(),
      }),
    );
    await matchedBets(tag, event.id);
    expect((await auditLedger(database.db)).ok).toBe(true);

    const started = performance.now();
    const { value: summary, pushes } = await mutate(
      database.db,
      undefined,
      (tx, emit) => registerResult(tx, emit, event.id, 'draw'),
    );
    const seconds = (performance.now() - started) / 1000;
    console.info(`settled ${BETS} bets in ${seconds.toFixed(2)} s`);

    expect(summary.settledBets).toBe(BETS);
    const resolved = pushes.filter((p) => p.name === 'bet-resolved');
    expect(resolved).toHaveLength(2 * BETS);
    const [left] = await queryRows<{ frozen: string }>(
      database.db,
      sql`select coalesce(sum(a.balance), 0)::text as frozen
        from accounts a join users u on u.id = a.user_id
        where a.kind = 'frozen' and u.username like ${tag + '_%'}`,
    );
    expect(Number(left!.frozen)).toBe(0);
    expect(await auditLedger(database.db)).toMatchObject({ ok: true });
    // A generous guard against a per-bet loop of round trips; the real
    // figure is measured by the benchmarks, not asserted here.
    expect(seconds).toBeLessThan(30);
  });
});
