import { describe, expect, it } from 'vitest';
import { useTestApp } from './support/suite';

const app = useTestApp();

/** Alice offers `home` at 10.00 against 8.00 and Bob takes it. */
async function matchedBet() {
  const [alice, bob] = [
    await app.api.newUser('alice'),
    await app.api.newUser('bob'),
  ];
  const event = await app.api.newEvent(app.admin.token);
  const bet = await app.api.placeBet(alice.token, event.id, {
    creatorChoice: 'home',
    creatorAmount: 1000,
    acceptorAmount: 800,
  });
  const taken = await app.api.post(
    `/api/bets/${bet.id}/accept`,
    undefined,
    bob.token,
  );
  expect(taken.status).toBe(200);

  return { alice, bob, event, bet };
}

describe('registering a result', () => {
  it('pays the winner the loser stake and tells both of them', async () => {
    const { alice, bob, event, bet } = await matchedBet();
    const aliceSees = await app.listen(alice);
    const bobSees = await app.listen(bob);
    const room = await app.listen(await app.api.newUser('watcher'), event.id);

    const response = await app.api.post(
      `/api/events/${event.id}/result`,
      { result: 'home' },
      app.admin.token,
    );

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      event: { id: event.id, status: 'finished', result: 'home' },
      settledBets: 1,
      cancelledBets: 0,
    });
    expect(await app.api.wallet(alice.token)).toEqual({
      balance: 100_800,
      availableBalance: 100_800,
      frozenBalance: 0,
    });
    expect(await app.api.wallet(bob.token)).toEqual({
      balance: 99_200,
      availableBalance: 99_200,
      frozenBalance: 0,
    });
    expect(
      await aliceSees.waitFor('bet-resolved', (p) => p.betId === bet.id),
    ).toMatchObject({
      eventId: event.id,
      betId: bet.id,
      outcome: 'won',
      isWinner: true,
      amount: 800,
    });
    expect(
      await bobSees.waitFor('bet-resolved', (p) => p.betId === bet.id),
    ).toMatchObject({
      betId: bet.id,
      outcome: 'lost',
      isWinner: false,
      amount: 0,
    });
    expect(
      await aliceSees.waitFor('wallet-update', (p) => p.reason === 'bet_won'),
    ).toMatchObject({ balance: 100_800, delta: 1800, frozenBalance: 0 });
    expect(
      await bobSees.waitFor('wallet-update', (p) => p.reason === 'bet_lost'),
    ).toMatchObject({ balance: 99_200, frozenBalance: 0 });
    const result = await room.waitFor(
      'event-result',
      (p) => p.eventId === event.id,
    );
    expect(result).toMatchObject({
      eventId: event.id,
      result: 'home',
      affectedBets: 1,
      affectedUsers: 2,
      winnerIds: [alice.id],
    });
    expect(result.userResults).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: alice.id, net: 800 }),
        expect.objectContaining({ userId: bob.id, net: -800 }),
      ]),
    );
  });

  it('pays the taker when the result is anything but the creator choice', async () => {
    const { alice, bob, event } = await matchedBet();

    await app.api.post(
      `/api/events/${event.id}/result`,
      { result: 'draw' },
      app.admin.token,
    );

    expect((await app.api.wallet(alice.token)).balance).toBe(99_000);
    expect((await app.api.wallet(bob.token)).balance).toBe(101_000);
    const mine = await app.api.get('/api/bets/mine', bob.token);
    expect(mine.body.items[0]).toMatchObject({
      status: 'settled',
      winnerId: bob.id,
    });
  });

  it('cancels and refunds the offers nobody took', async () => {
    const alice = await app.api.newUser();
    const event = await app.api.newEvent(app.admin.token);
    const bet = await app.api.placeBet(alice.token, event.id);
    const aliceSees = await app.listen(alice);

    const response = await app.api.post(
      `/api/events/${event.id}/result`,
      { result: 'away' },
      app.admin.token,
    );

    expect(response.body).toMatchObject({ settledBets: 0, cancelledBets: 1 });
    expect(await app.api.wallet(alice.token)).toEqual({
      balance: 100_000,
      availableBalance: 100_000,
      frozenBalance: 0,
    });
    expect(await aliceSees.waitFor('bet-resolved')).toMatchObject({
      betId: bet.id,
      outcome: 'cancelled',
      amount: 0,
    });
  });

  it('refuses a second result and never pays twice', async () => {
    const { alice, bob, event } = await matchedBet();
    const send = (result: string) =>
      app.api.post(
        `/api/events/${event.id}/result`,
        { result },
        app.admin.token,
      );

    const results = await Promise.all([
      send('home'),
      send('home'),
      send('away'),
    ]);

    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    for (const refused of results.filter((r) => r.status === 409)) {
      expect(refused.body.error.code).toBe('EVENT_ALREADY_SETTLED');
    }
    const total =
      (await app.api.wallet(alice.token)).balance +
      (await app.api.wallet(bob.token)).balance;
    expect(total).toBe(200_000);
  });

  it('settles many bets between many users exactly', async () => {
    const users = await Promise.all(
      Array.from({ length: 6 }, (_, i) => app.api.newUser(`u${i}`)),
    );
    const event = await app.api.newEvent(app.admin.token);
    const expected = new Map(users.map((u) => [u.id, 100_000]));
    const choices = ['home', 'draw', 'away'];

    for (let i = 0; i < 30; i += 1) {
      const creator = users[i % 6]!;
      const taker = users[(i + 1 + (i % 5)) % 6]!;
      const choice = choices[i % 3]!;
      const stakes = {
        creatorAmount: 100 + i * 37,
        acceptorAmount: 150 + i * 11,
      };
      const bet = await app.api.placeBet(creator.token, event.id, {
        creatorChoice: choice,
        ...stakes,
      });
      if (taker.id === creator.id) continue;
      await app.api.post(`/api/bets/${bet.id}/accept`, undefined, taker.token);

      const creatorWins = choice === 'draw';
      const delta = creatorWins ? stakes.acceptorAmount : -stakes.creatorAmount;
      expected.set(creator.id, expected.get(creator.id)! + delta);
      expected.set(taker.id, expected.get(taker.id)! - delta);
    }

    await app.api.post(
      `/api/events/${event.id}/result`,
      { result: 'draw' },
      app.admin.token,
    );

    for (const user of users) {
      expect(await app.api.wallet(user.token)).toEqual({
        balance: expected.get(user.id),
        availableBalance: expected.get(user.id),
        frozenBalance: 0,
      });
    }
  });
});

