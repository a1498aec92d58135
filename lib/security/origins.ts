// Which origins may open a socket or send a cookie-authenticated
// mutation. Plain TypeScript over header values, shared by the HTTP
// wrapper and the socket handshake so both answer the same way.

export interface OriginPolicy {
  /** Exact origins from ALLOWED_ORIGINS; empty means the app's own. */
  allowedOrigins: string[];
}

export interface RequestSite {
  /** The Host header the request arrived with. */
  host: string | undefined;
  /** `http` or `https`, as the client used it. */
  protocol: string;
}

export type OriginVerdict =
  { ok: true } | { ok: false; reason: 'null-origin' | 'foreign-origin' };

/** The origin a browser on this site would send, or null without a Host. */
export function ownOrigin(site: RequestSite): string | null {
  if (!site.host) return null;

  return `${site.protocol}://${site.host}`.toLowerCase();
}

/**
 * Judges the Origin header of a request. No Origin at all is allowed:
 * browsers always send one on cross-origin requests, WebSocket handshakes
 * and POSTs, so its absence means a non-browser client (curl, a server,
 * the tests), which cannot ride on a victim's cookies anyway.
 */
export function judgeOrigin(
  origin: string | undefined,
  site: RequestSite,
  policy: OriginPolicy,
): OriginVerdict {
  if (origin === undefined) return { ok: true };

  // Sandboxed frames, data: URLs and some redirects send `null`: there is
  // no site to trust behind it.
  if (origin === 'null') return { ok: false, reason: 'null-origin' };

  const allowed =
    policy.allowedOrigins.length > 0
      ? policy.allowedOrigins.map((entry) => entry.toLowerCase())
      : [ownOrigin(site)];

  return allowed.includes(origin.toLowerCase())
    ? { ok: true }
    : { ok: false, reason: 'foreign-origin' };
}
