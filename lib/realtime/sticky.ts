import type { Server } from 'socket.io';

export const STICKY_COOKIE = 'lb';

/**
 * Names this instance in a cookie on every Socket.IO handshake. The
 * polling transport sends several requests per session, all of which must
 * reach the instance that holds it; the balancer routes on this cookie
 * (see deploy/nginx-config.ts). WebSocket-only clients do not need it.
 */
export function stickToInstance(io: Server, instanceId: string): void {
  io.engine.on('initial_headers', (headers: Record<string, string>) => {
    headers['set-cookie'] =
      `${STICKY_COOKIE}=${instanceId}; Path=/; HttpOnly; SameSite=Lax`;
  });
}
