import type { NextRequest } from 'next/server';
import { AppError } from '@/lib/errors';
import { CLIENT_PROTO_HEADER } from '@/lib/security/client';
import { judgeOrigin, type OriginPolicy } from '@/lib/security/origins';

// Cross-site request forgery guard for every mutation that a browser
// could send on its own: anything not carrying an Authorization header.
// A page on another site can make a browser attach our cookies, but it
// cannot set Authorization (that needs a CORS preflight we never answer).

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const REFUSED =
  'This request came from another website, so it was refused. ' +
  'Use the app itself to do that.';

const NOT_JSON =
  'This request was refused: send its body as JSON ' +
  '(Content-Type: application/json).';

function bearerAuthenticated(request: NextRequest): boolean {
  const header = request.headers.get('authorization') ?? '';

  return header.toLowerCase().startsWith('bearer ');
}

// A body counts whether its length was declared or it was streamed.
function hasBody(request: NextRequest): boolean {
  const length = Number(request.headers.get('content-length') ?? '0');

  return length > 0 || request.headers.has('transfer-encoding');
}

function isJson(request: NextRequest): boolean {
  const type = request.headers.get('content-type') ?? '';
  const mediaType = type.split(';')[0]!.trim().toLowerCase();

  return mediaType === 'application/json';
}

/**
 * Throws CROSS_SITE_REQUEST unless the mutation plainly comes from the
 * app's own pages (or from a non-browser client, which sends no Origin
 * and no Sec-Fetch-Site). Forms and `text/plain` bodies are the only
 * bodies another site can post without a preflight, so JSON is required.
 */
export function checkCsrf(request: NextRequest, policy: OriginPolicy): void {
  if (SAFE_METHODS.has(request.method) || bearerAuthenticated(request)) {
    return;
  }

  const origin = request.headers.get('origin') ?? undefined;
  const site = {
    host: request.headers.get('host') ?? undefined,
    protocol: request.headers.get(CLIENT_PROTO_HEADER) ?? 'http',
  };
  if (!judgeOrigin(origin, site, policy).ok) {
    throw new AppError('CROSS_SITE_REQUEST', REFUSED);
  }

  // `same-site` covers sibling subdomains we do not control; it passes
  // only with an Origin the policy above has already vouched for.
  const fetchSite = request.headers.get('sec-fetch-site');
  if (
    fetchSite === 'cross-site' ||
    (fetchSite === 'same-site' && origin === undefined)
  ) {
    throw new AppError('CROSS_SITE_REQUEST', REFUSED);
  }

  const typed = request.headers.has('content-type');
  if ((hasBody(request) || typed) && !isJson(request)) {
    throw new AppError('CROSS_SITE_REQUEST', NOT_JSON);
  }
}
