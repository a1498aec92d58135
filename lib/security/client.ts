import type { IncomingHttpHeaders } from 'node:http';

// Who is on the other end of a request: its address and whether it used
// TLS. Behind a reverse proxy (TRUST_PROXY) both come from the proxy's
// headers; otherwise from the connection, and client headers are ignored.

/** Headers `server.ts` sets on every request, replacing any sent ones. */
export const CLIENT_IP_HEADER = 'x-client-ip';
export const CLIENT_PROTO_HEADER = 'x-client-proto';

interface RawRequest {
  headers: IncomingHttpHeaders;
  socket: { remoteAddress?: string; encrypted?: boolean };
}

export interface Client {
  ip: string;
  protocol: 'http' | 'https';
}

// Our proxy appends the peer it saw, so the last hop is the one it vouches
// for; anything before it was written by the client and proves nothing.
function lastHop(value: string | string[] | undefined): string | undefined {
  const joined = Array.isArray(value) ? value.join(',') : value;
  const hops = (joined ?? '').split(',').map((hop) => hop.trim());
  const last = hops.at(-1);

  return last ? last : undefined;
}

export function clientOf(request: RawRequest, trustProxy: boolean): Client {
  const peer = request.socket.remoteAddress ?? 'unknown';
  const tls = request.socket.encrypted === true;

  if (!trustProxy) return { ip: peer, protocol: tls ? 'https' : 'http' };

  const forwardedProto = lastHop(request.headers['x-forwarded-proto']);

  return {
    ip: lastHop(request.headers['x-forwarded-for']) ?? peer,
    protocol: forwardedProto === 'https' || tls ? 'https' : 'http',
  };
}

/**
 * Writes the client's address and protocol into trusted headers, so
 * route handlers (which never see the socket) can read them. Always
 * overwrites: a client-sent `x-client-ip` must not pick its own bucket.
 */
export function stampClient(request: RawRequest, trustProxy: boolean): void {
  const client = clientOf(request, trustProxy);

  request.headers[CLIENT_IP_HEADER] = client.ip;
  request.headers[CLIENT_PROTO_HEADER] = client.protocol;
}
