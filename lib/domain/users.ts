import { eq, sql } from 'drizzle-orm';
import { dummyHash, hashPassword, verifyPassword } from '@/lib/auth/password';
import type { Role } from '@/lib/auth/tokens';
import type { Db } from '@/lib/db/client';
import { users } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { rooms } from '@/lib/realtime/contract';
import {
  openAccounts,
  readWallet,
  transfer,
  walletPush,
  type Wallet,
} from './ledger';
import type { Emit } from './mutation';

const ADMIN_LOCK = 7_305_002;

export interface PublicUser {
  id: string;
  username: string;
  role: Role;
}

function toPublic(row: typeof users.$inferSelect): PublicUser {
  return { id: row.id, username: row.username, role: row.role };
}

/**
 * Creates a user with their two accounts and pays the sign-up credit from
 * the system account, all in the caller's transaction.
 */
export async function registerUser(
  tx: Db,
  emit: Emit,
  input: { username: string; password: string; role?: Role },
  signupCredit: number,
): Promise<PublicUser> {
  const passwordHash = await hashPassword(input.password);
  const [row] = await tx
    .insert(users)
    .values({ username: input.username, passwordHash, role: input.role })
    .onConflictDoNothing()
    .returning();

  if (!row) {
    throw new AppError('USERNAME_TAKEN', 'That username is already taken.');
  }

  await openAccounts(tx, row.id);
  if (signupCredit > 0) {
    await creditUser(tx, emit, row.id, signupCredit, 'signup');
  }

  return toPublic(row);
}

/** Moves play money from the system account to a user. */
export async function creditUser(
  tx: Db,
  emit: Emit,
  userId: string,
  amount: number,
  reason: 'signup' | 'credit',
): Promise<Wallet> {
  await transfer(tx, {
    from: 'system',
    to: { userId, kind: 'available' },
    amount,
    reason,
  });

  const wallet = await readWallet(tx, userId);
  emit({
    name: 'wallet-update',
    rooms: [rooms.user(userId)],
    payload: walletPush(wallet, amount, reason),
  });

  return wallet;
}

export async function findUserByName(
  db: Db,
  username: string,
): Promise<PublicUser | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(users.username, username));

  return row ? toPublic(row) : undefined;
}

export async function findUserById(
  db: Db,
  id: string,
): Promise<PublicUser | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));

  return row ? toPublic(row) : undefined;
}

/** Checks a username and password; the same error for either mistake. */
export async function authenticate(
  db: Db,
  username: string,
  password: string,
): Promise<PublicUser> {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(users.username, username));
  const valid = await verifyPassword(
    password,
    row?.passwordHash ?? (await dummyHash()),
  );

  if (!row || !valid) {
    throw new AppError(
      'INVALID_CREDENTIALS',
      'That username and password do not match.',
    );
  }

  return toPublic(row);
}

/**
 * Creates the configured admin, or resets its password and role, so an
 * operator can always get in with the credentials they deployed.
 */
export async function ensureAdmin(
  tx: Db,
  emit: Emit,
  username: string,
  password: string,
  signupCredit: number,
): Promise<void> {
  // Instances that start together would race to create the same admin;
  // this lock makes the second one wait and then update instead.
  await tx.execute(sql`select pg_advisory_xact_lock(${ADMIN_LOCK})`);
  const existing = await findUserByName(tx, username);

  if (!existing) {
    await registerUser(
      tx,
      emit,
      { username, password, role: 'admin' },
      signupCredit,
    );
    return;
  }

  await tx
    .update(users)
    .set({ passwordHash: await hashPassword(password), role: 'admin' })
    .where(eq(users.id, existing.id));
}
