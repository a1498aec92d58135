import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RECONNECTION, SocketHub } from '@/hooks/use-socket';
import { Api, type TestUser } from './support/api';
import { usesRealServices } from './support/env';
import { startNginx, type RunningNginx } from './support/nginx';
import { startServer, type RunningServer } from './support/server';
import type { ClientSocket } from './support/sockets';

// Three production instances behind Debian's nginx, configured by
// deploy/nginx-config.ts, sharing PostgreSQL and Redis. Clients connect
// only through nginx, with the browser's own socket hub; bets go straight
// to each instance. Then one instance stops and its clients must come
// back through nginx with nothing missed.

interface Client {
  user: TestUser;
  socket: ClientSocket;
  seen: Set<string>;
  close(): void;
}

describe.skipIf(!usesRealServices)('three instances behind nginx', () => {
  const ids = ['app1', 'app2', 'app3'];
  let instances: RunningServer[] = [];
  let nginx: RunningNginx;
  let api: Api;
  let admin: TestUser;
  let event: { id: string };
  const clients: Client[] = [];
  const placed: string[] = [];

  beforeAll(async () => {
    // The hub listens for the browser's online and focus events.
    vi.stubGlobal('window', new EventTarget());
    instances = await Promise.all(
      ids.map((id) =>
        startServer({
          INSTANCE_ID: id,
          TRUST_PROXY: 'true',
          LOG_LEVEL: 'info',
        }),
      ),
    );
    nginx = await startNginx(
      instances.map((server, i) => ({
        id: ids[i]!,
        address: new URL(server.url).host,
      })),
    );
    api = new Api(nginx.url);
    admin = await api.admin();
    event = await api.newEvent(admin.token);
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await nginx?.stop();
    await Promise.all(instances.map((server) => server.stop()));
    vi.unstubAllGlobals();
  });

  it('spreads clients over the instances and keeps polling ones pinned', async () => {
    for (let i = 0; i < 6; i += 1) {
      const user = await api.newUser('nginx');
      // Half start on long polling, which only works if every request of
      // a session reaches the same instance.
      clients.push(await connectClient(nginx.url, user, event.id, i >= 3));
    }

    const hosts = new Set(clients.map((client) => hostOf(client)));
    expect(hosts.size).toBeGreaterThanOrEqual(2);
    expect((await fetch(`${nginx.url}/metrics`)).status).toBe(404);
  });

  it('delivers a bet taken by any instance to every client', async () => {
    for (const [i, server] of instances.entries()) {
      const bettor = clients[i]!.user;
      const bet = await new Api(server.url).placeBet(bettor.token, event.id);
      placed.push(bet.id);
    }

    await expectEveryClientSaw(clients, placed);
  });

  it('brings the clients of a stopped instance back with nothing missed', async () => {
    const victim = busiestInstance(instances, clients);
    const moved = clients.filter((client) => hostOf(client) === victim);
    const survivors = instances.filter((server) => server !== victim);

    await victim.stop();
    instances = survivors;
    await expect
      .poll(() => moved.every((client) => !client.socket.connected))
      .toBe(true);
    // Placed while the moved clients are away: they get these only by
    // resuming from their cursor on another instance.
    for (const [i, server] of survivors.entries()) {
      const bettor = clients[i]!.user;
      const bet = await new Api(server.url).placeBet(bettor.token, event.id);
      placed.push(bet.id);
    }

    await expectEveryClientSaw(clients, placed);
    for (const client of moved) {
      expect(survivors).toContain(hostOf(client));
    }
    expect((await api.get('/api/ready')).status).toBe(200);
  });

  /** The instance whose log shows the client's current socket. */
  function hostOf(client: Client): RunningServer | undefined {
    const marker = `"socketId":"${client.socket.id}"`;

    return instances.find((server) =>
      server
        .output()
        .split('\n')
        .some(
          (line) =>
            line.includes(marker) && line.includes('"msg":"socket connected"'),
        ),
    );
  }

  function busiestInstance(
    servers: RunningServer[],
    all: Client[],
  ): RunningServer {
    const load = (server: RunningServer) =>
      all.filter((client) => hostOf(client) === server).length;

    return [...servers].sort((a, b) => load(b) - load(a))[0]!;
  }
});

/** A browser-like client: the app's socket hub on a socket via nginx. */
async function connectClient(
  url: string,
  user: TestUser,
  eventId: string,
  polling: boolean,
): Promise<Client> {
  const hub = new SocketHub(user.id);
  const seen = new Set<string>();
  hub.api().on('new-bet', (push) => seen.add(push.id));
  hub.api().joinRoom(eventId);
  const synced = new Promise<void>((resolve) => {
    const off = hub.api().onSynced(() => {
      off();
      resolve();
    });
  });

  const socket: ClientSocket = io(url, {
    ...RECONNECTION,
    // Slow enough that the bets placed after a stop land while away.
    reconnectionDelay: 2000,
    reconnectionDelayMax: 2000,
    auth: { token: user.token },
    transports: polling ? ['polling', 'websocket'] : ['websocket'],
    withCredentials: true,
    forceNew: true,
  });
  const detach = hub.attach(socket, () => undefined);
  await Promise.race([
    synced,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error('no session through nginx')), 15_000),
    ),
  ]);

  return { user, socket, seen, close: detach };
}

async function expectEveryClientSaw(clients: Client[], betIds: string[]) {
  await expect
    .poll(
      () =>
        clients.filter((client) => betIds.some((id) => !client.seen.has(id)))
          .length,
      { timeout: 15_000 },
    )
    .toBe(0);
}
