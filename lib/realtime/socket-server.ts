import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { z } from 'zod';
import { readCookie } from '@/lib/auth/cookies';
import type { Claims } from '@/lib/auth/tokens';
import type { Logger } from '@/lib/log';
import type { Bus } from './bus';
import type { Push } from './contract';
import type { Replay } from './replay';
import { REFUSALS, type SocketGuards } from './socket-guards';
import { trackSocketSession } from './socket-session';
import {
  rooms,
  type ClientToServerEvents,
  type JoinAck,
  type ResumeAck,
  type ResumeCursor,
  type ServerToClientEvents,
  type SocketData,
} from './contract';

export type IoServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

export interface SocketDeps {
  verify(token: string): Promise<Claims | null>;
  /** The access cookie's name, for browsers that send no auth token. */
  accessCookie: string;
  /** Throws when no event has this id. */
  eventExists(eventId: string): Promise<void>;
  /** What the rooms in `cursor` missed since those seqs. */
  replay(cursor: ResumeCursor): Promise<Replay>;
  /** A socket joined or left the room of `eventId`. */
  onViewersChange?(eventId: string): void;
  log: Logger;
  /** Origin, socket and room caps, and client event budgets. */
  guards: SocketGuards;
}

const EventIdSchema = z.string().min(1).max(64);
const CursorSchema = z
  .record(z.string().max(80), z.number().int().min(0))
  .refine((cursor) => Object.keys(cursor).length <= 50, {
    error: 'at most 50 rooms',
  });
const BAD_ID = 'eventId must be an event id string.';
const ROOMS_FULL = { ok: false, error: REFUSALS.tooManyRooms } as const;

/**
 * Attaches Socket.IO to the app's HTTP server. A socket must bring a
 * valid token; it is placed in its own user room and the global room, and
 * may join only event rooms of events that exist.
 */
export function attachSocketServer(
  httpServer: HttpServer,
  deps: SocketDeps,
): IoServer {
  const io: IoServer = new Server(httpServer, {
    // Next shares this server's upgrade requests (HMR in development):
    // leave the ones that are not ours alone.
    destroyUpgrade: false,
    maxHttpBufferSize: 64 * 1024,
    serveClient: false,
  });

  // Before authentication: a page on another site must not even learn
  // whether its visitor's cookie is valid.
  io.use((socket, next) => next(deps.guards.originError(socket)));

  io.use(async (socket, next) => {
    const token = tokenOf(socket.handshake, deps.accessCookie);
    if (!token) return next(new Error('Authentication error: Token required'));

    const session = await deps.verify(token);
    if (!session) return next(new Error('Authentication error: Invalid token'));

    const { userId, username, role, sessionId, expiresAt } = session;
    socket.data = { userId, username, role, sessionId, expiresAt };
    const userRoom = rooms.user(socket.data.userId);
    const open = io.sockets.adapter.rooms.get(userRoom)?.size ?? 0;
    next(deps.guards.socketCapError(open));
  });

  io.on('connection', (socket) => {
    const { userId } = socket.data;
    deps.log.info({ socketId: socket.id, userId }, 'socket connected');
    void socket.join([rooms.user(userId), rooms.global]);
    deps.guards.limitEvents(socket);
    trackSocketSession(socket, deps.verify);
    const inOrder = serial((error) =>
      deps.log.error({ err: error }, 'socket room change failed'),
    );

    // Room changes run one at a time, in the order they were sent: a
    // join still checking its event must not finish after a later leave.
    socket.on('join-event', (eventId, ack) =>
      inOrder(async () => {
        const room = rooms.event(String(eventId));
        const reply = deps.guards.overRoomCap(socket, [room])
          ? ROOMS_FULL
          : await joinEvent(deps, eventId);
        if (reply.ok) {
          await socket.join(rooms.event(eventId as string));
          deps.onViewersChange?.(eventId as string);
        }
        if (typeof ack === 'function') ack(reply);
      }),
    );

    socket.on('leave-event', (eventId, ack) =>
      inOrder(async () => {
        const parsed = EventIdSchema.safeParse(eventId);
        if (parsed.success) {
          await socket.leave(rooms.event(parsed.data));
          deps.onViewersChange?.(parsed.data);
        }
        if (typeof ack === 'function') {
          ack(parsed.success ? { ok: true } : { ok: false, error: BAD_ID });
        }
      }),
    );

    socket.on('resume', (cursor, ack) =>
      inOrder(async () => {
        if (typeof ack !== 'function') return;
        ack(await resume(deps, socket, cursor));
      }),
    );

    socket.on('disconnecting', () => {
      for (const room of socket.rooms) {
        if (room.startsWith('event:')) {
          deps.onViewersChange?.(room.slice('event:'.length));
        }
      }
    });

    socket.on('disconnect', (reason) => {
      deps.log.info(
        { socketId: socket.id, userId, reason },
        'socket disconnected',
      );
    });
  });

  return io;
}

