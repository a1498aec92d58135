import { randomBytes } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { decodeJwt, SignJWT } from 'jose';
import type { ApiResponse, TestUser } from './support/api';
import { JWT_SECRET } from './support/env';
import { useTestApp } from './support/suite';

// Test servers run in production mode, where the cookie has its
// `__Host-` name.
const COOKIE = '__Host-session';

const app = useTestApp();

const PASSWORD = 'password123';
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function uniqueName(prefix = 'auth'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

function register(username: string, password = PASSWORD) {
  return app.api.post('/api/auth/register', { username, password });
}

function login(username: string, password = PASSWORD) {
  return app.api.post('/api/auth/login', { username, password });
}

function me(headers: Record<string, string>) {
  return app.api.request('GET', '/api/me', { headers });
}

function expectError(response: ApiResponse, status: number, code: string) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body.error.code).toBe(code);
}

describe('registering', () => {
  it('creates a user, returns a token and sets an httpOnly session cookie', async () => {
    const username = uniqueName();

    const response = await register(username);

    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toEqual({
      user: { id: expect.any(String), username, role: 'user' },
      token: expect.any(String),
      expiresAt: expect.stringMatching(ISO_TIME),
    });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^${COOKIE}=${response.body.token};`));
    expect(cookie).toMatch(/; HttpOnly(;|$)/);
    expect(cookie).toMatch(/; SameSite=Lax(;|$)/);
    expect(cookie).toMatch(/; Path=\/(;|$)/);
  });

  it('gives the new user 100000 cents and one signup line in their history', async () => {
    const user = await app.api.newUser('rich');

    const wallet = await app.api.wallet(user.token);
    const history = await app.api.get('/api/wallet/transactions', user.token);

    expect(wallet).toEqual({
      balance: 100_000,
      availableBalance: 100_000,
      frozenBalance: 0,
    });
    expect(history.status).toBe(200);
    expect(history.body).toEqual({
      items: [
        {
          id: expect.any(Number),
          delta: 100_000,
          frozenDelta: 0,
          reason: 'signup',
          betId: null,
          eventId: null,
          availableAfter: 100_000,
          frozenAfter: 0,
          createdAt: expect.stringMatching(ISO_TIME),
        },
      ],
      nextCursor: null,
    });
  });

  it('refuses a username that is taken and leaves its owner able to log in', async () => {
    const username = uniqueName();
    await register(username);

    const again = await register(username, 'another-password');

    expectError(again, 409, 'USERNAME_TAKEN');
    expect((await login(username)).status).toBe(200);
    expectError(
      await login(username, 'another-password'),
      401,
      'INVALID_CREDENTIALS',
    );
  });

  it('accepts a username of 32 characters', async () => {
    const username = `u_${randomBytes(15).toString('hex')}`;

    const response = await register(username);

    expect(username).toHaveLength(32);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  });

  const badUsernames = [
    ['uppercase letters', `Auth_${randomBytes(4).toString('hex')}`],
    ['2 characters', 'ab'],
    ['33 characters', `u_${randomBytes(15).toString('hex')}x`],
    ['a hyphen', `auth-${randomBytes(4).toString('hex')}`],
  ];

  for (const [problem, username] of badUsernames) {
    it(`refuses a username with ${problem} and creates no account`, async () => {
      const response = await register(username!);

      expectError(response, 400, 'VALIDATION_ERROR');
      expect(response.body.error.message).toMatch(/username/);
      expectError(await login(username!), 401, 'INVALID_CREDENTIALS');
    });
  }

  it('refuses a password of 7 characters and creates no account', async () => {
    const username = uniqueName();

    const response = await register(username, 'seven77');

    expectError(response, 400, 'VALIDATION_ERROR');
    expect(response.body.error.message).toMatch(/password/);
    expectError(await login(username, 'seven77'), 401, 'INVALID_CREDENTIALS');
  });
});

describe('logging in', () => {
  it('returns the user and a token that works, and sets the cookie', async () => {
    const user = await app.api.newUser();

    const response = await login(user.username);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      user: { id: user.id, username: user.username, role: 'user' },
      token: expect.any(String),
      expiresAt: expect.stringMatching(ISO_TIME),
    });
    expect(response.headers.get('set-cookie')).toMatch(
      new RegExp(`^${COOKIE}=${response.body.token};.*HttpOnly`),
    );
    const whoami = await app.api.get('/api/me', response.body.token);
    expect(whoami.body.user.id).toBe(user.id);
  });

  it('says the same thing for a wrong password and an unknown user', async () => {
    const user = await app.api.newUser();

    const wrongPassword = await login(user.username, 'not-the-password');
    const unknownUser = await login(uniqueName('ghost'));

    expectError(wrongPassword, 401, 'INVALID_CREDENTIALS');
    expectError(unknownUser, 401, 'INVALID_CREDENTIALS');
    expect(unknownUser.body.error.message).toBe(
      wrongPassword.body.error.message,
    );
  });
});

describe('sessions', () => {
  it('shows the caller and their wallet at /api/me', async () => {
    const user = await app.api.newUser();

    const response = await app.api.get('/api/me', user.token);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      user: { id: user.id, username: user.username, role: 'user' },
      wallet: {
        balance: 100_000,
        availableBalance: 100_000,
        frozenBalance: 0,
      },
    });
  });

  it('accepts the session cookie alone, with no Authorization header', async () => {
    const user = await app.api.newUser();

    const response = await me({ cookie: `${COOKIE}=${user.token}` });

    expect(response.status).toBe(200);
    expect(response.body.user).toEqual({
      id: user.id,
      username: user.username,
      role: 'user',
    });
  });

  it('clears the session cookie on logout', async () => {
    const user = await app.api.newUser();

    const response = await app.api.request('POST', '/api/auth/logout', {
      headers: { cookie: `${COOKIE}=${user.token}` },
    });

    expect(response.status).toBe(204);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^${COOKIE}=;`));
    expect(cookie).toMatch(/; Max-Age=0(;|$)/);
    expect(cookie).toMatch(/; HttpOnly(;|$)/);
  });

  it('asks a caller with no token to log in', async () => {
    expectError(await me({}), 401, 'UNAUTHENTICATED');
  });
});

