import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, type TestUser } from './support/api';
import { startServer, type RunningServer } from './support/server';
import { forgetRateLimits } from './support/rate-limits';
import { useTestApp } from './support/suite';

// HTTP hardening against the production build: cross-site mutations are
// refused, logins, sign-ups and bets are rate limited with a Retry-After,
// and every response carries the security headers.

const EVIL = 'https://evil.example';
const PASSWORD = 'password123';

// Registered first, so it runs before the server starts and logs in.
beforeAll(forgetRateLimits);

const app = useTestApp({
  env: {
    RATE_LIMIT: 'on',
    // Each test speaks from its own addresses through X-Forwarded-For, so
    // one test's budget never spends another's.
    TRUST_PROXY: 'true',
    RATE_LIMIT_LOGIN_PER_USERNAME: '3',
    RATE_LIMIT_LOGIN_PER_IP: '5',
    RATE_LIMIT_REGISTER_PER_IP: '3',
    RATE_LIMIT_BETS_PER_USER: '4',
  },
});

let lastAddress = 0;

/** A fresh client address, as the proxy would report it. */
function newAddress(): string {
  lastAddress += 1;

  return `10.0.${Math.floor(lastAddress / 250)}.${lastAddress % 250}`;
}

function from(address: string): Record<string, string> {
  return { 'x-forwarded-for': address };
}

async function signUp(address = newAddress()): Promise<TestUser> {
  const username = `sec_${Math.random().toString(36).slice(2, 10)}`;
  const response = await app.api.request('POST', '/api/auth/register', {
    body: { username, password: PASSWORD },
    headers: from(address),
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);

  return { ...response.body.user, token: response.body.token };
}

function logIn(username: string, password: string, address: string) {
  return app.api.request('POST', '/api/auth/login', {
    body: { username, password },
    headers: from(address),
  });
}

/** The cookies a response set, as a Cookie header would send them back. */
function cookiesOf(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((line) => line.split(';')[0]!)
    .join('; ');
}

function expectRateLimited(response: {
  status: number;
  body: { error: { code: string; message: string } };
  headers: Headers;
}) {
  expect(response.status).toBe(429);
  expect(response.body.error.code).toBe('RATE_LIMITED');
  expect(response.body.error.message).toMatch(/wait .* try again/i);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
}

describe('cross-site requests', () => {
  const loginBody = () => JSON.stringify({ username: 'x', password: 'y' });

  it.each<{ name: string; headers: Record<string, string> }>([
    { name: 'a foreign Origin', headers: { origin: EVIL } },
    { name: 'Origin: null', headers: { origin: 'null' } },
    {
      name: 'Sec-Fetch-Site: cross-site',
      headers: { 'sec-fetch-site': 'cross-site' },
    },
    {
      name: 'a text/plain body',
      headers: { 'content-type': 'text/plain' },
    },
    {
      name: 'a form post',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
  ])('a login with $name is refused', async ({ headers }) => {
    const response = await app.api.request('POST', '/api/auth/login', {
      raw: loginBody(),
      headers: { ...from(newAddress()), ...headers },
    });

    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('CROSS_SITE_REQUEST');
  });

  it('a login from the app itself sets its cookies', async () => {
    const user = await signUp();
    const response = await app.api.request('POST', '/api/auth/login', {
      body: { username: user.username, password: PASSWORD },
      headers: {
        ...from(newAddress()),
        origin: app.server.url,
        'sec-fetch-site': 'same-origin',
      },
    });

    expect(response.status).toBe(200);
    expect(cookiesOf(response.headers)).not.toBe('');
  });

  it('a cookie-authenticated bet from another site is refused and costs nothing', async () => {
    const user = await signUp();
    const event = await app.api.newEvent(app.admin.token);
    const login = await logIn(user.username, PASSWORD, newAddress());
    const cookie = cookiesOf(login.headers);
    const bet = {
      eventId: event.id,
      creatorChoice: 'home',
      creatorAmount: 1000,
      acceptorAmount: 1000,
    };
    const before = await app.api.wallet(user.token);

    const forged = await app.api.request('POST', '/api/bets', {
      body: bet,
      headers: { cookie, origin: EVIL, 'sec-fetch-site': 'cross-site' },
    });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('CROSS_SITE_REQUEST');
    expect(await app.api.wallet(user.token)).toEqual(before);

    // The same cookie from the app's own page works, so the refusal above
    // was the origin and not the cookie.
    const genuine = await app.api.request('POST', '/api/bets', {
      body: bet,
      headers: { cookie, origin: app.server.url },
    });
    expect(genuine.status, JSON.stringify(genuine.body)).toBe(201);
  });

  it('a bearer-token client is served whatever its Origin', async () => {
    const user = await signUp();
    const event = await app.api.newEvent(app.admin.token);

    const response = await app.api.request('POST', '/api/bets', {
      token: user.token,
      body: {
        eventId: event.id,
        creatorChoice: 'home',
        creatorAmount: 500,
        acceptorAmount: 500,
      },
      headers: { origin: EVIL },
    });

    expect(response.status, JSON.stringify(response.body)).toBe(201);
  });

  it.each([
    'middleware:middleware:middleware:middleware:middleware',
    'proxy',
    'src/middleware',
  ])(
    'x-middleware-subrequest: %s does not open admin routes',
    async (value) => {
      const headers = { 'x-middleware-subrequest': value };
      const user = await signUp();

      const anonymous = await app.api.request('GET', '/api/admin/audit', {
        headers,
      });
      const bettor = await app.api.request('GET', '/api/admin/audit', {
        token: user.token,
        headers,
      });
      const credit = await app.api.request('POST', '/api/admin/credit', {
        body: { username: user.username, amount: 100_000 },
        headers,
      });

      expect(anonymous.status).toBe(401);
      expect(bettor.status).toBe(403);
      expect(credit.status).toBe(401);
      expect((await app.api.wallet(user.token)).balance).toBe(100_000);
    },
  );
});

describe('rate limits', () => {
  it('a username is locked after 3 failed logins, from any address', async () => {
    const user = await signUp();

    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await logIn(
        user.username,
        'wrong-password',
        newAddress(),
      );
      expect(response.status).toBe(401);
    }
    const locked = await logIn(user.username, PASSWORD, newAddress());

    expectRateLimited(locked);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(900);
  });

  it('a successful login forgives the failures before it', async () => {
    const user = await signUp();
    const address = newAddress();

    for (const password of ['wrong-1', 'wrong-2', PASSWORD, 'wrong-3']) {
      await logIn(user.username, password, address);
    }
    const response = await logIn(user.username, PASSWORD, address);

    expect(response.status).toBe(200);
  });

  it('one address gets 5 login attempts, whatever the usernames', async () => {
    const address = newAddress();

    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await logIn(`nobody_${attempt}`, 'password1', address);
      expect(response.status).toBe(401);
    }

    expectRateLimited(await logIn('nobody_6', 'password1', address));
    expect((await logIn('nobody_6', 'password1', newAddress())).status).toBe(
      401,
    );
  });

  it('only the last X-Forwarded-For hop counts, and x-client-ip is ignored', async () => {
    const address = newAddress();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await logIn(`nobody_${attempt}`, 'password1', address);
    }

    const spoofed = await app.api.request('POST', '/api/auth/login', {
      body: { username: 'nobody', password: 'password1' },
      headers: {
        'x-forwarded-for': `203.0.113.9, ${address}`,
        'x-client-ip': '198.51.100.7',
      },
    });

    expectRateLimited(spoofed);
  });

  it('one address may register 3 accounts an hour', async () => {
    const address = newAddress();
    for (let count = 0; count < 3; count += 1) await signUp(address);

    const response = await app.api.request('POST', '/api/auth/register', {
      body: { username: 'one_too_many', password: PASSWORD },
      headers: from(address),
    });

    expectRateLimited(response);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(900);
  });

  it('a bettor gets 4 bet mutations a minute, and the refused one costs nothing', async () => {
    const [alice, bob] = [await signUp(), await signUp()];
    const event = await app.api.newEvent(app.admin.token);

    const first = await app.api.placeBet(alice.token, event.id);
    await app.api.post(`/api/bets/${first.id}/cancel`, undefined, alice.token);
    const open = await app.api.placeBet(alice.token, event.id);
    await app.api.placeBet(alice.token, event.id);
    const before = await app.api.wallet(alice.token);

    const refused = await app.api.post(
      '/api/bets',
      {
        eventId: event.id,
        creatorChoice: 'home',
        creatorAmount: 1000,
        acceptorAmount: 800,
      },
      alice.token,
    );
    expectRateLimited(refused);
    expect(refused.body.error.message).toMatch(/betting faster/);
    expect(await app.api.wallet(alice.token)).toEqual(before);

    // Bob's budget is his own.
    const accepted = await app.api.post(
      `/api/bets/${open.id}/accept`,
      undefined,
      bob.token,
    );
    expect(accepted.status).toBe(200);
  });
});

