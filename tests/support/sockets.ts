import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  PushName,
  PushPayload,
  ServerToClientEvents,
} from '@/lib/realtime/contract';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A connected client that records every push it receives, in order. */
export class Listener {
  readonly received: Array<{
    name: PushName;
    payload: Record<string, unknown>;
  }> = [];

  constructor(readonly socket: ClientSocket) {
    socket.onAny((name: PushName, payload: Record<string, unknown>) => {
      this.received.push({ name, payload });
    });
  }

  of<N extends PushName>(name: N): Array<PushPayload<N>> {
    return this.received
      .filter((push) => push.name === name)
      .map((push) => push.payload as unknown as PushPayload<N>);
  }

  /** Resolves with the first push of `name` that matches, past or future. */
  waitFor<N extends PushName>(
    name: N,
    match: (payload: PushPayload<N>) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<PushPayload<N>> {
    const seen = this.of(name).find(match);
    if (seen) return Promise.resolve(seen);

    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket.offAny(check);
        reject(new Error(`no ${name} push within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = (event: string, payload: PushPayload<N>) => {
        if (event !== name || !match(payload)) return;
        clearTimeout(timer);
        this.socket.offAny(check);
        resolve(payload);
      };
      this.socket.onAny(check);
    });
  }

  async joinEvent(eventId: string) {
    return this.socket.emitWithAck('join-event', eventId);
  }

  close() {
    this.socket.disconnect();
  }
}

/** Connects with a token and resolves once the server has accepted it. */
export async function connect(url: string, token: string): Promise<Listener> {
  const socket: ClientSocket = io(url, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const listener = new Listener(socket);

  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });

  return listener;
}

/** Resolves with the connect_error message for a refused handshake. */
export function refusedWith(
  url: string,
  auth: Record<string, unknown>,
): Promise<string> {
  const socket: ClientSocket = io(url, {
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });

  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.disconnect();
      reject(new Error('the server accepted the socket'));
    });
    socket.once('connect_error', (error) => {
      socket.disconnect();
      resolve(error.message);
    });
  });
}