interface Claims {
  sub: string;
  username: string;
  role: 'user' | 'admin';
  /** The session the user's own token names. */
  sid: string;
}

const claimsOf = (user: TestUser, role: Claims['role'] = 'user'): Claims => ({
  sub: user.id,
  username: user.username,
  role,
  sid: decodeJwt(user.token).sid as string,
});

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Signs claims the way the server does, with any secret and expiry. */
function sign(
  claims: Claims,
  secret: string,
  times: { iat?: number; exp: number | string } = { exp: '1h' },
): Promise<string> {
  const { username, role, sid } = claims;

  return new SignJWT({ username, role, sid })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer('live-bets')
    .setAudience('live-bets')
    .setIssuedAt(times.iat)
    .setExpirationTime(times.exp)
    .sign(new TextEncoder().encode(secret));
}

/** Changes one character in the middle of the token's signature. */
function tamperSignature(token: string): string {
  const [header, payload, signature] = token.split('.');
  const i = 10;
  const swapped = signature![i] === 'A' ? 'B' : 'A';

  return [
    header,
    payload,
    signature!.slice(0, i) + swapped + signature!.slice(i + 1),
  ].join('.');
}

function unsigned(claims: Claims): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    ...claims,
    iss: 'live-bets',
    aud: 'live-bets',
    iat: now,
    exp: now + 3600,
  };

  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
}

/** Keeps the signature but rewrites the payload to claim the admin role. */
function promoted(token: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());

  return [header, base64url({ ...claims, role: 'admin' }), signature].join('.');
}

const now = () => Math.floor(Date.now() / 1000);

