import { describe, it, expect, beforeAll } from 'vitest';
import type { ApiResponse, TestUser } from './support/api';
import { useTestApp } from './support/suite';

// Every case sends one bad request against the real server and checks two
// things a user would notice: the answer explains itself with the right
// status and code, and nothing changed (no money moved, no bet or event
// created or altered). Each case gets a fresh bettor so a leak in one case
// cannot hide in, or spill into, another.

const app = useTestApp();
let eventId: string;

beforeAll(async () => {
  eventId = (await app.api.newEvent(app.admin.token)).id;
});

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

interface Fixture {
  eventId: string;
  bettor: TestUser;
}

type Built<T> = T | ((fixture: Fixture) => T);

interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  path: Built<string>;
  body?: Built<unknown>;
  raw?: Built<string>;
  /** Who sends it; the bettor unless said otherwise. */
  as?: 'bettor' | 'admin' | 'nobody';
  expectedStatus: number;
  expectedCode: string;
}

function build<T>(value: Built<T>, fixture: Fixture): T {
  return typeof value === 'function'
    ? (value as (fixture: Fixture) => T)(fixture)
    : value;
}

/** A valid offer on the test event, with `changes` applied. */
function bet(changes: Record<string, unknown> = {}) {
  return ({ eventId }: Fixture) => ({
    eventId,
    creatorChoice: 'home',
    creatorAmount: 1000,
    acceptorAmount: 800,
    ...changes,
  });
}

/** The same offer as JSON text, with `amount` spliced in unparsed. */
function rawBet(amount: string) {
  return ({ eventId }: Fixture) =>
    `{"eventId":"${eventId}","creatorChoice":"home",` +
    `"creatorAmount":${amount},"acceptorAmount":800}`;
}

function newEvent(changes: Record<string, unknown> = {}) {
  return {
    name: 'Validation match',
    sport: 'football',
    outcomes: ['home', 'draw', 'away'],
    startsAt: new Date(Date.now() + 3600_000).toISOString(),
    ...changes,
  };
}

function credit(amount: unknown) {
  return ({ bettor }: Fixture) => ({ username: bettor.username, amount });
}

const eventPath = (suffix: string) => (fixture: Fixture) =>
  `/api/events/${fixture.eventId}${suffix}`;

function tokenOf(c: Case, fixture: Fixture): string | undefined {
  if (c.as === 'nobody') return undefined;

  return c.as === 'admin' ? app.admin.token : fixture.bettor.token;
}

function send(c: Case, fixture: Fixture): Promise<ApiResponse> {
  return app.api.request(c.method, build(c.path, fixture), {
    token: tokenOf(c, fixture),
    body: c.body === undefined ? undefined : build(c.body, fixture),
    raw: c.raw === undefined ? undefined : build(c.raw, fixture),
  });
}

/** Everything a bad request must leave as it was. */
async function snapshot(bettor: TestUser) {
  const [wallet, mine, history, events] = await Promise.all([
    app.api.wallet(bettor.token),
    app.api.get('/api/bets/mine', bettor.token),
    app.api.get('/api/wallet/transactions', bettor.token),
    app.api.get('/api/events'),
  ]);

  return {
    wallet,
    bets: mine.body.items,
    history: history.body.items,
    events: events.body.items,
  };
}

