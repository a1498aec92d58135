// The names and attributes of the two auth cookies, shared by the route
// handlers, server components and the socket handshake so that all of
// them read the same cookie. No framework imports: the socket server
// uses it too.

export interface CookieNames {
  /** The short-lived access JWT. */
  access: string;
  /** The long-lived refresh token of the session. */
  refresh: string;
}

/**
 * `__Host-` in production: the browser then only keeps the cookie if it
 * is Secure, has Path=/ and no Domain, so no sibling subdomain or plain
 * http page can plant or overwrite it. Browsers refuse `__Host-` cookies
 * over http on other hosts, hence the plain names in development.
 */
export function cookieNames(isProduction: boolean): CookieNames {
  return isProduction
    ? { access: '__Host-session', refresh: '__Host-refresh' }
    : { access: 'session', refresh: 'refresh' };
}

/**
 * One Set-Cookie value; a null value clears the cookie. Both cookies use
 * Path=/: `__Host-` demands it, and server-rendered pages must see the
 * refresh cookie to know that a session can be continued.
 */
export function serializeCookie(
  name: string,
  value: string | null,
  opts: { maxAgeSeconds: number; secure: boolean },
): string {
  const parts = [
    `${name}=${value ?? ''}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${value === null ? 0 : opts.maxAgeSeconds}`,
  ];
  if (opts.secure) parts.push('Secure');

  return parts.join('; ');
}

/** The value of cookie `name` in a Cookie request header. */
export function readCookie(
  header: string | undefined,
  name: string,
): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) {
      return pair.slice(at + 1).trim() || undefined;
    }
  }

  return undefined;
}
