import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type {
  PushMessage,
  ResumeAck,
  ResumeCursor,
} from '@/lib/realtime/contract';
import { Api, type TestUser } from './support/api';
import { usesRealServices } from './support/env';
import { privateRedis } from './support/redis';
import { startServer, type RunningServer } from './support/server';
import { connect, type Listener } from './support/sockets';

// Nothing lost: a push committed while a client, Redis or a server was
// away still reaches every client, once and in order.

const OFFLINE_MS = Number(process.env.RECONNECT_OFFLINE_MS ?? 30_000);

/** The seqs a listener saw for one event room, in arrival order. */
function roomSeqs(listener: Listener, eventId: string): number[] {
  return listener.received
    .filter((push) => push.payload.eventId === eventId)
    .filter((push) => ['new-bet', 'bet-update'].includes(push.name))
    .map((push) => push.payload.seq as number);
}

async function resume(
  listener: Listener,
  cursor: ResumeCursor,
): Promise<PushMessage[]> {
  const reply: ResumeAck = await listener.socket.emitWithAck('resume', cursor);
  if (!reply.ok) throw new Error(reply.error);
  expect(reply.stale).toEqual([]);

  return reply.pushes;
}

/** Twenty changes on one event: offers posted, taken and withdrawn. */
async function twentyChanges(api: Api, eventId: string, users: TestUser[]) {
  const [alice, bob] = users as [TestUser, TestUser];

  for (let i = 0; i < 10; i += 1) {
    const bet = await api.placeBet(alice.token, eventId, {
      creatorAmount: 100 + i,
    });
    const next =
      i % 2 === 0
        ? await api.post(`/api/bets/${bet.id}/accept`, undefined, bob.token)
        : await api.post(`/api/bets/${bet.id}/cancel`, undefined, alice.token);
    expect(next.status).toBe(200);
  }
}

async function sawAll(listener: Listener, eventId: string, count: number) {
  await expect
    .poll(() => roomSeqs(listener, eventId).length, { timeout: 10_000 })
    .toBeGreaterThanOrEqual(count);
}

describe('a client that was away', () => {
  it('gets exactly what it missed when it resumes, in order and within 2 s', async () => {
    const server = await startServer();
    const api = new Api(server.url);
    const admin = await api.admin();
    const users = [await api.newUser(), await api.newUser()];
    const event = await api.newEvent(admin.token);
    const room = `event:${event.id}`;
    const steady = await connect(server.url, users[0]!.token);
    const away = await connect(server.url, users[1]!.token);
    await steady.joinEvent(event.id);
    await away.joinEvent(event.id);
    await api.placeBet(users[0]!.token, event.id);
    await sawAll(away, event.id, 1);
    const cursor = { [room]: Math.max(...roomSeqs(away, event.id)) };
    away.close();

    const offline = new Promise((resolve) => setTimeout(resolve, OFFLINE_MS));
    await twentyChanges(api, event.id, users);
    await offline;
    const back = await connect(server.url, users[1]!.token);
    const started = performance.now();
    const missed = await resume(back, cursor);
    const elapsed = performance.now() - started;

    await sawAll(steady, event.id, 21);
    const expected = roomSeqs(steady, event.id).slice(1);
    const replayed = missed
      .filter((push) => 'eventId' in push.payload)
      .map((push) => push.payload.seq);
    expect(replayed).toEqual(expected);
    expect(new Set(replayed).size).toBe(20);
    expect(elapsed).toBeLessThan(2000);
    steady.close();
    back.close();
    await server.stop();
  }, 120_000);

  it('resumes across a server restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'live-bets-restart-'));
    let server: RunningServer = await startServer({}, { dataDir });
    const api = new Api(server.url);
    const admin = await api.admin();
    const users = [await api.newUser(), await api.newUser()];
    const event = await api.newEvent(admin.token);
    const listener = await connect(server.url, users[1]!.token);
    await listener.joinEvent(event.id);
    await api.placeBet(users[0]!.token, event.id);
    await sawAll(listener, event.id, 1);
    const cursor = {
      [`event:${event.id}`]: Math.max(...roomSeqs(listener, event.id)),
    };
    listener.close();

    await server.stop();
    server = await startServer({}, { dataDir });
    const again = new Api(server.url);
    const watcher = await connect(server.url, users[0]!.token);
    await watcher.joinEvent(event.id);
    await twentyChanges(again, event.id, users);
    await sawAll(watcher, event.id, 20);
    const back = await connect(server.url, users[1]!.token);
    const missed = await resume(back, cursor);

    expect(missed.map((push) => push.payload.seq)).toEqual(
      roomSeqs(watcher, event.id),
    );
    watcher.close();
    back.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);
});

describe.skipIf(!usesRealServices)('a Redis outage', () => {
  it('delays pushes but loses none, and keeps requests working', async () => {
    const redis = await privateRedis(6390 + Math.floor(Math.random() * 50));
    const servers = await Promise.all([
      startServer({ REDIS_URL: redis.url }),
      startServer({ REDIS_URL: redis.url }),
    ]);
    const apis = servers.map((server) => new Api(server.url));
    const admin = await apis[0]!.admin();
    const event = await apis[0]!.newEvent(admin.token);
    const bettors = await Promise.all(apis.map((api) => api.newUser()));
    const listeners = await Promise.all(
      servers.map((server, i) => connect(server.url, bettors[i]!.token)),
    );
    for (const listener of listeners) await listener.joinEvent(event.id);

    await redis.stop();
    const placed: string[] = [];
    const outageEnds = Date.now() + 10_000;
    for (let i = 0; Date.now() < outageEnds; i += 1) {
      const api = apis[i % 2]!;
      const bet = await api.placeBet(bettors[i % 2]!.token, event.id, {
        creatorAmount: 100,
        acceptorAmount: 100,
      });
      placed.push(bet.id);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await redis.start();

    for (const listener of listeners) {
      await sawAll(listener, event.id, placed.length);
      const seqs = roomSeqs(listener, event.id);
      const ids = listener.of('new-bet').map((push) => push.id);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(new Set(ids)).toEqual(new Set(placed));
      listener.close();
    }
    await apis[0]!.expectBooksBalanced(admin.token);
    await Promise.all(servers.map((server) => server.stop()));
    await redis.stop();
  }, 120_000);
});
