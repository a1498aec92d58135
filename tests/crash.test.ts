import { describe, expect, it } from 'vitest';
import { openDatabase, queryRows, sql } from '@/lib/db/client';
import type { ResumeAck } from '@/lib/realtime/contract';
import { Api, type TestUser } from './support/api';
import { DATABASE_URL, usesRealServices } from './support/env';
import { startServer, type RunningServer } from './support/server';
import { connect, type Listener } from './support/sockets';

// kill -9 at random moments while bets flow. After every restart the books
// must balance, and in the end every committed push must have reached the
// client, live or replayed after it reconnects. PostgreSQL only: the test
// reads the outbox beside the server, which PGlite's one process forbids.

const ROUNDS = 20;

interface Book {
  cursor: Record<string, number>;
  seen: Set<number>;
}

describe.skipIf(!usesRealServices)('a server killed mid-stream', () => {
  it('keeps the books and delivers every committed push', async () => {
    const database = openDatabase({ url: DATABASE_URL, dataDir: ':memory:' });
    let server = await startServer();
    let api = new Api(server.url);
    const admin = await api.admin();
    const event = await api.newEvent(admin.token);
    const room = `event:${event.id}`;
    const bettors = await Promise.all(
      Array.from({ length: 6 }, () => api.newUser('crash')),
    );
    const book: Book = { cursor: {}, seen: new Set() };

    for (let round = 0; round < ROUNDS; round += 1) {
      const listener = await follow(server, bettors[0]!, room, book);
      const traffic = streamOfBets(api, event.id, bettors);

      await new Promise((r) => setTimeout(r, 100 + Math.random() * 500));
      await server.crash();
      await traffic.stop();
      listener.close();

      server = await startServer();
      api = new Api(server.url);
      await api.expectBooksBalanced(admin.token);
    }

    const listener = await follow(server, bettors[0]!, room, book);
    const committed = await publishedSeqs(database, room);
    await expect
      .poll(() => committed.filter((seq) => !book.seen.has(seq)).length, {
        timeout: 10_000,
      })
      .toBe(0);
    expect(committed.length).toBeGreaterThan(ROUNDS);
    listener.close();
    await server.stop();
    await database.close();
  }, 300_000);
});

/** Connects, resumes from the book's cursor and records what arrives. */
async function follow(
  server: RunningServer,
  user: TestUser,
  room: string,
  book: Book,
): Promise<Listener> {
  const listener = await connect(server.url, user.token);
  const record = (seq: unknown) => {
    if (typeof seq !== 'number') return;
    book.seen.add(seq);
    book.cursor[room] = Math.max(book.cursor[room] ?? 0, seq);
  };
  listener.socket.onAny((_name: string, payload: { seq?: number }) =>
    record(payload.seq),
  );

  // Resuming from 0 on the first connect also joins the room and replays
  // anything committed before it, as a fresh page's snapshot would show.
  const reply: ResumeAck = await listener.socket.emitWithAck('resume', {
    [room]: book.cursor[room] ?? 0,
  });
  if (!reply.ok) throw new Error(reply.error);
  for (const push of reply.pushes) record(push.payload.seq);

  return listener;
}

/** Posts, takes and withdraws offers without waiting, until stopped. */
function streamOfBets(api: Api, eventId: string, bettors: TestUser[]) {
  let running = true;
  const inFlight = new Set<Promise<unknown>>();
  const open: string[] = [];

  const fire = (work: () => Promise<unknown>) => {
    const promise = work()
      .catch(() => undefined)
      .finally(() => inFlight.delete(promise));
    inFlight.add(promise);
  };
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;

  const tick = setInterval(() => {
    if (!running) return;
    const user = pick(bettors);
    fire(async () => {
      const bet = await api.post(
        '/api/bets',
        {
          eventId,
          creatorChoice: 'home',
          creatorAmount: 100,
          acceptorAmount: 100,
        },
        user.token,
      );
      if (bet.status === 201) open.push(bet.body.id);
    });
    const target = open.shift();
    if (target) {
      fire(() =>
        api.post(`/api/bets/${target}/accept`, undefined, pick(bettors).token),
      );
    }
  }, 15);

  return {
    async stop() {
      running = false;
      clearInterval(tick);
      await Promise.all(inFlight);
    },
  };
}

async function publishedSeqs(
  database: ReturnType<typeof openDatabase>,
  room: string,
): Promise<number[]> {
  await expect
    .poll(
      async () => {
        const [row] = await queryRows<{ n: number }>(
          database.db,
          sql`select count(*)::int as n from outbox where seq is null`,
        );
        return row?.n;
      },
      { timeout: 10_000 },
    )
    .toBe(0);

  const rows = await queryRows<{ seq: string }>(
    database.db,
    sql`select seq::text as seq from outbox
      where rooms @> array[${room}]::text[] order by seq`,
  );

  return rows.map((row) => Number(row.seq));
}
