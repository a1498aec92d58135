import { queryRows, sql, type Db } from './db/client';
import { createEvent, startEvent, updateLiveInfo } from './domain/events';
import { mutate } from './domain/mutation';
import { findUserByName, registerUser } from './domain/users';

const DEMO_PASSWORD = 'password123';
const HOUR = 3600_000;
const SEED_LOCK = 7_305_003;

/** The demo stream shipped under public/ so the player shows something. */
export const DEMO_STREAM_URL = '/streams/demo/index.m3u8';

/**
 * Loads the demo users and events unless they are already there. Safe to
 * run at every start: it adds nothing to a database that has events.
 */
export async function seedDemo(db: Db, signupCredit: number): Promise<boolean> {
  const { value: seeded } = await mutate(db, undefined, async (tx, emit) => {
    // Instances starting together on one database seed it once.
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
    const [row] = await queryRows<{ count: number }>(
      tx,
      sql`select count(*)::int as count from events`,
    );
    if (Number(row?.count) > 0) return false;

    for (const [username, role] of DEMO_USERS) {
      if (await findUserByName(tx, username)) continue;
      await registerUser(
        tx,
        emit,
        { username, password: DEMO_PASSWORD, role },
        signupCredit,
      );
    }

    const now = Date.now();
    const live = await createEvent(tx, emit, {
      name: 'Lions vs Tigers',
      sport: 'football',
      outcomes: ['home', 'draw', 'away'],
      startsAt: new Date(now - HOUR / 2).toISOString(),
      streamUrl: DEMO_STREAM_URL,
    });
    await startEvent(tx, emit, live.id);
    await updateLiveInfo(tx, emit, live.id, {
      score: '1-0',
      clock: "34'",
      info: 'First half',
    });

    await createEvent(tx, emit, {
      name: 'Falcons vs Sharks',
      sport: 'basketball',
      outcomes: ['home', 'away'],
      startsAt: new Date(now + 2 * HOUR).toISOString(),
    });
    await createEvent(tx, emit, {
      name: 'Rovers vs United',
      sport: 'football',
      outcomes: ['home', 'draw', 'away'],
      startsAt: new Date(now + 26 * HOUR).toISOString(),
    });

    return true;
  });

  return seeded;
}

const DEMO_USERS: Array<[string, 'user' | 'admin']> = [
  ['alice', 'user'],
  ['bob', 'user'],
  ['admin', 'admin'],
];
