import type { IncomingMessage } from 'node:http';
import createDebug from 'debug';
import type { Config } from '@/lib/config';
import type { Logger } from '@/lib/log';
import { clientOf } from '@/lib/security/client';
import { isOverLimit, type LimiterStore } from '@/lib/security/limiter';
import { judgeOrigin } from '@/lib/security/origins';

// What a socket may do before and after it connects: come from an allowed
// origin, stay under a number of sockets per user and rooms per socket,
// and send client events no faster than its budget. socket-server.ts
// calls these from small hooks; the rules live here.

const debug = createDebug('live-bets:socket-guards');

export const REFUSALS = {
  origin: 'Origin not allowed',
  tooManySockets:
    'Too many open connections for this account. Close a tab and retry.',
  tooManyRooms: 'You are watching too many events. Leave one first.',
  tooFast: 'You are sending too many requests. Slow down.',
} as const;

type GuardConfig = Pick<
  Config,
  | 'ALLOWED_ORIGINS'
  | 'TRUST_PROXY'
  | 'RATE_LIMIT'
  | 'SOCKET_EVENTS_PER_SOCKET'
  | 'SOCKET_EVENTS_PER_USER'
  | 'MAX_SOCKETS_PER_USER'
  | 'MAX_ROOMS_PER_SOCKET'
>;

interface GuardedSocket {
  id: string;
  data: { userId: string };
  rooms: Set<string>;
  request: IncomingMessage;
  use(fn: (event: unknown[], next: (error?: Error) => void) => void): unknown;
  disconnect(close?: boolean): unknown;
}

export type SocketGuards = ReturnType<typeof createSocketGuards>;

/** An event's fate: let through, refused, or refused and the socket ends
 * (a whole window's budget of refusals on top of the budget itself). */
type Verdict = 'allowed' | 'refused' | 'abusive';

export function createSocketGuards(
  config: GuardConfig,
  store: LimiterStore,
  log: Logger,
) {
  const limited = config.RATE_LIMIT === 'on';
  // A socket lives on one instance, so its budget can too; a user's
  // sockets may be spread over several, so theirs is shared via Redis.
  const perSocket = store.limiter({
    name: 'socket-events',
    points: config.SOCKET_EVENTS_PER_SOCKET,
    durationSeconds: 1,
  });
  const perUser = store.limiter({
    name: 'user-events',
    points: config.SOCKET_EVENTS_PER_USER,
    durationSeconds: 1,
  });

  return {
    /** Handshake check: the Origin header, as for HTTP mutations. */
    originError(socket: GuardedSocket): Error | undefined {
      const { request } = socket;
      const client = clientOf(request, config.TRUST_PROXY);
      const verdict = judgeOrigin(
        request.headers.origin,
        { host: request.headers.host, protocol: client.protocol },
        { allowedOrigins: config.ALLOWED_ORIGINS },
      );
      if (verdict.ok) return undefined;

      debug('refused %s from %s', verdict.reason, request.headers.origin);
      return new Error(REFUSALS.origin);
    },

    /**
     * Handshake check after authentication, given how many sockets the
     * user already has here. TODO(realtime): count across instances once
     * the instances share socket counts (as presence shares viewers).
     */
    socketCapError(openSockets: number): Error | undefined {
      if (!limited || openSockets < config.MAX_SOCKETS_PER_USER) {
        return undefined;
      }

      return new Error(REFUSALS.tooManySockets);
    },

    /** Whether joining `wanted` would put the socket over its room cap. */
    overRoomCap(socket: { rooms: Set<string> }, wanted: string[]): boolean {
      if (!limited) return false;

      const joined = [...socket.rooms].filter(isEventRoom);
      const added = new Set(
        wanted.filter((room) => isEventRoom(room) && !socket.rooms.has(room)),
      );

      return joined.length + added.size > config.MAX_ROOMS_PER_SOCKET;
    },

    /**
     * Budgets the socket's client events. An event over budget is dropped
     * and answered with an error ack; a socket that keeps sending through
     * a whole second's budget of refusals is disconnected, since a client
     * that ignores the errors is broken or hostile.
     */
    limitEvents(socket: GuardedSocket): void {
      if (!limited) return;

      socket.use((event, next) => {
        const answer = (verdict: Verdict) => {
          if (verdict === 'allowed') return next();

          const ack = event.at(-1);
          if (typeof ack === 'function') {
            ack({ ok: false, error: REFUSALS.tooFast });
          }
          if (verdict === 'abusive') {
            debug('disconnect %s: kept sending over its limit', socket.id);
            socket.disconnect(true);
          }
        };

        // A broken counter store lets the event through: users keep
        // watching while the error is logged.
        spend(socket.id, socket.data.userId).then(answer, (error: unknown) => {
          log.warn({ err: error }, 'socket rate limit unavailable');
          next();
        });
      });
    },
  };

  // Counted per window, not per run of refusals: the answers come back
  // from Redis in any order, so "refusals in a row" would reset on an
  // allowed answer to an earlier event and never reach the limit.
  async function spend(socketId: string, userId: string): Promise<Verdict> {
    try {
      await perSocket.consume(socketId);
    } catch (rejection) {
      if (!isOverLimit(rejection)) throw rejection;

      const budget = config.SOCKET_EVENTS_PER_SOCKET;
      return rejection.consumedPoints > 2 * budget ? 'abusive' : 'refused';
    }

    try {
      await perUser.consume(userId);
      return 'allowed';
    } catch (rejection) {
      if (isOverLimit(rejection)) return 'refused';
      throw rejection;
    }
  }
}

function isEventRoom(room: string): boolean {
  return room.startsWith('event:');
}
