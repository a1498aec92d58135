import 'server-only';
import { cookies } from 'next/headers';
import { appContext } from './app-context';
import type { Session } from './auth/tokens';
import { authCookieNames } from './http/auth';

export interface CurrentSession {
  session: Session | null;
  /** The access token, for the browser's socket handshake. */
  token: string | null;
  /** When `token` expires, in ms since the epoch. */
  expiresAt: number | null;
  /**
   * No valid access token, but a refresh cookie: the browser can continue
   * the session with POST /api/auth/refresh instead of logging in again.
   */
  canRefresh: boolean;
}

/** The signed-in user for a server component, read from the cookies. */
export async function currentSession(): Promise<CurrentSession> {
  const jar = await cookies();
  const names = authCookieNames();
  const token = jar.get(names.access)?.value ?? null;
  const claims = token ? await appContext().services.auth.verify(token) : null;

  if (claims) {
    const { userId, username, role } = claims;
    const session = { userId, username, role };

    return { session, token, expiresAt: claims.expiresAt, canRefresh: false };
  }

  return {
    session: null,
    token: null,
    expiresAt: null,
    canRefresh: Boolean(jar.get(names.refresh)?.value),
  };
}
