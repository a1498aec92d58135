import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REFUSALS } from '@/lib/realtime/socket-guards';
import { Api, type TestUser } from './support/api';
import { startServer, type RunningServer } from './support/server';
import { connect, type ClientSocket, type Listener } from './support/sockets';
import { forgetRateLimits } from './support/rate-limits';
import { useTestApp } from './support/suite';

// Socket hardening against the production build: the handshake checks the
// Origin, a user has a few sockets and a socket a few rooms, client events
// are budgeted per socket and per user, and big frames end the socket.

// Registered first, so it runs before the server starts and logs in.
beforeAll(forgetRateLimits);

const app = useTestApp({
  env: {
    RATE_LIMIT: 'on',
    RATE_LIMIT_REGISTER_PER_IP: '1000',
    SOCKET_EVENTS_PER_SOCKET: '5',
    SOCKET_EVENTS_PER_USER: '8',
    MAX_SOCKETS_PER_USER: '3',
    MAX_ROOMS_PER_SOCKET: '2',
  },
});

const opened: ClientSocket[] = [];

afterEach(() => {
  while (opened.length > 0) opened.pop()!.disconnect();
});

/** Opens a socket with `headers`; resolves 'connected' or the refusal. */
function handshake(
  url: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const socket: ClientSocket = io(url, {
    auth: { token },
    extraHeaders: headers,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  opened.push(socket);

  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (error) => resolve(error.message));
  });
}

function disconnected(listener: Listener): Promise<string> {
  return new Promise((resolve) =>
    listener.socket.once('disconnect', (reason) => resolve(reason)),
  );
}

/** Sends `count` leave-events at once and collects their acks. */
function burst(listener: Listener, count: number) {
  return Promise.all(
    Array.from({ length: count }, () =>
      listener.socket.timeout(5000).emitWithAck('leave-event', 'none'),
    ),
  );
}

describe('the handshake', () => {
  it.each([
    ['another site', 'https://evil.example'],
    ['a null origin', 'null'],
  ])('a socket from %s is refused', async (_name, origin) => {
    const user = await app.api.newUser();

    expect(await handshake(app.server.url, user.token, { origin })).toBe(
      REFUSALS.origin,
    );
  });

  it('a socket from the app itself, or with no Origin, connects', async () => {
    const user = await app.api.newUser();
    const origin = app.server.url;

    expect(await handshake(app.server.url, user.token, { origin })).toBe(
      'connected',
    );
    expect(await handshake(app.server.url, user.token)).toBe('connected');
  });

  it('a user may hold 3 sockets; a 4th is refused until one closes', async () => {
    const user = await app.api.newUser();
    const sockets = [
      await app.listen(user),
      await app.listen(user),
      await app.listen(user),
    ];

    expect(await handshake(app.server.url, user.token)).toBe(
      REFUSALS.tooManySockets,
    );

    const gone = disconnected(sockets[0]!);
    sockets[0]!.close();
    await gone;
    expect(await retryUntilConnected(app.server.url, user.token)).toBe(
      'connected',
    );
  });
});

// The server learns of a client's close a moment after the client does.
async function retryUntilConnected(url: string, token: string) {
  const deadline = Date.now() + 10_000;
  let outcome = await handshake(url, token);

  while (outcome !== 'connected' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    outcome = await handshake(url, token);
  }

  return outcome;
}

describe('rooms', () => {
  it('a socket may watch 2 events at once', async () => {
    const user = await app.api.newUser();
    const events = [
      await app.api.newEvent(app.admin.token),
      await app.api.newEvent(app.admin.token),
      await app.api.newEvent(app.admin.token),
    ];
    const listener = await app.listen(user);

    expect(await listener.joinEvent(events[0]!.id)).toEqual({ ok: true });
    expect(await listener.joinEvent(events[1]!.id)).toEqual({ ok: true });
    expect(await listener.joinEvent(events[2]!.id)).toEqual({
      ok: false,
      error: REFUSALS.tooManyRooms,
    });
    // Leaving one makes space. (Five events: within a second's budget.)
    await listener.socket.emitWithAck('leave-event', events[0]!.id);
    expect(await listener.joinEvent(events[2]!.id)).toEqual({ ok: true });
  });

  it('a resume naming too many event rooms is refused', async () => {
    const user = await app.api.newUser();
    const events = [
      await app.api.newEvent(app.admin.token),
      await app.api.newEvent(app.admin.token),
      await app.api.newEvent(app.admin.token),
    ];
    const listener = await app.listen(user);
    const cursor = Object.fromEntries(events.map((e) => [`event:${e.id}`, 0]));

    expect(await listener.socket.emitWithAck('resume', cursor)).toEqual({
      ok: false,
      error: REFUSALS.tooManyRooms,
    });
  });
});

describe('client events', () => {
  it('a socket over 5 events a second gets an error ack', async () => {
    const listener = await app.listen(await app.api.newUser());

    const acks = await burst(listener, 6);

    expect(acks.slice(0, 5)).toEqual(Array(5).fill({ ok: true }));
    expect(acks[5]).toEqual({ ok: false, error: REFUSALS.tooFast });
  });

  it('a socket that keeps going is disconnected', async () => {
    const listener = await app.listen(await app.api.newUser());
    const gone = disconnected(listener);

    // 5 allowed, then more refusals than one second's budget.
    for (let count = 0; count < 12; count += 1) {
      listener.socket.emit('leave-event', 'none');
    }

    expect(await gone).toBe('io server disconnect');
  });

  it("a user's sockets share 8 events a second", async () => {
    const user = await app.api.newUser();
    const [first, second] = [await app.listen(user), await app.listen(user)];

    const acks = (
      await Promise.all([burst(first, 5), burst(second, 5)])
    ).flat();
    const refused = acks.filter((ack) => !ack.ok);

    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused[0]).toEqual({ ok: false, error: REFUSALS.tooFast });
  });

  it('a frame over 64 KB ends the socket', async () => {
    const listener = await app.listen(await app.api.newUser());
    const gone = disconnected(listener);

    listener.socket.emit('join-event', 'x'.repeat(70 * 1024));

    expect(await gone).toMatch(/transport (close|error)/);
  });
});

describe('with ALLOWED_ORIGINS', () => {
  let server: RunningServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startServer({ ALLOWED_ORIGINS: 'https://bets.example' });
    user = await new Api(server.url).newUser();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('only the listed origins may open sockets', async () => {
    expect(
      await handshake(server.url, user.token, {
        origin: 'https://bets.example',
      }),
    ).toBe('connected');
    expect(
      await handshake(server.url, user.token, { origin: server.url }),
    ).toBe(REFUSALS.origin);
  });
});