describe('cancelling an event', () => {
  it('voids matched bets and refunds both stakes', async () => {
    const { alice, bob, event, bet } = await matchedBet();
    const bobSees = await app.listen(bob);

    const response = await app.api.post(
      `/api/events/${event.id}/cancel`,
      undefined,
      app.admin.token,
    );

    expect(response.status).toBe(200);
    expect(response.body.event.status).toBe('cancelled');
    for (const user of [alice, bob]) {
      expect(await app.api.wallet(user.token)).toEqual({
        balance: 100_000,
        availableBalance: 100_000,
        frozenBalance: 0,
      });
    }
    expect(await bobSees.waitFor('bet-resolved')).toMatchObject({
      betId: bet.id,
      outcome: 'void',
      isWinner: false,
      amount: 0,
    });
    const again = await app.api.post(
      `/api/events/${event.id}/cancel`,
      undefined,
      app.admin.token,
    );
    expect(again.status).toBe(409);
    const late = await app.api.post(
      `/api/events/${event.id}/result`,
      { result: 'home' },
      app.admin.token,
    );
    expect(late.status).toBe(409);
  });
});

describe('the wallet history', () => {
  it('shows each movement with the balances after it', async () => {
    const { alice, event } = await matchedBet();
    await app.api.post(
      `/api/events/${event.id}/result`,
      { result: 'home' },
      app.admin.token,
    );

    const history = await app.api.get('/api/wallet/transactions', alice.token);

    const reasons = history.body.items.map((i: { reason: string }) => i.reason);
    expect(reasons).toEqual(['bet_won', 'bet_won', 'bet_placed', 'signup']);
    expect(history.body.items[0]).toMatchObject({
      availableAfter: 100_800,
      frozenAfter: 0,
      eventId: event.id,
    });
    expect(history.body.items.at(-1)).toMatchObject({
      delta: 100_000,
      availableAfter: 100_000,
    });
  });
});

describe('live event changes', () => {
  it('reach the event room and the lobby', async () => {
    const event = await app.api.newEvent(app.admin.token);
    const lobby = await app.listen(await app.api.newUser());

    const started = await app.api.post(
      `/api/events/${event.id}/start`,
      undefined,
      app.admin.token,
    );
    const scored = await app.api.request(
      'PATCH',
      `/api/events/${event.id}/live`,
      {
        token: app.admin.token,
        body: { score: '2-1', clock: "67'" },
      },
    );

    expect(started.body.status).toBe('live');
    expect(scored.body).toMatchObject({
      score: '2-1',
      clock: "67'",
      status: 'live',
    });
    expect(
      await lobby.waitFor(
        'event-update',
        (p) => p.eventId === event.id && p.score === '2-1',
      ),
    ).toMatchObject({ status: 'live', clock: "67'", info: null });
    const again = await app.api.post(
      `/api/events/${event.id}/start`,
      undefined,
      app.admin.token,
    );
    expect(again.status).toBe(409);
  });
});
