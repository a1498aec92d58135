import { randomUUID } from 'node:crypto';
import { signToken, tokenKeys, type Role } from '../../lib/auth/tokens';
import { ADMIN, type RunningApp, type Tx } from './app';

// Setup that would take minutes through the API (10,000 sign-ups each
// hash a password) is written with a few set-based statements instead,
// keeping the books as sign-ups would: a ledger row per credit.

export interface BenchUser {
  id: string;
  username: string;
  token: string;
}

/** Creates `count` users with `creditCents` each, and a token for each. */
export async function seedUsers(
  app: RunningApp,
  opts: { count: number; prefix: string; creditCents: number },
): Promise<BenchUser[]> {
  const rows = await app.sql.begin(async (tx) => {
    await insertUsers(tx, opts);

    return tx<Array<{ id: string; username: string }>>`
      select id, username from users
      where username like ${`${opts.prefix}\\_%`}
      order by username`;
  });

  return mintTokens(app, rows, 'user');
}

async function insertUsers(
  tx: Tx,
  opts: { count: number; prefix: string; creditCents: number },
): Promise<void> {
  // A hash no password can match: these users never log in.
  await tx`
    with new_users as (
      insert into users (username, password_hash)
      select ${opts.prefix} || '_' || lpad(i::text, 6, '0'), 'bench:no-login'
      from generate_series(1, ${opts.count}::int) as i
      returning id
    ), opened as (
      insert into accounts (user_id, kind, balance)
      select id, kind, case when kind = 'available' then ${opts.creditCents}::bigint else 0 end
      from new_users cross join (values ('available'), ('frozen')) as k(kind)
      returning id, kind
    )
    insert into ledger_entries (from_account_id, to_account_id, amount, reason)
    select (select id from accounts where kind = 'system'), opened.id,
      ${opts.creditCents}::bigint, 'signup'
    from opened where kind = 'available'`;
  await tx`
    update accounts
    set balance = balance - ${opts.count * opts.creditCents}::bigint
    where kind = 'system'`;
}

/** A token for the admin the app created at start from its env. */
export async function adminUser(app: RunningApp): Promise<BenchUser> {
  const rows = await app.sql<Array<{ id: string; username: string }>>`
    select id, username from users where username = ${ADMIN.username}`;
  if (rows.length !== 1) throw new Error('the app created no admin');

  const [admin] = await mintTokens(app, rows, 'admin');

  return admin!;
}

/**
 * Signs access tokens with the app's own signing code and secret, each
 * for a session row of its own when the app keeps sessions, as a login
 * would leave them.
 */
export async function mintTokens(
  app: RunningApp,
  users: ReadonlyArray<{ id: string; username: string }>,
  role: Role,
): Promise<BenchUser[]> {
  const keys = tokenKeys(app.jwtSecret, 2 * 3600);
  const sessionIds = await app.sql.begin((tx) =>
    openSessions(
      tx,
      users.map((user) => user.id),
    ),
  );

  return Promise.all(
    users.map(async (user, i) => {
      const { token } = await signToken(keys, {
        userId: user.id,
        username: user.username,
        role,
        sessionId: sessionIds[i]!,
      });

      return { id: user.id, username: user.username, token };
    }),
  );
}

async function openSessions(sql: Tx, userIds: string[]): Promise<string[]> {
  const ids = userIds.map(() => randomUUID());
  const [{ exists }] = await sql<[{ exists: boolean }]>`
    select to_regclass('sessions') is not null as exists`;
  if (!exists) return ids;

  await sql`
    insert into sessions (id, user_id, expires_at)
    select id, user_id, now() + interval '1 day'
    from unnest(${ids}::uuid[], ${userIds}::uuid[]) as s(id, user_id)`;

  return ids;
}