describe('security headers', () => {
  it.each(['/', '/api/health'])('%s carries them', async (path) => {
    const response = await fetch(`${app.server.url}${path}`);
    const host = new URL(app.server.url).host;
    const csp = response.headers.get('content-security-policy') ?? '';

    expect(response.status).toBe(200);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).toMatch(
      new RegExp(`connect-src 'self' ws://${host} wss://${host}`),
    );
    expect(csp).toMatch(/media-src 'self' https: blob:/);
    expect(csp).not.toContain('unsafe-eval');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe(
      'strict-origin-when-cross-origin',
    );
    expect(response.headers.get('strict-transport-security')).toMatch(
      /max-age=\d+/,
    );
  });
});

describe('without a trusted proxy', () => {
  let server: RunningServer;
  let api: Api;

  beforeAll(async () => {
    server = await startServer({
      RATE_LIMIT: 'on',
      RATE_LIMIT_REGISTER_PER_IP: '2',
    });
    api = new Api(server.url);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('the peer address counts, whatever X-Forwarded-For says', async () => {
    const statuses: number[] = [];

    for (const index of [1, 2, 3]) {
      const response = await api.request('POST', '/api/auth/register', {
        body: { username: `peer_${index}_${Date.now()}`, password: PASSWORD },
        headers: {
          'x-forwarded-for': `192.0.2.${index}`,
          'x-client-ip': `192.0.2.${index}`,
        },
      });
      statuses.push(response.status);
    }

    // Varying X-Forwarded-For and x-client-ip never escapes the limit.
    expect(statuses).toEqual([201, 201, 429]);
  });
});
