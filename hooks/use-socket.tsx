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
import type {
  ClientToServerEvents,
  PushName,
  PushPayload,
  ServerToClientEvents,
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
  /** Runs after every reconnect, once the rooms are joined again. */
  onReconnect(handler: () => void): () => void;
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

const ApiContext = createContext<SocketApi | null>(null);
const StatusContext = createContext<SocketStatus>({
  isConnected: false,
  error: null,
});

/**
 * Owns the tab's one Socket.IO connection. Handlers live in a registry
 * outside React state, so subscribing never re-renders anyone and a
 * remount (or strict mode's double effect) leaves one handler, not two.
 */
export function SocketProvider(props: {
  token: string | null;
  url?: string;
  children: ReactNode;
}) {
  const hub = useRef<SocketHub | null>(null);
  hub.current ??= new SocketHub();
  const [status, setStatus] = useState<SocketStatus>({
    isConnected: false,
    error: null,
  });

  useEffect(() => {
    if (!props.token) return undefined;

    const socket: ClientSocket = io(props.url ?? '', {
      ...RECONNECTION,
      auth: { token: props.token },
    });

    return hub.current!.attach(socket, setStatus);
  }, [props.token, props.url]);

  const api = useMemo(() => hub.current!.api(), []);

  return (
    <ApiContext.Provider value={api}>
      <StatusContext.Provider value={status}>
        {props.children}
      </StatusContext.Provider>
    </ApiContext.Provider>
  );
}

/** The socket API plus its connection status. */
export function useSocket(): SocketApi & SocketStatus {
  const api = useContext(ApiContext);
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
  const api = useContext(ApiContext);
  const latest = useRef(handler);

  useEffect(() => {
    latest.current = handler;
  });

  useEffect(() => {
    if (!api) return undefined;

    return api.on(name, (payload) => latest.current(payload));
  }, [api, name]);
}

/** Runs `handler` after each reconnect (not the first connect). */
export function useReconnect(handler: () => void): void {
  const api = useContext(ApiContext);
  const latest = useRef(handler);

  useEffect(() => {
    latest.current = handler;
  });

  useEffect(() => {
    if (!api) return undefined;

    return api.onReconnect(() => latest.current());
  }, [api]);
}

/** Joins `event:<id>` while the calling component is mounted. */
export function useEventRoom(eventId: string): void {
  const api = useContext(ApiContext);

  useEffect(() => {
    if (!api) return undefined;

    api.joinRoom(eventId);
    return () => api.leaveRoom(eventId);
  }, [api, eventId]);
}

/**
 * The registry behind the provider: handlers by push name, rooms with a
 * count of users, and the socket currently attached (if any).
 */
export class SocketHub {
  private socket: ClientSocket | null = null;
  private readonly handlers = new Map<PushName, Set<Handler<PushName>>>();
  private readonly rooms = new Map<string, number>();
  private readonly reconnectHandlers = new Set<() => void>();

  /** Wires a socket in; returns the function that tears it down. */
  attach(
    socket: ClientSocket,
    setStatus: (status: SocketStatus) => void,
  ): () => void {
    this.socket = socket;
    let connectedBefore = false;

    const dispatch = (name: PushName, payload: unknown) => {
      const handlers = this.handlers.get(name) ?? [];
      for (const handler of handlers) handler(payload as PushPayload<never>);
    };
    socket.onAny(dispatch);

    socket.on('connect', () => {
      setStatus({ isConnected: true, error: null });
      for (const eventId of this.rooms.keys()) this.sendJoin(eventId);
      if (connectedBefore) {
        for (const handler of this.reconnectHandlers) handler();
      }
      connectedBefore = true;
    });
    socket.on('disconnect', () => {
      setStatus({ isConnected: false, error: null });
    });
    socket.on('connect_error', (error) => {
      setStatus({ isConnected: false, error: error.message });
    });

    return () => {
      socket.offAny(dispatch);
      socket.disconnect();
      if (this.socket === socket) this.socket = null;
      setStatus({ isConnected: false, error: null });
    };
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
      onReconnect: (handler) => {
        this.reconnectHandlers.add(handler);
        return () => this.reconnectHandlers.delete(handler);
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
    if (count === 0) this.sendJoin(eventId);
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

  private sendJoin(eventId: string): void {
    if (this.socket?.connected) this.socket.emit('join-event', eventId);
  }
}
