import createDebug from 'debug';
import type { Socket } from 'socket.io';
import { z } from 'zod';
import type { Claims } from '@/lib/auth/tokens';
import type { Bus } from './bus';
import {
  rooms,
  type ClientToServerEvents,
  type ReauthAck,
  type ServerToClientEvents,
  type SocketData,
} from './contract';

// A socket lives no longer than the token it showed: at `exp` the server
// disconnects it, unless the client sent a fresh token of the same user
// with `reauth` first. Logout drops a user's sockets on every instance.

const debug = createDebug('live-bets:socket-session');

const ReauthSchema = z.object({ token: z.string().min(1).max(4096) });

// setTimeout fires at once for delays past 2^31 - 1 ms (about 24 days),
// so long lifetimes are waited out in steps.
const MAX_DELAY_MS = 2_147_483_647;

type SessionSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/** Disconnects `socket` when its token expires; `reauth` moves that. */
export function trackSocketSession(
  socket: SessionSocket,
  verify: (token: string) => Promise<Claims | null>,
): void {
  let timer: NodeJS.Timeout | undefined;

  const schedule = () => {
    clearTimeout(timer);
    const left = socket.data.expiresAt - Date.now();
    if (left <= 0) {
      debug('token expired %s user=%s', socket.id, socket.data.userId);
      socket.disconnect(true);
      return;
    }
    timer = setTimeout(schedule, Math.min(left, MAX_DELAY_MS));
  };

  socket.on('reauth', (payload, ack) => {
    void reauth(socket, verify, payload).then((reply) => {
      if (reply.ok) schedule();
      if (typeof ack === 'function') ack(reply);
    });
  });
  socket.on('disconnect', () => clearTimeout(timer));
  schedule();
}

async function reauth(
  socket: SessionSocket,
  verify: (token: string) => Promise<Claims | null>,
  payload: unknown,
): Promise<ReauthAck> {
  const parsed = ReauthSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, error: 'Send { token }.' };

  const claims = await verify(parsed.data.token);
  if (!claims) return { ok: false, error: 'That token is invalid.' };
  if (claims.userId !== socket.data.userId) {
    return { ok: false, error: 'That token is for another user.' };
  }
  if (!socket.connected) return { ok: false, error: 'Disconnected.' };

  const { userId, username, role, sessionId, expiresAt } = claims;
  socket.data = { userId, username, role, sessionId, expiresAt };

  return { ok: true, expiresAt };
}

/**
 * Carries out the bus's control messages on this instance's sockets:
 * a `disconnect-user` drops every socket in the user's room.
 */
export function followControl(
  io: {
    in(room: string): { disconnectSockets(close?: boolean): void };
  },
  bus: Bus,
): void {
  bus.onControl((message) => {
    if (message.type !== 'disconnect-user') return;

    debug('disconnecting user=%s', message.userId);
    io.in(rooms.user(message.userId)).disconnectSockets(true);
  });
}
