import { describe, expect, it } from 'vitest';
import { useTestApp } from './support/suite';

const app = useTestApp();

describe('placing a bet', () => {
  it('freezes the stake and shows the offer to everyone in the event room', async () => {
    const [alice, bob] = [
      await app.api.newUser('alice'),
      await app.api.newUser('bob'),
    ];
    const event = await app.api.newEvent(app.admin.token);
    const bobSees = await app.listen(bob, event.id);
    const aliceSees = await app.listen(alice);

    const bet = await app.api.placeBet(alice.token, event.id, {
      creatorAmount: 1000,
      acceptorAmount: 800,
    });

    expect(bet).toMatchObject({
      eventId: event.id,
      creatorId: alice.id,
      creatorUsername: alice.username,
      creatorChoice: 'home',
      creatorAmount: 1000,
      acceptorAmount: 800,
      status: 'open',
      acceptorId: null,
      winnerId: null,
    });
    const pushed = await bobSees.waitFor('new-bet', (p) => p.id === bet.id);
    expect(pushed).toMatchObject({
      creatorUsername: alice.username,
      creatorAmount: 1000,
      acceptorAmount: 800,
      status: 'open',
    });
    expect(pushed.timestamp).toEqual(expect.any(Number));
    expect(await app.api.wallet(alice.token)).toEqual({
      balance: 100_000,
      availableBalance: 99_000,
      frozenBalance: 1000,
    });
    const update = await aliceSees.waitFor(
      'wallet-update',
      (p) => p.reason === 'bet_placed',
    );
    expect(update).toMatchObject({
      availableBalance: 99_000,
      frozenBalance: 1000,
      delta: -1000,
    });
  });

  it('refuses a stake larger than the available balance and moves nothing', async () => {
    const alice = await app.api.newUser('poor');
    const event = await app.api.newEvent(app.admin.token);
    await app.api.placeBet(alice.token, event.id, { creatorAmount: 95_000 });

    const response = await app.api.post(
      '/api/bets',
      {
        eventId: event.id,
        creatorChoice: 'away',
        creatorAmount: 6000,
        acceptorAmount: 100,
      },
      alice.token,
    );

    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('INSUFFICIENT_FUNDS');
    expect(await app.api.wallet(alice.token)).toEqual({
      balance: 100_000,
      availableBalance: 5000,
      frozenBalance: 95_000,
    });
    const open = await app.api.get(`/api/events/${event.id}/bets?status=open`);
    expect(open.body.items).toHaveLength(1);
  });

  it('refuses an outcome the event does not have', async () => {
    const alice = await app.api.newUser();
    const event = await app.api.newEvent(app.admin.token, {
      outcomes: ['home', 'away'],
    });

    const response = await app.api.post(
      '/api/bets',
      {
        eventId: event.id,
        creatorChoice: 'draw',
        creatorAmount: 500,
        acceptorAmount: 500,
      },
      alice.token,
    );

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
    expect((await app.api.wallet(alice.token)).frozenBalance).toBe(0);
  });

  it('refuses bets on an event that has finished', async () => {
    const alice = await app.api.newUser();
    const event = await app.api.newEvent(app.admin.token);
    await app.api.post(
      `/api/events/${event.id}/result`,
      { result: 'home' },
      app.admin.token,
    );

    const response = await app.api.post(
      '/api/bets',
      {
        eventId: event.id,
        creatorChoice: 'home',
        creatorAmount: 500,
        acceptorAmount: 500,
      },
      alice.token,
    );

    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('EVENT_NOT_OPEN');
  });
});

describe('accepting a bet', () => {
  it('freezes the taker stake and tells the event room who took it', async () => {
    const [alice, bob] = [await app.api.newUser(), await app.api.newUser()];
    const event = await app.api.newEvent(app.admin.token);
    const watcher = await app.listen(alice, event.id);
    const bet = await app.api.placeBet(alice.token, event.id);

    const response = await app.api.post(
      `/api/bets/${bet.id}/accept`,
      undefined,
      bob.token,
    );

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'accepted',
      acceptorId: bob.id,
      acceptorUsername: bob.username,
    });
    expect(
      await watcher.waitFor('bet-update', (p) => p.id === bet.id),
    ).toMatchObject({
      action: 'accepted',
      status: 'accepted',
      acceptorId: bob.id,
      acceptorUsername: bob.username,
    });
    expect(await app.api.wallet(bob.token)).toEqual({
      balance: 100_000,
      availableBalance: 99_200,
      frozenBalance: 800,
    });
  });

  it('lets exactly one of twenty concurrent takers win', async () => {
    const alice = await app.api.newUser();
    const takers = await Promise.all(
      Array.from({ length: 20 }, () => app.api.newUser('taker')),
    );
    const event = await app.api.newEvent(app.admin.token);
    const bet = await app.api.placeBet(alice.token, event.id);

    const responses = await Promise.all(
      takers.map((taker) =>
        app.api.post(`/api/bets/${bet.id}/accept`, undefined, taker.token),
      ),
    );

    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const response of responses.filter((r) => r.status === 409)) {
      expect(response.body.error.code).toBe('BET_NOT_OPEN');
    }
    const wallets = await Promise.all(
      takers.map((t) => app.api.wallet(t.token)),
    );
    expect(wallets.filter((w) => w.frozenBalance === 800)).toHaveLength(1);
    expect(wallets.filter((w) => w.availableBalance === 100_000)).toHaveLength(
      19,
    );
  });

  it('does not let a creator take their own offer', async () => {
    const alice = await app.api.newUser();
    const event = await app.api.newEvent(app.admin.token);
    const bet = await app.api.placeBet(alice.token, event.id);

    const response = await app.api.post(
      `/api/bets/${bet.id}/accept`,
      undefined,
      alice.token,
    );

    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('CANNOT_ACCEPT_OWN_BET');
  });

  it('keeps the taker money when they cannot cover the stake', async () => {
    const [alice, bob] = [await app.api.newUser(), await app.api.newUser()];
    const event = await app.api.newEvent(app.admin.token);
    const bet = await app.api.placeBet(alice.token, event.id, {
      creatorAmount: 500,
      acceptorAmount: 100_001,
    });

    const response = await app.api.post(
      `/api/bets/${bet.id}/accept`,
      undefined,
      bob.token,
    );

    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('INSUFFICIENT_FUNDS');
    expect(await app.api.wallet(bob.token)).toMatchObject({
      availableBalance: 100_000,
    });
    const still = await app.api.get(`/api/events/${event.id}/bets?status=open`);
    expect(still.body.items.map((b: { id: string }) => b.id)).toContain(bet.id);
  });
});

