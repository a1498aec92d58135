import { describe, expect, it } from 'vitest';
import type { ApiResponse, TestUser } from './support/api';
import { useTestApp } from './support/suite';

// Requests that race for the same offer, balance or event, fired at the
// real server at once. Whatever order the database serialises them in,
// exactly one may win, the losers get the documented 409, requests that
// may all succeed do, and the books balance afterwards (useTestApp audits
// them after every test).

const app = useTestApp();

const SIGNUP_CREDIT = 100_000;
const ROUNDS = 3;

type Wallet = Awaited<ReturnType<typeof app.api.wallet>>;

const untouched: Wallet = {
  balance: SIGNUP_CREDIT,
  availableBalance: SIGNUP_CREDIT,
  frozenBalance: 0,
};

/** Registers users a few at a time: each signup hashes a password. */
async function newUsers(count: number, prefix: string): Promise<TestUser[]> {
  const users: TestUser[] = [];

  while (users.length < count) {
    const batch = Math.min(10, count - users.length);
    const made = Array.from({ length: batch }, () => app.api.newUser(prefix));
    users.push(...(await Promise.all(made)));
  }

  return users;
}

/** Counts responses by status and error code: `{ '409 BET_NOT_OPEN': 2 }`. */
function tally(responses: ApiResponse[]): Record<string, number> {
  const counts: Record<string, number> = {};

  for (const { status, body } of responses) {
    const key = body?.error ? `${status} ${body.error.code}` : `${status}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }

  return counts;
}

function winnerOf<T>(candidates: T[], responses: ApiResponse[]): T {
  const index = responses.findIndex((r) => r.status < 300);
  expect(index, 'no request won').toBeGreaterThanOrEqual(0);

  return candidates[index]!;
}

const accept = (betId: string, user: TestUser) =>
  app.api.post(`/api/bets/${betId}/accept`, undefined, user.token);

const cancelOffer = (betId: string, user: TestUser) =>
  app.api.post(`/api/bets/${betId}/cancel`, undefined, user.token);

const registerResult = (eventId: string, result: string) =>
  app.api.post(`/api/events/${eventId}/result`, { result }, app.admin.token);

const cancelEvent = (eventId: string) =>
  app.api.post(`/api/events/${eventId}/cancel`, undefined, app.admin.token);

async function betsOf(eventId: string) {
  const response = await app.api.get(`/api/events/${eventId}/bets`);
  expect(response.status).toBe(200);

  return response.body.items as Array<{
    id: string;
    status: string;
    acceptorId: string | null;
  }>;
}

async function matchedBet(
  eventId: string,
  creator: TestUser,
  taker: TestUser,
  bet: { creatorChoice: string; creatorAmount: number; acceptorAmount: number },
) {
  const offer = await app.api.placeBet(creator.token, eventId, bet);
  expect((await accept(offer.id, taker)).status).toBe(200);

  return { ...bet, creator, taker };
}

describe('fifty people taking one offer at the same moment', () => {
  it("matches exactly one and moves only the winner's money", async () => {
    const creator = await app.api.newUser('maker');
    const takers = await newUsers(50, 'taker');
    const event = await app.api.newEvent(app.admin.token);
    const offer = await app.api.placeBet(creator.token, event.id, {
      creatorAmount: 1000,
      acceptorAmount: 800,
    });

    const responses = await Promise.all(
      takers.map((taker) => accept(offer.id, taker)),
    );

    expect(tally(responses)).toEqual({ '200': 1, '409 BET_NOT_OPEN': 49 });
    const winner = winnerOf(takers, responses);
    const [bet] = await betsOf(event.id);
    expect(bet).toMatchObject({ status: 'accepted', acceptorId: winner.id });
    const wallets = await Promise.all(
      takers.map((t) => app.api.wallet(t.token)),
    );
    wallets.forEach((wallet, i) => {
      const expected =
        takers[i] === winner
          ? { ...untouched, availableBalance: 99_200, frozenBalance: 800 }
          : untouched;
      expect(wallet, takers[i]!.username).toEqual(expected);
    });
    expect(await app.api.wallet(creator.token)).toEqual({
      ...untouched,
      availableBalance: 99_000,
      frozenBalance: 1000,
    });
  });
});

describe('one person posting many offers at the same moment', () => {
  it('freezes no more than their balance and refuses the rest', async () => {
    const stake = 5000;
    const fits = Math.floor(SIGNUP_CREDIT / stake);
    const alice = await app.api.newUser('spender');
    const event = await app.api.newEvent(app.admin.token);
    const offer = {
      eventId: event.id,
      creatorChoice: 'home',
      creatorAmount: stake,
      acceptorAmount: stake,
    };

    const responses = await Promise.all(
      Array.from({ length: 30 }, () =>
        app.api.post('/api/bets', offer, alice.token),
      ),
    );

    expect(tally(responses)).toEqual({
      '201': fits,
      '409 INSUFFICIENT_FUNDS': 30 - fits,
    });
    expect(await app.api.wallet(alice.token)).toEqual({
      balance: SIGNUP_CREDIT,
      availableBalance: SIGNUP_CREDIT - fits * stake,
      frozenBalance: fits * stake,
    });
    expect(await betsOf(event.id)).toHaveLength(fits);
  });
});

describe('five results sent for one event at the same moment', () => {
  it('settles the event once and pays each winner once', async () => {
    const [ann, ben, cat, dan] = await newUsers(4, 'settler');
    const event = await app.api.newEvent(app.admin.token);
    const bets = [
      await matchedBet(event.id, ann!, ben!, {
        creatorChoice: 'home',
        creatorAmount: 1000,
        acceptorAmount: 800,
      }),
      await matchedBet(event.id, cat!, dan!, {
        creatorChoice: 'draw',
        creatorAmount: 600,
        acceptorAmount: 1500,
      }),
      await matchedBet(event.id, dan!, ann!, {
        creatorChoice: 'away',
        creatorAmount: 2000,
        acceptorAmount: 700,
      }),
    ];
    const sent = ['home', 'draw', 'away', 'home', 'draw'];

    const responses = await Promise.all(
      sent.map((result) => registerResult(event.id, result)),
    );

    expect(tally(responses)).toEqual({
      '200': 1,
      '409 EVENT_ALREADY_SETTLED': 4,
    });
    const result = winnerOf(sent, responses);
    for (const user of [ann!, ben!, cat!, dan!]) {
      const net = netWinnings(bets, user, result);
      expect(await app.api.wallet(user.token), user.username).toEqual({
        balance: SIGNUP_CREDIT + net,
        availableBalance: SIGNUP_CREDIT + net,
        frozenBalance: 0,
      });
    }
  });
});

// What `user` won (the opponent's stake) or lost (their own) over `bets`
// once `result` is in; the acceptor backs every other outcome.
function netWinnings(
  bets: Awaited<ReturnType<typeof matchedBet>>[],
  user: TestUser,
  result: string,
): number {
  let net = 0;

  for (const bet of bets) {
    const creatorWins = bet.creatorChoice === result;
    if (bet.creator === user) {
      net += creatorWins ? bet.acceptorAmount : -bet.creatorAmount;
    } else if (bet.taker === user) {
      net += creatorWins ? -bet.acceptorAmount : bet.creatorAmount;
    }
  }

  return net;
}

describe('an event cancelled while its result is registered', () => {
  it('ends the event exactly one way and pays accordingly', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const [alice, bob] = await newUsers(2, 'ender');
      const event = await app.api.newEvent(app.admin.token);
      await matchedBet(event.id, alice!, bob!, {
        creatorChoice: 'home',
        creatorAmount: 1000,
        acceptorAmount: 1000,
      });

      const responses = await Promise.all([
        cancelEvent(event.id),
        registerResult(event.id, 'home'),
      ]);

      expect(tally(responses)).toEqual({ '200': 1, '409 EVENT_NOT_OPEN': 1 });
      const ending = winnerOf(['cancelled', 'finished'], responses);
      const [bet] = await betsOf(event.id);
      expect(bet!.status).toBe(ending === 'cancelled' ? 'void' : 'settled');
      const swing = ending === 'cancelled' ? 0 : 1000;
      expect(await app.api.wallet(alice!.token)).toMatchObject({
        balance: SIGNUP_CREDIT + swing,
        frozenBalance: 0,
      });
      expect(await app.api.wallet(bob!.token)).toMatchObject({
        balance: SIGNUP_CREDIT - swing,
        frozenBalance: 0,
      });
    }
  });
});

describe('an offer taken while its creator withdraws it', () => {
  it('either matches it or withdraws it, never both', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const [alice, bob] = await newUsers(2, 'withdrawer');
      const event = await app.api.newEvent(app.admin.token);
      const offer = await app.api.placeBet(alice!.token, event.id, {
        creatorAmount: 1000,
        acceptorAmount: 800,
      });

      const responses = await Promise.all([
        accept(offer.id, bob!),
        cancelOffer(offer.id, alice!),
      ]);

      expect(tally(responses)).toEqual({ '200': 1, '409 BET_NOT_OPEN': 1 });
      const winner = winnerOf(['accepted', 'cancelled'], responses);
      const [bet] = await betsOf(event.id);
      expect(bet!.status).toBe(winner);
      const matched = winner === 'accepted';
      expect(await app.api.wallet(alice!.token)).toEqual({
        balance: SIGNUP_CREDIT,
        availableBalance: SIGNUP_CREDIT - (matched ? 1000 : 0),
        frozenBalance: matched ? 1000 : 0,
      });
      expect(await app.api.wallet(bob!.token)).toEqual({
        balance: SIGNUP_CREDIT,
        availableBalance: SIGNUP_CREDIT - (matched ? 800 : 0),
        frozenBalance: matched ? 800 : 0,
      });
    }
  });
});

describe('one person withdrawing offers while posting new ones', () => {
  it('answers every request without an error', async () => {
    const alice = await app.api.newUser('juggler');
    const event = await app.api.newEvent(app.admin.token);
    const stake = { creatorAmount: 1000, acceptorAmount: 1000 };
    const offers = [];
    for (let i = 0; i < 20; i += 1) {
      offers.push(await app.api.placeBet(alice.token, event.id, stake));
    }
    const fresh = { eventId: event.id, creatorChoice: 'home', ...stake };

    // Withdrawing releases frozen -> available while posting freezes
    // available -> frozen: both touch the same two account rows.
    const responses = await Promise.all([
      ...offers.map((offer) => cancelOffer(offer.id, alice)),
      ...offers.map(() => app.api.post('/api/bets', fresh, alice.token)),
    ]);

    expect(tally(responses)).toEqual({ '200': 20, '201': 20 });
    expect(await app.api.wallet(alice.token)).toEqual({
      balance: SIGNUP_CREDIT,
      availableBalance: SIGNUP_CREDIT - 20 * 1000,
      frozenBalance: 20 * 1000,
    });
  });
});
