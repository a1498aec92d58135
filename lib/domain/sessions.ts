import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { refreshTokens, sessions, users } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';

// A login is a row in `sessions`; the browser holds a random refresh token
// for it and the server only its sha-256. Each refresh swaps the token
// for a new one. A swapped-out token that comes back was copied by
// someone, so the whole session ends and both holders must log in again.

/** A session with the refresh token that continues it. */
export interface IssuedSession {
  sessionId: string;
  userId: string;
  refreshToken: string;
  /** When the session ends unless refreshed again, in ms since epoch. */
  expiresAt: number;
}

const SESSION_ENDED = 'Your session has ended. Please log in again.';

function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');

  return { token, hash: hashOf(token) };
}

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Starts a session for a user who just proved who they are. */
export async function createSession(
  db: Db,
  userId: string,
  ttlMs: number,
): Promise<IssuedSession> {
  const expiresAt = new Date(Date.now() + ttlMs);
  const refresh = newRefreshToken();

  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(sessions)
      .values({ userId, expiresAt })
      .returning({ id: sessions.id });
    await tx
      .insert(refreshTokens)
      .values({ hash: refresh.hash, sessionId: row!.id });

    return {
      sessionId: row!.id,
      userId,
      refreshToken: refresh.token,
      expiresAt: expiresAt.getTime(),
    };
  });
}

type Rotation =
  | { kind: 'rotated'; session: IssuedSession }
  | { kind: 'reused'; sessionId: string }
  | { kind: 'refused' };

/**
 * Swaps a refresh token for a new one and extends the session by `ttlMs`.
 * Throws UNAUTHENTICATED for an unknown, expired or revoked token; a
 * token that was already swapped revokes its session first.
 */
export async function rotateSession(
  db: Db,
  refreshToken: string,
  ttlMs: number,
): Promise<IssuedSession> {
  const outcome = await db.transaction((tx) =>
    rotateIn(tx, hashOf(refreshToken), ttlMs),
  );

  // The revocation commits on its own: throwing inside the transaction
  // would roll it back and leave the thief's session alive.
  if (outcome.kind === 'reused') await revokeSession(db, outcome.sessionId);
  if (outcome.kind !== 'rotated') {
    throw new AppError('UNAUTHENTICATED', SESSION_ENDED);
  }

  return outcome.session;
}

async function rotateIn(
  tx: Db,
  hash: string,
  ttlMs: number,
): Promise<Rotation> {
  // The row lock makes two refreshes with one token run one after the
  // other: the second sees the first's rotation and counts as reuse.
  const [found] = await tx
    .select({
      sessionId: refreshTokens.sessionId,
      rotatedAt: refreshTokens.rotatedAt,
      userId: sessions.userId,
      expiresAt: sessions.expiresAt,
      revokedAt: sessions.revokedAt,
    })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .where(eq(refreshTokens.hash, hash))
    .for('update');

  if (!found || found.revokedAt) return { kind: 'refused' };
  if (found.rotatedAt) {
    return { kind: 'reused', sessionId: found.sessionId };
  }
  if (found.expiresAt.getTime() <= Date.now()) {
    return { kind: 'refused' };
  }

  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlMs);
  const next = newRefreshToken();
  await tx
    .update(refreshTokens)
    .set({ rotatedAt: now })
    .where(eq(refreshTokens.hash, hash));
  await tx
    .insert(refreshTokens)
    .values({ hash: next.hash, sessionId: found.sessionId });
  await tx
    .update(sessions)
    .set({ expiresAt })
    .where(eq(sessions.id, found.sessionId));

  const session: IssuedSession = {
    sessionId: found.sessionId,
    userId: found.userId,
    refreshToken: next.token,
    expiresAt: expiresAt.getTime(),
  };

  return { kind: 'rotated', session };
}

/** Ends a session; its access and refresh tokens stop working. */
export async function revokeSession(db: Db, sessionId: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** The session a current refresh token belongs to, if it is still live. */
export async function sessionOfRefreshToken(
  db: Db,
  refreshToken: string,
): Promise<{ sessionId: string; userId: string } | null> {
  const [found] = await db
    .select({ sessionId: sessions.id, userId: sessions.userId })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .where(
      and(
        eq(refreshTokens.hash, hashOf(refreshToken)),
        isNull(sessions.revokedAt),
      ),
    );

  return found ?? null;
}

/**
 * The user behind a session that is still live (not revoked, not
 * expired), or undefined. One query on every authenticated request: the
 * session and the user's current name and role are read together.
 */
export async function liveSessionUser(
  db: Db,
  sessionId: string,
  userId: string,
): Promise<{ username: string; role: 'user' | 'admin' } | undefined> {
  const [found] = await db
    .select({ username: users.username, role: users.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, sessionId),
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, new Date()),
      ),
    );

  return found;
}
