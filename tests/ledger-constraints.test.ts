import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, sql, type Database } from '@/lib/db/client';
import { acceptBet, createBet } from '@/lib/domain/bets';
import { createEvent } from '@/lib/domain/events';
import { ensureSystemAccount, transfer } from '@/lib/domain/ledger';
import { mutate } from '@/lib/domain/mutation';
import { registerUser } from '@/lib/domain/users';
import { DATABASE_URL } from './support/env';

// The database itself refuses a broken book, whatever a future code path
// forgets: these go around the domain rules on purpose.

let database: Database;

beforeAll(async () => {
  database = openDatabase({ url: DATABASE_URL, dataDir: ':memory:' });
  await database.migrate();
  await ensureSystemAccount(database.db);
});

afterAll(async () => {
  await database?.close();
});

const tag = () => Math.random().toString(36).slice(2, 10);

async function matchedBet() {
  return (
    await mutate(database.db, undefined, async (tx, emit) => {
      const creator = await registerUser(
        tx,
        emit,
        { username: `c_${tag()}`, password: 'password123' },
        100_000,
      );
      const taker = await registerUser(
        tx,
        emit,
        { username: `t_${tag()}`, password: 'password123' },
        100_000,
      );
      const event = await createEvent(tx, emit, {
        name: 'Constraint cup',
        sport: 'football',
        outcomes: ['home', 'away'],
        startsAt: new Date().toISOString(),
      });
      const bet = await createBet(tx, emit, creator.id, {
        eventId: event.id,
        creatorChoice: 'home',
        creatorAmount: 1000,
        acceptorAmount: 1000,
      });
      await acceptBet(tx, emit, taker.id, bet.id);

      return { creator, taker, bet };
    })
  ).value;
}

function attempt(work: Parameters<typeof mutate>[2]) {
  return mutate(database.db, undefined, work).then(
    () => 'committed',
    (error: unknown) => String((error as Error).cause ?? error),
  );
}

describe('the ledger tables', () => {
  it('refuse to freeze the taker stake of a bet twice', async () => {
    const { taker, bet } = await matchedBet();

    const outcome = await attempt((tx) =>
      transfer(tx, {
        from: { userId: taker.id, kind: 'available' },
        to: { userId: taker.id, kind: 'frozen' },
        amount: 1000,
        reason: 'bet_accepted',
        betId: bet.id,
        eventId: bet.eventId,
      }),
    );

    expect(outcome).toMatch(/ledger_stake_frozen_once/);
  });

  it('refuse to release the same stake twice', async () => {
    const { creator, bet } = await matchedBet();
    // A second offer keeps enough frozen that only the index can refuse.
    await mutate(database.db, undefined, (tx, emit) =>
      createBet(tx, emit, creator.id, {
        eventId: bet.eventId,
        creatorChoice: 'away',
        creatorAmount: 5000,
        acceptorAmount: 100,
      }),
    );
    const release = (tx: Parameters<Parameters<typeof mutate>[2]>[0]) =>
      transfer(tx, {
        from: { userId: creator.id, kind: 'frozen' },
        to: { userId: creator.id, kind: 'available' },
        amount: 1000,
        reason: 'bet_void',
        betId: bet.id,
        eventId: bet.eventId,
      });

    // Both in one transaction, so the refusal also rolls back the first
    // release and leaves the shared database's books intact.
    const outcome = await attempt(async (tx) => {
      await release(tx);
      await release(tx);
    });

    expect(outcome).toMatch(/ledger_stake_released_once/);
  });

  it('refuse a negative user balance', async () => {
    const { creator } = await matchedBet();

    const outcome = await attempt((tx) =>
      tx.execute(sql`update accounts set balance = -1
        where user_id = ${creator.id} and kind = 'available'`),
    );

    expect(outcome).toMatch(/accounts_not_negative/);
  });

  it('refuse an idempotency key used twice by one user', async () => {
    const { creator } = await matchedBet();
    const insert = () =>
      attempt((tx) =>
        tx.execute(sql`insert into idempotency_keys
          (user_id, key, request_hash) values (${creator.id}, 'k', 'h')`),
      );

    expect(await insert()).toBe('committed');
    expect(await insert()).toMatch(/idempotency_user_key/);
  });
});
