import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import type { Issued } from '@/lib/auth/auth-service';
import { cookieNames, serializeCookie } from '@/lib/auth/cookies';
import type { Claims } from '@/lib/auth/tokens';
import { AppError } from '@/lib/errors';
import { noteUser } from '@/lib/request-context';

/** The auth cookie names this process uses (`__Host-` in production). */
export function authCookieNames() {
  return cookieNames(appContext().config.isProduction);
}

/** The access token the caller sent, as a bearer token or a cookie. */
export function accessTokenOf(request: NextRequest): string | undefined {
  const header = request.headers.get('authorization');

  if (header?.toLowerCase().startsWith('bearer ')) {
    return header.slice(7).trim();
  }

  return request.cookies.get(authCookieNames().access)?.value;
}

/** The refresh token in the caller's refresh cookie. */
export function refreshTokenOf(request: NextRequest): string | undefined {
  return request.cookies.get(authCookieNames().refresh)?.value || undefined;
}

/** The caller's session, from a bearer token or the session cookie. */
export async function requireUser(request: NextRequest): Promise<Claims> {
  const token = accessTokenOf(request);
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
  noteUser(session.userId);

  return session;
}

export async function requireAdmin(request: NextRequest): Promise<Claims> {
  const session = await requireUser(request);

  if (session.role !== 'admin') {
    throw new AppError('FORBIDDEN', 'Only an admin can do that.');
  }

  return session;
}

/**
 * The Set-Cookie headers for a fresh access token and refresh token, or
 * (for null) the ones that clear both.
 */
export function authCookies(issued: Issued | null): Array<[string, string]> {
  const { config, services } = appContext();
  const names = cookieNames(config.isProduction);
  const secure = config.isProduction;
  const access = serializeCookie(names.access, issued?.token ?? null, {
    maxAgeSeconds: services.auth.tokenTtlSeconds,
    secure,
  });
  const refresh = serializeCookie(names.refresh, issued?.refreshToken ?? null, {
    maxAgeSeconds: services.auth.refreshTtlSeconds,
    secure,
  });

  return [
    ['set-cookie', access],
    ['set-cookie', refresh],
  ];
}

/** The body a login, sign-up or refresh answers with. */
export function issuedBody(issued: Issued) {
  return {
    user: issued.user,
    token: issued.token,
    expiresAt: new Date(issued.expiresAt).toISOString(),
  };
}