describe('cancelling a bet', () => {
  it('unfreezes the stake and tells the event room', async () => {
    const alice = await app.api.newUser();
    const event = await app.api.newEvent(app.admin.token);
    const bet = await app.api.placeBet(alice.token, event.id);
    const watcher = await app.listen(alice, event.id);

    const response = await app.api.post(
      `/api/bets/${bet.id}/cancel`,
      undefined,
      alice.token,
    );

    expect(response.status).toBe(200);
    expect(response.body.status).toBe('cancelled');
    expect(
      await watcher.waitFor('bet-update', (p) => p.id === bet.id),
    ).toMatchObject({
      action: 'cancelled',
      status: 'cancelled',
    });
    expect(await app.api.wallet(alice.token)).toEqual({
      balance: 100_000,
      availableBalance: 100_000,
      frozenBalance: 0,
    });
  });

  it('is only for the creator, and only while the offer is open', async () => {
    const [alice, bob, carol] = [
      await app.api.newUser(),
      await app.api.newUser(),
      await app.api.newUser(),
    ];
    const event = await app.api.newEvent(app.admin.token);
    const bet = await app.api.placeBet(alice.token, event.id);

    const byOther = await app.api.post(
      `/api/bets/${bet.id}/cancel`,
      undefined,
      carol.token,
    );
    await app.api.post(`/api/bets/${bet.id}/accept`, undefined, bob.token);
    const afterAccept = await app.api.post(
      `/api/bets/${bet.id}/cancel`,
      undefined,
      alice.token,
    );

    expect(byOther.status).toBe(403);
    expect(byOther.body.error.code).toBe('NOT_BET_CREATOR');
    expect(afterAccept.status).toBe(409);
    expect(afterAccept.body.error.code).toBe('BET_NOT_OPEN');
    expect((await app.api.wallet(alice.token)).frozenBalance).toBe(1000);
  });
});

describe('idempotency keys', () => {
  it('replays the first answer and moves no money twice', async () => {
    const alice = await app.api.newUser();
    const event = await app.api.newEvent(app.admin.token);
    const body = {
      eventId: event.id,
      creatorChoice: 'home',
      creatorAmount: 700,
      acceptorAmount: 700,
    };
    const send = () =>
      app.api.request('POST', '/api/bets', {
        token: alice.token,
        body,
        headers: { 'idempotency-key': 'bet-once-1' },
      });

    const [first, second] = await Promise.all([send(), send()]);
    const third = await send();

    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(third.body).toEqual(first.body);
    expect(second.body).toEqual(first.body);
    expect((await app.api.wallet(alice.token)).frozenBalance).toBe(700);
    const open = await app.api.get(`/api/events/${event.id}/bets`);
    expect(open.body.items).toHaveLength(1);
  });

  it('refuses the same key with a different request', async () => {
    const alice = await app.api.newUser();
    const event = await app.api.newEvent(app.admin.token);
    const send = (amount: number) =>
      app.api.request('POST', '/api/bets', {
        token: alice.token,
        body: {
          eventId: event.id,
          creatorChoice: 'home',
          creatorAmount: amount,
          acceptorAmount: 700,
        },
        headers: { 'idempotency-key': 'bet-key-2' },
      });

    expect((await send(700)).status).toBe(201);
    const reused = await send(900);

    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await app.api.wallet(alice.token)).frozenBalance).toBe(700);
  });

  it('keeps keys apart between users', async () => {
    const [alice, bob] = [await app.api.newUser(), await app.api.newUser()];
    const event = await app.api.newEvent(app.admin.token);
    const bet = await app.api.placeBet(alice.token, event.id);
    const body = {
      eventId: event.id,
      creatorChoice: 'home',
      creatorAmount: 700,
      acceptorAmount: 700,
    };

    const byAlice = await app.api.request('POST', '/api/bets', {
      token: alice.token,
      body,
      headers: { 'idempotency-key': 'shared' },
    });
    const byBob = await app.api.request('POST', '/api/bets', {
      token: bob.token,
      body,
      headers: { 'idempotency-key': 'shared' },
    });

    expect(byAlice.status).toBe(201);
    expect(byBob.status).toBe(201);
    expect(byBob.body.id).not.toBe(byAlice.body.id);
    expect(byBob.body.creatorId).toBe(bob.id);
    expect(bet.id).not.toBe(byBob.body.id);
  });
});
