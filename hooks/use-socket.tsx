'use client';

import {
  createContext,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { io, type Socket } from 'socket.io-client';
import { refreshSession, type FreshSession } from '@/lib/client/api';
import { StreamCursor } from '@/lib/client/stream-cursor';
import {
  rooms,
  type ClientToServerEvents,
  type PushMessage,
  type PushName,
  type PushPayload,
  type ServerToClientEvents,
} from '@/lib/realtime/contract';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

type Handler<N extends PushName> = (payload: PushPayload<N>) => void;

/** The stable half of the socket API: it never changes identity. */
export interface SocketApi {
  /** Subscribes; returns the unsubscribe. Adding a handler twice is a no-op. */
  on<N extends PushName>(name: N, handler: Handler<N>): () => void;
  off<N extends PushName>(name: N, handler: Handler<N>): void;
  emit: ClientSocket['emit'];
  /** Joins an event room, counted: it is left when the last user leaves. */
  joinRoom(eventId: string): void;
  leaveRoom(eventId: string): void;
  /**
   * Runs whenever pushes may have been missed and are now flowing again:
   * after each connect or reconnect once the rooms are joined (and the
   * replay applied), and after a room is newly joined. Snapshot hooks
   * reload here, which closes the seam between a snapshot and the stream.
   */
  onSynced(handler: () => void): () => void;
}

export interface SocketStatus {
  isConnected: boolean;
  error: string | null;
}

// The settings of the reference design: give up after 10 attempts spaced
// 1 to 5 seconds apart, each allowed 20 seconds to connect.
export const RECONNECTION = {
  reconnection: true,
  reconnectionAttempts: 10,
  reconnectionDelay: 1000,
  reconnectionDelayMax: 5000,
  timeout: 20_000,
} as const;

export const GAVE_UP =
  'Live updates stopped. Check your connection; they resume when it is back.';

const SocketApiContext = createContext<SocketApi | null>(null);
const StatusContext = createContext<SocketStatus>({
  isConnected: false,
  error: null,
});

// How long to keep a token before swapping it for a fresh one: a minute
// before it expires, or at 80% of what is left when that is sooner than
// a minute away (short lifetimes in tests). setTimeout overflows past
// 2^31 - 1 ms, so the wait is capped there.
export function refreshDelay(expiresAt: number, now = Date.now()): number {
  const left = expiresAt - now;
  const delay = Math.max(left * 0.8, left - 60_000);

  return Math.min(Math.max(delay, 0), 2_147_483_647);
}

// A lost session is refreshed at most this often, so a server that keeps
// refusing the socket cannot make the tab refresh in a loop.
const RENEW_AT_MOST_EVERY_MS = 5_000;

/**
 * Owns the tab's one Socket.IO connection. Handlers live in a registry
 * outside React state, so subscribing never re-renders anyone and a
 * remount (or strict mode's double effect) leaves one handler, not two.
 * It also keeps the access token fresh: shortly before it expires the
 * session is refreshed and the new token handed to the socket, and
 * `onToken` tells whoever else holds it.
 */
export function SocketProvider(props: {
  token: string | null;
  /** When `token` expires, ms since the epoch; unknown means never. */
  expiresAt?: number | null;
  userId?: string;
  url?: string;
  onToken?: (fresh: FreshSession) => void;
  children: ReactNode;
}) {
  const hub = useRef<SocketHub | null>(null);
  hub.current ??= new SocketHub(props.userId);
  const [status, setStatus] = useState<SocketStatus>({
    isConnected: false,
    error: null,
  });
  const auth = useFreshToken(props, hub.current);
  const hasToken = auth.token !== null;

  useEffect(() => {
    if (!hub.current!.token) return undefined;

    const socket: ClientSocket = io(props.url ?? '', {
      ...RECONNECTION,
      auth: { token: hub.current!.token },
    });

    return hub.current!.attach(socket, setStatus);
  }, [hasToken, props.url]);

  const api = useMemo(() => hub.current!.api(), []);

  return (
    <SocketApiContext.Provider value={api}>
      <StatusContext.Provider value={status}>
        {props.children}
      </StatusContext.Provider>
    </SocketApiContext.Provider>
  );
}

/**
 * The current token: the one from props until a refresh replaces it. It
 * refreshes before expiry and when the server ended the socket's session
 * (token expired, or the user logged out elsewhere), and hands each new
 * token to the hub.
 */
function useFreshToken(
  props: {
    token: string | null;
    expiresAt?: number | null;
    onToken?: (fresh: FreshSession) => void;
  },
  hub: SocketHub,
): { token: string | null; expiresAt: number | null } {
  const fromProps = { token: props.token, expiresAt: props.expiresAt ?? null };
  const [auth, setAuth] = useState(fromProps);
  const [given, setGiven] = useState(props.token);
  const onToken = useRef(props.onToken);
  const lastRenew = useRef(0);

  // A new token from the server render replaces a refreshed one.
  if (props.token !== given) {
    setGiven(props.token);
    setAuth(fromProps);
  }

  useEffect(() => {
    onToken.current = props.onToken;
  });

  const renew = useMemo(
    () => async () => {
      lastRenew.current = Date.now();
      const fresh = await refreshSession();
      if (!fresh) return;

      setAuth(fresh);
      onToken.current?.(fresh);
    },
    [],
  );

  useEffect(() => {
    hub.handToken(auth.token);
  }, [hub, auth.token]);

  useEffect(() => {
    if (!auth.token || !auth.expiresAt) return undefined;

    const timer = setTimeout(() => void renew(), refreshDelay(auth.expiresAt));
    return () => clearTimeout(timer);
  }, [auth.token, auth.expiresAt, renew]);

  useEffect(() => {
    hub.onSessionLost = () => {
      if (Date.now() - lastRenew.current < RENEW_AT_MOST_EVERY_MS) return;
      void renew();
    };
    return () => {
      hub.onSessionLost = null;
    };
  }, [hub, renew]);

  return auth;
}

/** The socket API plus its connection status. */
export function useSocket(): SocketApi & SocketStatus {
  const api = useContext(SocketApiContext);
  const status = useContext(StatusContext);
  if (!api) throw new Error('useSocket needs a SocketProvider above it');

  return useMemo(() => ({ ...api, ...status }), [api, status]);
}

/** The connection status alone, for indicators. */
export function useSocketStatus(): SocketStatus {
  return useContext(StatusContext);
}

/**
 * Calls `handler` for every `name` push. The latest handler is always
 * used, but the subscription itself is made once per mount.
 */
export function useSocketEvent<N extends PushName>(
  name: N,
  handler: Handler<N>,
): void {
  const api = useContext(SocketApiContext);
  const latest = useRef(handler);

  useEffect(() => {
    latest.current = handler;
  });

  useEffect(() => {
    if (!api) return undefined;

    return api.on(name, (payload) => latest.current(payload));
  }, [api, name]);
}

/** Runs `handler` each time the stream is synced (see `onSynced`). */
export function useStreamSynced(handler: () => void): void {
  const api = useContext(SocketApiContext);
  const latest = useRef(handler);

  useEffect(() => {
    latest.current = handler;
  });

  useEffect(() => {
    if (!api) return undefined;

    return api.onSynced(() => latest.current());
  }, [api]);
}

/** Joins `event:<id>` while the calling component is mounted. */
export function useEventRoom(eventId: string): void {
  const api = useContext(SocketApiContext);

  useEffect(() => {
    if (!api) return undefined;

    api.joinRoom(eventId);
    return () => api.leaveRoom(eventId);
  }, [api, eventId]);
}

/**
 * The registry behind the provider: handlers by push name, rooms with a
 * count of users, the stream position per room, and the socket currently
 * attached (if any). After a reconnect it asks the server for what it
 * missed and holds live pushes back until that replay is applied, so
 * pushes reach the handlers once each and in order.
 */
export class SocketHub {
  private socket: ClientSocket | null = null;
  private readonly handlers = new Map<PushName, Set<Handler<PushName>>>();
  private readonly rooms = new Map<string, number>();
  private readonly syncedHandlers = new Set<() => void>();
  private readonly cursor: StreamCursor;
  private held: PushMessage[] | null = null;
  /** The token the socket shows the server now. */
  token: string | null = null;
  /** Called when the server refused or ended the socket's session. */
  onSessionLost: (() => void) | null = null;

  constructor(private readonly userId = '') {
    this.cursor = new StreamCursor(userId);
  }

  /** Wires a socket in; returns the function that tears it down. */
  attach(
    socket: ClientSocket,
    setStatus: (status: SocketStatus) => void,
  ): () => void {
    this.socket = socket;
    let connectedBefore = false;

    const receive = (name: PushName, payload: unknown) => {
      const push = { name, payload } as PushMessage;
      if (this.held) this.held.push(push);
      else this.deliver(push);
    };
    socket.onAny(receive);

    socket.on('connect', () => {
      setStatus({ isConnected: true, error: null });
      const ready = connectedBefore
        ? this.resume(socket)
        : Promise.all([...this.rooms.keys()].map((id) => this.sendJoin(id)));
      connectedBefore = true;
      void ready.then(() => this.synced());
    });
    socket.on('disconnect', (reason) => {
      setStatus({ isConnected: false, error: null });
      // The server ends a socket whose token expired or whose user logged
      // out, and the client does not retry that by itself.
      if (reason === 'io server disconnect') this.onSessionLost?.();
    });
    socket.on('connect_error', (error) => {
      setStatus({ isConnected: false, error: error.message });
      if (error.message.startsWith('Authentication error')) {
        this.onSessionLost?.();
      }
    });

    // After its 10 attempts the client stops; coming back online or to
    // the tab starts a fresh round, so a long outage needs no reload.
    const retry = () => {
      if (!socket.connected && !socket.active) socket.connect();
    };
    socket.io.on('reconnect_failed', () => {
      setStatus({ isConnected: false, error: GAVE_UP });
    });
    window.addEventListener('online', retry);
    window.addEventListener('focus', retry);

    return () => {
      window.removeEventListener('online', retry);
      window.removeEventListener('focus', retry);
      socket.offAny(receive);
      socket.disconnect();
      if (this.socket === socket) this.socket = null;
      setStatus({ isConnected: false, error: null });
    };
  }

  private deliver(push: PushMessage): void {
    if (!this.cursor.accept(push)) return;

    for (const handler of this.handlers.get(push.name) ?? []) {
      handler(push.payload as PushPayload<never>);
    }
  }

  private synced(): void {
    for (const handler of this.syncedHandlers) handler();
  }

  // Rooms with a position resume (the server joins them and replays what
  // they missed); rooms without one are joined afresh. Live pushes wait
  // until the replay is applied, so everything arrives once and in order.
  private async resume(socket: ClientSocket): Promise<void> {
    const eventRooms = [...this.rooms.keys()].map(rooms.event);
    const all = [rooms.user(this.userId), rooms.global, ...eventRooms];
    const cursor = this.cursor.cursorFor(all);
    const fresh = [...this.rooms.keys()].filter(
      (eventId) => !(rooms.event(eventId) in cursor),
    );

    this.held = [];
    const [reply] = await Promise.all([
      socket
        .timeout(RECONNECTION.timeout)
        .emitWithAck('resume', cursor)
        .catch(() => null),
      ...fresh.map((eventId) => this.sendJoin(eventId)),
    ]);
    const held = this.held ?? [];
    this.held = null;

    if (reply?.ok) for (const push of reply.pushes) this.deliver(push);
    else await this.rejoin(Object.keys(cursor));
    for (const push of held) this.deliver(push);
  }

  /**
   * Makes `token` the socket's: the next (re)connect shows it, and a live
   * socket gets it through `reauth`, which moves its expiry. A socket the
   * server had ended connects again with it.
   */
  handToken(token: string | null): void {
    if (token === this.token) return;
    this.token = token;
    const socket = this.socket;
    if (!socket || !token) return;

    socket.auth = { token };
    if (socket.connected) {
      void socket
        .timeout(RECONNECTION.timeout)
        .emitWithAck('reauth', { token })
        .catch(() => null);
    } else if (!socket.active) {
      socket.connect();
    }
  }

  handlerCount(name: PushName): number {
    return this.handlers.get(name)?.size ?? 0;
  }

  roomCount(eventId: string): number {
    return this.rooms.get(eventId) ?? 0;
  }

  api(): SocketApi {
    return {
      on: (name, handler) => this.on(name, handler),
      off: (name, handler) => this.off(name, handler),
      emit: ((name: string, ...args: unknown[]) =>
        this.socket?.emit(
          name as keyof ClientToServerEvents,
          ...(args as [string]),
        )) as ClientSocket['emit'],
      joinRoom: (eventId) => this.joinRoom(eventId),
      leaveRoom: (eventId) => this.leaveRoom(eventId),
      onSynced: (handler) => {
        this.syncedHandlers.add(handler);
        return () => this.syncedHandlers.delete(handler);
      },
    };
  }

  private on<N extends PushName>(name: N, handler: Handler<N>): () => void {
    const set = this.handlers.get(name) ?? new Set();
    set.add(handler as Handler<PushName>);
    this.handlers.set(name, set);

    return () => this.off(name, handler);
  }

  private off<N extends PushName>(name: N, handler: Handler<N>): void {
    this.handlers.get(name)?.delete(handler as Handler<PushName>);
  }

  private joinRoom(eventId: string): void {
    const count = this.rooms.get(eventId) ?? 0;
    this.rooms.set(eventId, count + 1);
    if (count === 0 && this.socket?.connected) {
      void this.sendJoin(eventId).then(() => this.synced());
    }
  }

  private leaveRoom(eventId: string): void {
    const count = this.rooms.get(eventId) ?? 0;
    if (count > 1) {
      this.rooms.set(eventId, count - 1);
      return;
    }

    this.rooms.delete(eventId);
    if (this.socket?.connected) this.socket.emit('leave-event', eventId);
  }

  // A refused or lost resume still has to put the socket back in its
  // event rooms; the snapshots reloaded next cover what it missed.
  private async rejoin(resumed: string[]): Promise<void> {
    const eventIds = resumed
      .filter((room) => room.startsWith('event:'))
      .map((room) => room.slice('event:'.length));

    await Promise.all(eventIds.map((eventId) => this.sendJoin(eventId)));
  }

  /** Joins an event room; resolves when the server has (or gave up). */
  private async sendJoin(eventId: string): Promise<void> {
    await this.socket
      ?.timeout(RECONNECTION.timeout)
      .emitWithAck('join-event', eventId)
      .catch(() => null);
  }
}
