import { describe, expect, it } from 'vitest';
import { Api } from './support/api';
import { usesRealServices } from './support/env';
import { startServer } from './support/server';
import { connect, type Listener } from './support/sockets';
import { useTestApp } from './support/suite';

// The live viewer count of an event room, as a watcher sees it.

async function viewersSeenBy(listener: Listener, eventId: string) {
  const counts = listener
    .of('presence')
    .filter((push) => push.eventId === eventId);

  return counts.at(-1)?.viewers;
}

describe('one instance', () => {
  const app = useTestApp({ checkBooks: false });

  it('counts viewers as they join, leave and disconnect', async () => {
    const event = await app.api.newEvent(app.admin.token);
    const [watcher, second, third] = await Promise.all(
      [0, 1, 2].map(async () => app.listen(await app.api.newUser())),
    );
    for (const socket of [watcher!, second!, third!]) {
      await socket.joinEvent(event.id);
    }

    await expect.poll(() => viewersSeenBy(watcher!, event.id)).toBe(3);
    await second!.socket.emitWithAck('leave-event', event.id);
    await expect.poll(() => viewersSeenBy(watcher!, event.id)).toBe(2);
    third!.close();
    await expect.poll(() => viewersSeenBy(watcher!, event.id)).toBe(1);
  });
});

describe.skipIf(!usesRealServices)('two instances', () => {
  it('add up the viewers connected to each', async () => {
    const servers = await Promise.all([startServer(), startServer()]);
    const api = new Api(servers[0]!.url);
    const admin = await api.admin();
    const event = await api.newEvent(admin.token);
    const sockets = await Promise.all(
      [0, 1, 2, 3].map(async (i) =>
        connect(servers[i % 2]!.url, (await api.newUser()).token),
      ),
    );

    for (const socket of sockets) await socket.joinEvent(event.id);

    await expect.poll(() => viewersSeenBy(sockets[0]!, event.id)).toBe(4);
    await expect.poll(() => viewersSeenBy(sockets[1]!, event.id)).toBe(4);
    sockets[3]!.close();
    await expect.poll(() => viewersSeenBy(sockets[0]!, event.id)).toBe(3);
    for (const socket of sockets) socket.close();
    await Promise.all(servers.map((server) => server.stop()));
  });
});