const badTokens: Array<[string, (user: TestUser) => Promise<string>]> = [
  [
    'a token with one character of its signature changed',
    async (user) => tamperSignature(user.token),
  ],
  [
    'a token whose payload was edited to say admin',
    async (user) => promoted(user.token),
  ],
  [
    'a token signed with another secret',
    (user) => sign(claimsOf(user), 'another-secret-that-is-long-enough'),
  ],
  [
    'a token with alg none and no signature',
    async (user) => unsigned(claimsOf(user, 'admin')),
  ],
  [
    'a token that has expired',
    (user) =>
      sign(claimsOf(user), JWT_SECRET, { iat: now() - 7200, exp: now() - 60 }),
  ],
  ['something that is not a token at all', async () => 'not-a-jwt'],
];

describe('a forged or stale token', () => {
  it('is accepted when signed with the server secret (control)', async () => {
    const user = await app.api.newUser();
    const token = await sign(claimsOf(user), JWT_SECRET);

    const response = await app.api.get('/api/me', token);

    expect(response.status).toBe(200);
    expect(response.body.user.id).toBe(user.id);
  });

  for (const [name, forge] of badTokens) {
    it(`is refused: ${name}`, async () => {
      const user = await app.api.newUser();
      const token = await forge(user);

      const asBearer = await app.api.get('/api/me', token);
      const asCookie = await me({ cookie: `${COOKIE}=${token}` });
      const atAdmin = await app.api.get('/api/admin/audit', token);

      expectError(asBearer, 401, 'UNAUTHENTICATED');
      expectError(asCookie, 401, 'UNAUTHENTICATED');
      expectError(atAdmin, 401, 'UNAUTHENTICATED');
    });
  }
});

describe('crediting a user', () => {
  it('grows their wallet by exactly the amount, shown as a credit', async () => {
    const user = await app.api.newUser();

    const response = await app.api.post(
      '/api/admin/credit',
      { username: user.username, amount: 12_345 },
      app.admin.token,
    );

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(await app.api.wallet(user.token)).toEqual({
      balance: 112_345,
      availableBalance: 112_345,
      frozenBalance: 0,
    });
    const history = await app.api.get('/api/wallet/transactions', user.token);
    expect(history.body.items).toHaveLength(2);
    expect(history.body.items[0]).toMatchObject({
      delta: 12_345,
      frozenDelta: 0,
      reason: 'credit',
      availableAfter: 112_345,
      frozenAfter: 0,
    });
  });
});

describe('wallet history', () => {
  it('walks every line newest first, one page at a time, without repeats', async () => {
    const user = await app.api.newUser();
    const event = await app.api.newEvent(app.admin.token);
    const credit = (amount: number) =>
      app.api.post(
        '/api/admin/credit',
        { username: user.username, amount },
        app.admin.token,
      );
    await credit(500);
    const bet = await app.api.placeBet(user.token, event.id);
    await app.api.post(`/api/bets/${bet.id}/cancel`, undefined, user.token);
    await credit(700);

    const pages = await walkHistory(user.token, 1);
    const all = await app.api.get('/api/wallet/transactions', user.token);

    expect(pages.every((page) => page.items.length === 1)).toBe(true);
    const walked = pages.flatMap((page) => page.items);
    expect(walked).toEqual(all.body.items);
    expect(walked.map((item) => item.reason)).toEqual([
      'credit',
      'bet_cancelled',
      'bet_placed',
      'credit',
      'signup',
    ]);
    expect(new Set(walked.map((item) => item.id)).size).toBe(5);
    expect(walked[0]).toMatchObject({ availableAfter: 101_200 });
  });
});

interface HistoryPage {
  items: Array<{ id: number; reason: string }>;
  nextCursor: string | null;
}

/** Follows nextCursor from the first page to the last. */
async function walkHistory(token: string, limit: number) {
  const pages: HistoryPage[] = [];
  let cursor: string | null = '';

  while (cursor !== null && pages.length < 50) {
    const query: string = cursor ? `&cursor=${cursor}` : '';
    const response = await app.api.get<HistoryPage>(
      `/api/wallet/transactions?limit=${limit}${query}`,
      token,
    );
    expect(response.status).toBe(200);
    pages.push(response.body);
    cursor = response.body.nextCursor;
  }

  return pages;
}
