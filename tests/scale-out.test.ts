import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, type TestUser } from './support/api';
import { usesRealServices } from './support/env';
import { startServer, type RunningServer } from './support/server';
import { connect, type Listener } from './support/sockets';

// Two server processes share PostgreSQL and Redis. The embedded backends
// are one process by design, so this runs only against the real services.

describe.skipIf(!usesRealServices)('two server instances', () => {
  let first: RunningServer;
  let second: RunningServer;
  let viaFirst: Api;
  let viaSecond: Api;
  let admin: TestUser;
  const sockets: Listener[] = [];

  beforeAll(async () => {
    [first, second] = await Promise.all([startServer(), startServer()]);
    viaFirst = new Api(first.url);
    viaSecond = new Api(second.url);
    admin = await viaFirst.admin();
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all([first?.stop(), second?.stop()]);
  });

  it('deliver a bet made through one to a socket on the other', async () => {
    const [alice, bob] = [
      await viaFirst.newUser('alice'),
      await viaSecond.newUser('bob'),
    ];
    const event = await viaFirst.newEvent(admin.token);
    const bobOnSecond = await connect(second.url, bob.token);
    const aliceOnSecond = await connect(second.url, alice.token);
    sockets.push(bobOnSecond, aliceOnSecond);
    await bobOnSecond.joinEvent(event.id);

    const bet = await viaFirst.placeBet(alice.token, event.id);

    expect(
      await bobOnSecond.waitFor('new-bet', (p) => p.id === bet.id),
    ).toMatchObject({ creatorId: alice.id, creatorAmount: 1000 });
    expect(
      await aliceOnSecond.waitFor('wallet-update', (p) => p.delta === -1000),
    ).toMatchObject({ frozenBalance: 1000 });
  });

  it('settle through one instance and pay out on the other', async () => {
    const [alice, bob] = [
      await viaFirst.newUser('alice'),
      await viaSecond.newUser('bob'),
    ];
    const event = await viaSecond.newEvent(admin.token);
    const bet = await viaFirst.placeBet(alice.token, event.id);
    const taken = await viaSecond.post(
      `/api/bets/${bet.id}/accept`,
      undefined,
      bob.token,
    );
    expect(taken.status).toBe(200);
    const bobOnFirst = await connect(first.url, bob.token);
    sockets.push(bobOnFirst);

    await viaSecond.post(
      `/api/events/${event.id}/result`,
      { result: 'away' },
      admin.token,
    );

    expect(await bobOnFirst.waitFor('bet-resolved')).toMatchObject({
      betId: bet.id,
      outcome: 'won',
      amount: 1000,
    });
    expect(await viaFirst.wallet(bob.token)).toMatchObject({
      balance: 101_000,
    });
    await viaSecond.expectBooksBalanced(admin.token);
  });
});
