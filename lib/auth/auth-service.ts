import type { Db } from '@/lib/db/client';
import { isUuid } from '@/lib/domain/events';
import type { Emit } from '@/lib/domain/mutation';
import * as sessions from '@/lib/domain/sessions';
import * as users from '@/lib/domain/users';
import { AppError } from '@/lib/errors';
import { signToken, verifyToken, type Claims, type TokenKeys } from './tokens';

/** What a login, a sign-up or a refresh hands the browser. */
export interface Issued {
  user: users.PublicUser;
  /** The access JWT and when it expires (ms since the epoch). */
  token: string;
  expiresAt: number;
  /** The session's next refresh token and when the session ends. */
  refreshToken: string;
  refreshExpiresAt: number;
}

export interface AuthDeps {
  db: Db;
  tokens: TokenKeys;
  refreshTtlSeconds: number;
  signupCredit: number;
  /** Runs a change in a transaction whose pushes reach the outbox. */
  mutate<T>(work: (tx: Db, emit: Emit) => Promise<T>): Promise<T>;
}

/**
 * Logins and sessions: a short access JWT naming its session, and a
 * refresh token that continues the session until it is revoked or unused
 * for `refreshTtlSeconds`.
 */
export function createAuthService(deps: AuthDeps) {
  const { db, tokens } = deps;
  const refreshTtlMs = deps.refreshTtlSeconds * 1000;

  async function issue(
    user: users.PublicUser,
    session: sessions.IssuedSession,
  ): Promise<Issued> {
    const access = await signToken(tokens, {
      userId: user.id,
      username: user.username,
      role: user.role,
      sessionId: session.sessionId,
    });

    return {
      user,
      ...access,
      refreshToken: session.refreshToken,
      refreshExpiresAt: session.expiresAt,
    };
  }

  async function startSession(user: users.PublicUser): Promise<Issued> {
    const session = await sessions.createSession(db, user.id, refreshTtlMs);

    return issue(user, session);
  }

  return {
    async register(input: { username: string; password: string }) {
      const user = await deps.mutate((tx, emit) =>
        users.registerUser(tx, emit, input, deps.signupCredit),
      );

      return startSession(user);
    },

    async login(input: { username: string; password: string }) {
      const user = await users.authenticate(db, input.username, input.password);

      return startSession(user);
    },

    /** Swaps a refresh token for a new one and a fresh access token. */
    async refresh(refreshToken: string): Promise<Issued> {
      const session = await sessions.rotateSession(
        db,
        refreshToken,
        refreshTtlMs,
      );
      const user = await users.findUserById(db, session.userId);
      if (!user) {
        throw new AppError('UNAUTHENTICATED', 'Please log in again.');
      }

      return issue(user, session);
    },

    /**
     * Ends the session named by the access token, or else by the refresh
     * token (the access token may have expired). Returns its user.
     */
    async logout(given: {
      accessToken?: string;
      refreshToken?: string;
    }): Promise<string | null> {
      const claims = given.accessToken
        ? await verifyToken(tokens, given.accessToken)
        : null;
      const found = claims
        ? { sessionId: claims.sessionId, userId: claims.userId }
        : given.refreshToken
          ? await sessions.sessionOfRefreshToken(db, given.refreshToken)
          : null;
      if (!found || !isUuid(found.sessionId)) return null;

      await sessions.revokeSession(db, found.sessionId);

      return found.userId;
    },

    /**
     * The claims of a valid token whose session is still live, checked
     * against the user table so a deleted user is out and a changed role
     * takes effect at once.
     */
    async verify(token: string): Promise<Claims | null> {
      const claims = await verifyToken(tokens, token);
      if (!claims || !isUuid(claims.userId) || !isUuid(claims.sessionId)) {
        return null;
      }

      const user = await sessions.liveSessionUser(
        db,
        claims.sessionId,
        claims.userId,
      );
      if (!user) return null;

      return { ...claims, username: user.username, role: user.role };
    },

    tokenTtlSeconds: tokens.ttlSeconds,
    refreshTtlSeconds: deps.refreshTtlSeconds,
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
