import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import type { Session } from '@/lib/auth/tokens';
import { AppError } from '@/lib/errors';

export const SESSION_COOKIE = 'session';

function tokenOf(request: NextRequest): string | undefined {
  const header = request.headers.get('authorization');

  if (header?.toLowerCase().startsWith('bearer ')) {
    return header.slice(7).trim();
  }

  return request.cookies.get(SESSION_COOKIE)?.value;
}

/** The caller's session, from a bearer token or the session cookie. */
export async function requireUser(request: NextRequest): Promise<Session> {
  const token = tokenOf(request);
  if (!token) {
    throw new AppError('UNAUTHENTICATED', 'Please log in to do that.');
  }

  const session = await appContext().services.auth.verify(token);
  if (!session) {
    throw new AppError(
      'UNAUTHENTICATED',
      'Your session is invalid or has expired. Please log in again.',
    );
  }

  return session;
}

export async function requireAdmin(request: NextRequest): Promise<Session> {
  const session = await requireUser(request);

  if (session.role !== 'admin') {
    throw new AppError('FORBIDDEN', 'Only an admin can do that.');
  }

  return session;
}

/** Sets or clears the httpOnly session cookie. */
export function sessionCookie(token: string | null, maxAge: number): string {
  const { config } = appContext();
  const parts = [
    `${SESSION_COOKIE}=${token ?? ''}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${token ? maxAge : 0}`,
  ];
  if (config.isProduction) parts.push('Secure');

  return parts.join('; ');
}
