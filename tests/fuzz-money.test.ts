import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from './support/api';
import { useTestApp } from './support/suite';

// Arbitrary bodies against every route that moves money: none may crash
// the server (5xx), and a refused one (4xx) must leave every balance as
// it was. Bodies are raw JSON text, so numbers JavaScript cannot hold
// (1e309, 2^53 + 1) reach the server exactly as an attacker would send
// them. FUZZ_SEED=<n> replays a failing run.

const app = useTestApp();
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

let alice: TestUser;
let bob: TestUser;
let event: { id: string; outcomes: string[] };
let offerId: string;

beforeAll(async () => {
  console.info(`fuzz-money seed: ${SEED} (FUZZ_SEED=${SEED} to replay)`);
  [alice, bob] = [await app.api.newUser(), await app.api.newUser()];
  event = await app.api.newEvent(app.admin.token);
  offerId = (await app.api.placeBet(alice.token, event.id)).id;
});

// Number tokens as raw text: some overflow a double, some lose precision.
const rawNumber = fc.constantFrom(
  '1e309',
  '-1e309',
  '9007199254740993',
  '18446744073709551616',
  '1e-400',
  '-0',
  '0.5',
  '100.01',
  '-1000',
  '0',
  '1000',
);

const jsonValue = fc.oneof(
  rawNumber,
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom('null', 'true', '"home"', '""', '[]', '{}', '[1000]'),
  fc.string({ maxLength: 40 }).map((text) => JSON.stringify(text)),
);

const knownValue = (key: string) =>
  ({
    eventId: fc.oneof(fc.constant(JSON.stringify(event.id)), jsonValue),
    creatorChoice: fc.oneof(fc.constant('"home"'), jsonValue),
    username: fc.oneof(fc.constant(JSON.stringify(bob.username)), jsonValue),
  })[key] ?? jsonValue;

/** An object body built from `keys`, each maybe missing, plus extras. */
function objectBody(keys: string[]): fc.Arbitrary<string> {
  const fields = keys.map((key) =>
    fc.option(
      knownValue(key).map((value) => `"${key}":${value}`),
      {
        nil: undefined,
      },
    ),
  );
  const extras = fc.array(
    fc
      .tuple(fc.string({ maxLength: 12 }), jsonValue)
      .map(([key, value]) => `${JSON.stringify(key)}:${value}`),
    { maxLength: 2 },
  );

  return fc
    .tuple(fc.tuple(...fields), extras)
    .map(
      ([present, extra]) =>
        `{${[...present.filter(Boolean), ...extra].join(',')}}`,
    );
}

function anyBody(keys: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: objectBody(keys) },
    { weight: 1, arbitrary: jsonValue },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '{"a":', 'nul') },
  );
}

const betId = () =>
  fc.oneof(
    fc.constant(offerId),
    fc.uuid(),
    fc.string({ maxLength: 20 }).map(encodeURIComponent),
  );

// Raw text both ways: a refusal need not be JSON to count as one.
async function send(path: string, token: string, raw: string) {
  const response = await fetch(`${app.server.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: raw,
  });

  return { status: response.status, body: await response.text() };
}

/** Every balance a money route could touch, and the books' verdict. */
async function books() {
  const audit = await app.api.get('/api/admin/audit', app.admin.token);

  return {
    alice: await app.api.wallet(alice.token),
    bob: await app.api.wallet(bob.token),
    admin: await app.api.wallet(app.admin.token),
    audit: audit.body,
  };
}

async function expectRefusalChangesNothing(
  send: () => Promise<{ status: number; body: unknown }>,
) {
  const before = await books();
  const response = await send();

  expect(response.status, JSON.stringify(response.body)).toBeLessThan(500);
  if (response.status >= 400) {
    expect(await books()).toEqual(before);
  }
}

function check<T extends unknown[]>(
  property: fc.IAsyncProperty<T>,
  runs: number,
) {
  return fc.assert(property, { seed: SEED, numRuns: runs, endOnFailure: true });
}

describe('money routes under arbitrary bodies', () => {
  it('POST /api/bets', async () => {
    const keys = [
      'eventId',
      'creatorChoice',
      'creatorAmount',
      'acceptorAmount',
    ];
    await check(
      fc.asyncProperty(anyBody(keys), async (raw) => {
        await expectRefusalChangesNothing(() =>
          send('/api/bets', alice.token, raw),
        );
      }),
      60,
    );
  });

  it('POST /api/bets/:id/accept and /cancel', async () => {
    const action = fc.constantFrom('accept', 'cancel');
    await check(
      fc.asyncProperty(betId(), action, anyBody([]), async (id, verb, raw) => {
        const token = verb === 'accept' ? bob.token : alice.token;
        await expectRefusalChangesNothing(() =>
          send(`/api/bets/${id}/${verb}`, token, raw),
        );
      }),
      40,
    );
  });

  it('POST /api/admin/credit', async () => {
    await check(
      fc.asyncProperty(anyBody(['username', 'amount']), async (raw) => {
        await expectRefusalChangesNothing(() =>
          send('/api/admin/credit', app.admin.token, raw),
        );
      }),
      50,
    );
  });

  it('POST /api/events/:id/result', async () => {
    await check(
      fc.asyncProperty(anyBody(['result']), async (raw) => {
        await expectRefusalChangesNothing(() =>
          send(`/api/events/${event.id}/result`, app.admin.token, raw),
        );
      }),
      30,
    );
  });
});
