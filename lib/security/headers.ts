import type { IncomingMessage, ServerResponse } from 'node:http';

// Security headers for every response the app sends: pages, API answers
// and static files. They are set in server.ts before Next runs, because
// connect-src names this request's own host for the socket's ws(s) URL.
//
// Scripts: Next's App Router streams inline bootstrap scripts. The Next 16
// CSP guide offers nonces (a proxy.ts minting one per request, which makes
// every page render dynamically and uncacheable) or 'unsafe-inline'. We
// take 'unsafe-inline' with 'self': no third-party script origin is
// allowed and React escapes everything we render, so an attacker needs an
// HTML injection we do not have. TODO(security): move to nonces with
// 'strict-dynamic' once pages render per request anyway.

// A Host header is the client's word: only a plain host[:port] may go
// into the policy, so nobody can smuggle a directive through it.
const HOST_PATTERN = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

const YEAR_SECONDS = 365 * 24 * 3600;

export interface HeaderOptions {
  host: string | undefined;
  development: boolean;
}

export function contentSecurityPolicy(opts: HeaderOptions): string {
  const sockets =
    opts.host && HOST_PATTERN.test(opts.host)
      ? [`ws://${opts.host}`, `wss://${opts.host}`]
      : [];
  // Event streams may live on any https origin; hls.js fetches their
  // playlists and segments with XHR and feeds them to MSE through blob:.
  const streams = opts.development ? ['https:', 'http:'] : ['https:'];
  const directives = [
    "default-src 'self'",
    ["script-src 'self' 'unsafe-inline'", opts.development && "'unsafe-eval'"]
      .filter(Boolean)
      .join(' '),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...sockets, ...streams, 'blob:'].join(' '),
    ["media-src 'self'", ...streams, 'blob:'].join(' '),
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];

  return directives.join('; ');
}

export function securityHeaders(opts: HeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'content-security-policy': contentSecurityPolicy(opts),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-frame-options': 'DENY',
  };
  // Browsers ignore HSTS over plain http, so loopback tests are unharmed;
  // development skips it so localhost is never pinned to https.
  if (!opts.development) {
    headers['strict-transport-security'] = `max-age=${YEAR_SECONDS}`;
  }

  return headers;
}

/** Sets the security headers on `res` before anything else writes it. */
export function setSecurityHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  development: boolean,
): void {
  const headers = securityHeaders({ host: req.headers.host, development });

  for (const [name, value] of Object.entries(headers)) {
    res.setHeader(name, value);
  }
}
