import 'server-only';
import { cookies } from 'next/headers';
import { appContext } from './app-context';
import type { Session } from './auth/tokens';
import { SESSION_COOKIE } from './http/auth';

/**
 * The signed-in user for a server component, read from the session
 * cookie, with the token the browser's socket will present.
 */
export async function currentSession(): Promise<{
  session: Session | null;
  token: string | null;
}> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value ?? null;
  if (!token) return { session: null, token: null };

  const session = await appContext().services.auth.verify(token);

  return session ? { session, token } : { session: null, token: null };
}