function expectExplainedRefusal(response: ApiResponse, c: Case) {
  const shown = JSON.stringify(response.body);

  expect(response.status, shown).toBe(c.expectedStatus);
  expect(response.status, shown).toBeLessThan(500);
  expect(response.body.error.code, shown).toBe(c.expectedCode);

  const { message } = response.body.error;
  expect(message).toEqual(expect.any(String));
  expect(message.trim()).not.toBe('');
  expect(message).not.toMatch(/\bat \S+ \(|\bat .*:\d+:\d+/);
}

async function expectRefusedWithoutEffect(c: Case) {
  const bettor = await app.api.newUser('val');
  const fixture = { eventId, bettor };
  const before = await snapshot(bettor);

  const response = await send(c, fixture);

  expectExplainedRefusal(response, c);
  expect(await snapshot(bettor)).toEqual(before);
  expect(before.wallet).toEqual({
    balance: 100_000,
    availableBalance: 100_000,
    frozenBalance: 0,
  });
}

/** A POST /api/bets case; the body is parsed JSON unless it is text. */
function badBet(
  name: string,
  sent: { body: Built<unknown> } | { raw: Built<string> },
  expectedStatus = 400,
  expectedCode = 'VALIDATION_ERROR',
): Case {
  return {
    name,
    method: 'POST',
    path: '/api/bets',
    ...sent,
    expectedStatus,
    expectedCode,
  };
}

const betCases: Case[] = [
  badBet(
    'a body that is not valid JSON',
    { raw: '{"eventId":' },
    400,
    'INVALID_JSON',
  ),
  badBet('a body that is JSON null', { raw: 'null' }),
  badBet('an empty body', { raw: '' }),
  badBet('a body that is an array', { body: (f: Fixture) => [bet()(f)] }),
  badBet('an empty object', { body: {} }),
  badBet('a missing eventId', { body: bet({ eventId: undefined }) }),
  badBet('a missing creatorChoice', {
    body: bet({ creatorChoice: undefined }),
  }),
  badBet('an empty creatorChoice', { body: bet({ creatorChoice: '' }) }),
  badBet('a missing creatorAmount', {
    body: bet({ creatorAmount: undefined }),
  }),
  badBet('a missing acceptorAmount', {
    body: bet({ acceptorAmount: undefined }),
  }),
  badBet('a creatorAmount sent as a string', {
    body: bet({ creatorAmount: '1000' }),
  }),
  badBet('an acceptorAmount sent as a string', {
    body: bet({ acceptorAmount: '800' }),
  }),
  badBet('a negative creatorAmount', { body: bet({ creatorAmount: -1000 }) }),
  badBet('a negative acceptorAmount', { body: bet({ acceptorAmount: -800 }) }),
  badBet('a zero creatorAmount', { body: bet({ creatorAmount: 0 }) }),
  badBet('a zero acceptorAmount', { body: bet({ acceptorAmount: 0 }) }),
  badBet('a fractional amount of 10.5', { body: bet({ creatorAmount: 10.5 }) }),
  badBet('a fractional amount of 1000.5', {
    body: bet({ creatorAmount: 1000.5 }),
  }),
  badBet('a creatorAmount below 100 cents', {
    body: bet({ creatorAmount: 99 }),
  }),
  badBet('an acceptorAmount below 100 cents', {
    body: bet({ acceptorAmount: 99 }),
  }),
  badBet('a creatorAmount above the stake limit', {
    body: bet({ creatorAmount: 1_000_001 }),
  }),
  badBet('an acceptorAmount above the stake limit', {
    body: bet({ acceptorAmount: 1_000_001 }),
  }),
  badBet('an amount of 1e309, which parses to Infinity', {
    raw: rawBet('1e309'),
  }),
  badBet('an amount of 2^53 + 1', { raw: rawBet('9007199254740993') }),
  badBet('a null creatorAmount', { body: bet({ creatorAmount: null }) }),
  badBet('a null eventId', { body: bet({ eventId: null }) }),
  badBet('an extra unknown field', { body: bet({ odds: 2.5 }) }),
  badBet('a choice the event does not offer', {
    body: bet({ creatorChoice: 'nobody' }),
  }),
  badBet(
    'a well-formed id of an event that does not exist',
    { body: bet({ eventId: UNKNOWN_ID }) },
    404,
    'EVENT_NOT_FOUND',
  ),
  badBet(
    'a malformed event id',
    { body: bet({ eventId: 'nope' }) },
    404,
    'EVENT_NOT_FOUND',
  ),
];

const betIdCases: Case[] = (['accept', 'cancel'] as const).flatMap(
  (action): Case[] => [
    {
      name: `${action} a bet that does not exist`,
      method: 'POST',
      path: `/api/bets/${UNKNOWN_ID}/${action}`,
      expectedStatus: 404,
      expectedCode: 'BET_NOT_FOUND',
    },
    {
      name: `${action} a bet with a malformed id`,
      method: 'POST',
      path: `/api/bets/nope/${action}`,
      expectedStatus: 404,
      expectedCode: 'BET_NOT_FOUND',
    },
  ],
);

const readCases: Case[] = [
  {
    name: 'an event that does not exist',
    method: 'GET',
    path: `/api/events/${UNKNOWN_ID}`,
    expectedStatus: 404,
    expectedCode: 'EVENT_NOT_FOUND',
  },
  {
    name: 'an event with a malformed id',
    method: 'GET',
    path: '/api/events/nope',
    expectedStatus: 404,
    expectedCode: 'EVENT_NOT_FOUND',
  },
  {
    name: 'the bets of an event that does not exist',
    method: 'GET',
    path: `/api/events/${UNKNOWN_ID}/bets`,
    expectedStatus: 404,
    expectedCode: 'EVENT_NOT_FOUND',
  },
  {
    name: 'events with an unknown status',
    method: 'GET',
    path: '/api/events?status=bogus',
    expectedStatus: 400,
    expectedCode: 'VALIDATION_ERROR',
  },
  {
    name: 'bets with an unknown status',
    method: 'GET',
    path: eventPath('/bets?status=bogus'),
    expectedStatus: 400,
    expectedCode: 'VALIDATION_ERROR',
  },
  ...['limit=0', 'limit=abc', 'limit=101', 'limit=1.5', 'cursor=abc'].map(
    (query): Case => ({
      name: `wallet history with ${query}`,
      method: 'GET',
      path: `/api/wallet/transactions?${query}`,
      expectedStatus: 400,
      expectedCode: 'VALIDATION_ERROR',
    }),
  ),
];

/** An admin request that must be refused with a 400 VALIDATION_ERROR. */
function badAdmin(
  name: string,
  method: Case['method'],
  path: Built<string>,
  body: Built<unknown>,
): Case {
  return {
    name,
    method,
    path,
    body,
    as: 'admin',
    expectedStatus: 400,
    expectedCode: 'VALIDATION_ERROR',
  };
}

const badEvent = (name: string, changes: Record<string, unknown>) =>
  badAdmin(name, 'POST', '/api/events', newEvent(changes));

const adminCases: Case[] = [
  badEvent('an event with one outcome', { outcomes: ['home'] }),
  badEvent('an event with four outcomes', { outcomes: ['a', 'b', 'c', 'd'] }),
  badEvent('an event with duplicate outcomes', { outcomes: ['x', 'x'] }),
  badEvent('an outcome in capitals', { outcomes: ['Home', 'away'] }),
  badEvent('an event starting "tomorrow"', { startsAt: 'tomorrow' }),
  badEvent('an event starting on a bare date', { startsAt: '2030-01-01' }),
  badEvent('an event with no name', { name: undefined }),
  badEvent('an event with a blank name', { name: '   ' }),
  badEvent('an event with a script URL', { streamUrl: 'javascript:1' }),
  badEvent('an event streaming from another site via //', {
    streamUrl: '//elsewhere.example/live',
  }),
  badEvent('an event with an unknown field', { status: 'live' }),
  {
    name: 'an event whose body is not JSON',
    method: 'POST',
    path: '/api/events',
    raw: '{"name":',
    as: 'admin',
    expectedStatus: 400,
    expectedCode: 'INVALID_JSON',
  },
  badAdmin('a result that is not an outcome', 'POST', eventPath('/result'), {
    result: 'nobody',
  }),
  badAdmin('a result with no result', 'POST', eventPath('/result'), {}),
  {
    name: 'a result for an event that does not exist',
    method: 'POST',
    path: `/api/events/${UNKNOWN_ID}/result`,
    body: { result: 'home' },
    as: 'admin',
    expectedStatus: 404,
    expectedCode: 'EVENT_NOT_FOUND',
  },
  badAdmin('a live update with nothing in it', 'PATCH', eventPath('/live'), {}),
  badAdmin('a live score that is not text', 'PATCH', eventPath('/live'), {
    score: 2,
  }),
  badAdmin('a credit of 10.5 cents', 'POST', '/api/admin/credit', credit(10.5)),
  badAdmin('a negative credit', 'POST', '/api/admin/credit', credit(-500)),
  badAdmin('a credit of zero', 'POST', '/api/admin/credit', credit(0)),
  badAdmin(
    'a credit sent as a string',
    'POST',
    '/api/admin/credit',
    credit('500'),
  ),
  {
    name: 'a credit to a user who does not exist',
    method: 'POST',
    path: '/api/admin/credit',
    body: { username: 'nobody_by_this_name', amount: 500 },
    as: 'admin',
    expectedStatus: 404,
    expectedCode: 'USER_NOT_FOUND',
  },
];

/** A request made with the wrong kind of session, or none. */
function refusedCaller(
  as: 'bettor' | 'nobody',
  name: string,
  method: Case['method'],
  path: Built<string>,
  body?: Built<unknown>,
): Case {
  const [expectedStatus, expectedCode] =
    as === 'bettor' ? [403, 'FORBIDDEN'] : [401, 'UNAUTHENTICATED'];

  return { name, method, path, body, as, expectedStatus, expectedCode };
}

const forbidden = refusedCaller.bind(null, 'bettor');

const forbiddenCases: Case[] = [
  forbidden('create an event', 'POST', '/api/events', newEvent()),
  forbidden('start an event', 'POST', eventPath('/start')),
  forbidden('update live info', 'PATCH', eventPath('/live'), { score: '1-0' }),
  forbidden('set a result', 'POST', eventPath('/result'), { result: 'home' }),
  forbidden('cancel an event', 'POST', eventPath('/cancel')),
  forbidden('credit themselves', 'POST', '/api/admin/credit', credit(500)),
  forbidden('audit the books', 'GET', '/api/admin/audit'),
];

const anonymous = refusedCaller.bind(null, 'nobody');

const anonymousCases: Case[] = [
  anonymous('place a bet', 'POST', '/api/bets', bet()),
  anonymous('accept a bet', 'POST', `/api/bets/${UNKNOWN_ID}/accept`),
  anonymous('cancel a bet', 'POST', `/api/bets/${UNKNOWN_ID}/cancel`),
  anonymous('list their bets', 'GET', '/api/bets/mine'),
  anonymous('see who they are', 'GET', '/api/me'),
  anonymous('see their wallet', 'GET', '/api/wallet'),
  anonymous('see their wallet history', 'GET', '/api/wallet/transactions'),
  anonymous('create an event', 'POST', '/api/events', newEvent()),
  anonymous('credit anyone', 'POST', '/api/admin/credit', credit(500)),
];

describe('placing a bet', () => {
  it('accepts the well-formed offer the bad ones are made from', async () => {
    const bettor = await app.api.newUser('val');

    const response = await app.api.post(
      '/api/bets',
      bet()({ eventId, bettor }),
      bettor.token,
    );

    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect((await app.api.wallet(bettor.token)).frozenBalance).toBe(1000);
  });

  for (const c of betCases) {
    it(`refuses ${c.name} and moves no money`, () =>
      expectRefusedWithoutEffect(c));
  }
});

describe('accepting or cancelling a bet', () => {
  for (const c of betIdCases) {
    it(`refuses to ${c.name}`, () => expectRefusedWithoutEffect(c));
  }
});

describe('reading', () => {
  for (const c of readCases) {
    it(`refuses ${c.name}`, () => expectRefusedWithoutEffect(c));
  }
});

describe('admin actions', () => {
  it('accept the well-formed requests the bad ones are made from', async () => {
    const bettor = await app.api.newUser('val');
    const event = await app.api.newEvent(app.admin.token, {
      streamUrl: '/streams/demo',
    });
    const fixture = { eventId: event.id, bettor };

    const live = await app.api.request('PATCH', eventPath('/live')(fixture), {
      token: app.admin.token,
      body: { score: '1-0' },
    });
    const result = await app.api.post(
      eventPath('/result')(fixture),
      { result: 'home' },
      app.admin.token,
    );
    const paid = await app.api.post(
      '/api/admin/credit',
      credit(500)(fixture),
      app.admin.token,
    );

    expect(live.status, JSON.stringify(live.body)).toBe(200);
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect((await app.api.wallet(bettor.token)).availableBalance).toBe(100_500);
  });

  for (const c of adminCases) {
    it(`refuse ${c.name} and change nothing`, () =>
      expectRefusedWithoutEffect(c));
  }
});

describe('a user who is not an admin', () => {
  for (const c of forbiddenCases) {
    it(`is forbidden to ${c.name}`, () => expectRefusedWithoutEffect(c));
  }
});

describe('a caller with no session', () => {
  for (const c of anonymousCases) {
    it(`must log in to ${c.name}`, () => expectRefusedWithoutEffect(c));
  }
});