/** Runs async tasks one after another; a failure is reported, not fatal. */
function serial(
  onError: (error: unknown) => void,
): (task: () => Promise<void>) => void {
  let tail = Promise.resolve();

  return (task) => {
    tail = tail.then(task).catch(onError);
  };
}

async function joinEvent(deps: SocketDeps, eventId: unknown): Promise<JoinAck> {
  const parsed = EventIdSchema.safeParse(eventId);
  if (!parsed.success) return { ok: false, error: BAD_ID };

  try {
    await deps.eventExists(parsed.data);
    return { ok: true };
  } catch {
    return { ok: false, error: 'There is no such event.' };
  }
}

// Joins the cursor's rooms, then reads what they missed: a push published
// after the join arrives live, one before the read is replayed, and the
// client drops the overlap by seq. Only rooms this socket may be in: its
// own user room, the global room and rooms of events that exist.
async function resume(
  deps: SocketDeps,
  socket: {
    data: SocketData;
    rooms: Set<string>;
    join(room: string): unknown;
  },
  cursor: unknown,
): Promise<ResumeAck> {
  const parsed = CursorSchema.safeParse(cursor);
  if (!parsed.success) return { ok: false, error: 'Bad resume cursor.' };
  if (deps.guards.overRoomCap(socket, Object.keys(parsed.data))) {
    return ROOMS_FULL;
  }

  for (const room of Object.keys(parsed.data)) {
    if (!(await mayJoin(deps, socket.data, room))) {
      return { ok: false, error: `Not allowed in ${room}.` };
    }
  }
  for (const room of Object.keys(parsed.data)) {
    await socket.join(room);
    if (room.startsWith('event:')) {
      deps.onViewersChange?.(room.slice('event:'.length));
    }
  }

  try {
    return { ok: true, ...(await deps.replay(parsed.data)) };
  } catch (error) {
    deps.log.error({ err: error }, 'replay failed');
    return { ok: false, error: 'Could not replay; reload instead.' };
  }
}

async function mayJoin(
  deps: SocketDeps,
  session: SocketData,
  room: string,
): Promise<boolean> {
  if (room === rooms.global || room === rooms.user(session.userId)) {
    return true;
  }
  if (!room.startsWith('event:')) return false;

  return (await joinEvent(deps, room.slice('event:'.length))).ok;
}

// The token comes from the handshake's auth payload; a browser on this
// site may instead rely on its httpOnly session cookie.
function tokenOf(
  handshake: {
    auth: Record<string, unknown>;
    headers: Record<string, string | string[] | undefined>;
  },
  cookieName: string,
): string | undefined {
  const fromAuth = handshake.auth.token;
  if (typeof fromAuth === 'string' && fromAuth.length > 0) return fromAuth;

  const cookie = handshake.headers.cookie;

  return readCookie(typeof cookie === 'string' ? cookie : '', cookieName);
}

/**
 * Relays every push from the bus to the rooms it names, once each and in
 * seq order. When the bus comes back from an outage, what was published
 * meanwhile is read from the outbox and relayed first, while live pushes
 * wait, so this instance's sockets miss nothing.
 */
export function startRelay(deps: {
  io: IoServer;
  bus: Bus;
  log: Logger;
  /** Called with each push's name as it goes out to this instance. */
  onEmit?: (name: string) => void;
  startSeq: number;
  publishedSince(seq: number): Promise<Push[]>;
}): void {
  const { io, bus, log } = deps;
  let lastSeq = deps.startSeq;
  let held: Push[] | null = null;

  const relay = (push: Push) => {
    const seq = push.payload.seq;
    if (seq !== undefined && seq <= lastSeq) return;
    if (seq !== undefined) lastSeq = seq;
    emitToRooms(io, push, log);
    deps.onEmit?.(push.name);
  };

  bus.onPush((push) => (held ? held.push(push) : relay(push)));
  bus.onResubscribed(() => {
    if (held) return;
    held = [];
    deps
      .publishedSince(lastSeq)
      .then((missed) => missed.forEach(relay))
      .catch((error: unknown) => {
        log.error({ err: error }, 'relay could not catch up after an outage');
      })
      .finally(() => {
        const waiting = held ?? [];
        held = null;
        waiting.forEach(relay);
      });
  });
}

function emitToRooms(io: IoServer, push: Push, log: Logger): void {
  try {
    // Name and payload were checked together where the push was built;
    // TypeScript cannot follow that pairing through the union.
    const target = io.to(push.rooms);
    const emit = target.emit as (name: string, payload: unknown) => boolean;
    emit.call(target, push.name, push.payload);
  } catch (error) {
    log.error({ err: error, push: push.name }, 'relay failed to emit');
  }
}
