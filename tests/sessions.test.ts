import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import type { Browser } from 'playwright-core';
import { io } from 'socket.io-client';
import { Api, type ApiResponse, type TestUser } from './support/api';
import { launchBrowser, logIn as logInPage, WAIT_MS } from './support/browser';
import { JWT_SECRET, usesRealServices } from './support/env';
import { startServer, type RunningServer } from './support/server';
import {
  connect,
  refusedWith,
  type ClientSocket,
  type Listener,
} from './support/sockets';
import { useTestApp } from './support/suite';

// Access tokens, refresh tokens, the auth cookies and the socket's
// session, against the production build (so the `__Host-` cookies).

const ACCESS = '__Host-session';
const REFRESH = '__Host-refresh';

interface Login {
  user: TestUser;
  token: string;
  refresh: string;
  sessionId: string;
}

/** The Set-Cookie headers of a response, by cookie name. */
function setCookies(response: ApiResponse): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    cookies.set(line.slice(0, line.indexOf('=')), line);
  }

  return cookies;
}

function valueOf(setCookie: string | undefined): string {
  return (setCookie ?? '').split(';')[0]!.split('=').slice(1).join('=');
}

async function logIn(api: Api, user: TestUser): Promise<Login> {
  const response = await api.post('/api/auth/login', {
    username: user.username,
    password: 'password123',
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const cookies = setCookies(response);
  const token: string = response.body.token;

  return {
    user,
    token,
    refresh: valueOf(cookies.get(REFRESH)),
    sessionId: decodeJwt(token).sid as string,
  };
}

function refresh(api: Api, refreshToken: string) {
  return api.request('POST', '/api/auth/refresh', {
    headers: { cookie: `${REFRESH}=${refreshToken}` },
  });
}

function expectUnauthenticated(response: ApiResponse) {
  expect(response.status, JSON.stringify(response.body)).toBe(401);
  expect(response.body.error.code).toBe('UNAUTHENTICATED');
}

/** Resolves with the reason once `socket` is disconnected. */
function disconnected(socket: ClientSocket): Promise<string> {
  if (!socket.connected) return Promise.resolve('already disconnected');

  return new Promise((resolve) => socket.once('disconnect', resolve));
}

const now = () => Math.floor(Date.now() / 1000);

interface Forge {
  alg?: string;
  iss?: string;
  aud?: string;
  exp?: number;
}

/** Signs a token for `login`'s session with HS256 unless told otherwise. */
async function forge(login: Login, opts: Forge = {}): Promise<string> {
  const jwt = new SignJWT({
    username: login.user.username,
    role: 'user',
    sid: login.sessionId,
  })
    .setProtectedHeader({ alg: opts.alg ?? 'HS256' })
    .setSubject(login.user.id)
    .setIssuer(opts.iss ?? 'live-bets')
    .setAudience(opts.aud ?? 'live-bets')
    .setIssuedAt(now() - 120)
    .setExpirationTime(opts.exp ?? now() + 3600);

  if (opts.alg === 'RS256') {
    const { privateKey } = await generateKeyPair('RS256');
    return jwt.sign(privateKey);
  }

  return jwt.sign(new TextEncoder().encode(JWT_SECRET));
}

function unsigned(login: Login): string {
  const part = (value: unknown) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = {
    sub: login.user.id,
    username: login.user.username,
    role: 'admin',
    sid: login.sessionId,
    iss: 'live-bets',
    aud: 'live-bets',
    iat: now(),
    exp: now() + 3600,
  };

  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

describe('with the default token lifetime', () => {
  const app = useTestApp({ checkBooks: false });

  describe('an access token', () => {
    it('is accepted when signed as the server signs it (control)', async () => {
      const login = await logIn(app.api, await app.api.newUser());
      const token = await forge(login);

      const response = await app.api.get('/api/me', token);
      const socket = await connect(app.server.url, token);
      socket.close();

      expect(response.status).toBe(200);
      expect(response.body.user.id).toBe(login.user.id);
    });

    const bad: Array<[string, (login: Login) => Promise<string>]> = [
      ['with alg none', async (login) => unsigned(login)],
      [
        'signed with HS512 and the same secret',
        (l) => forge(l, { alg: 'HS512' }),
      ],
      ['signed with RS256', (l) => forge(l, { alg: 'RS256' })],
      ['for another audience', (l) => forge(l, { aud: 'other-app' })],
      ['from another issuer', (l) => forge(l, { iss: 'other-app' })],
      ['that has expired', (l) => forge(l, { exp: now() - 30 })],
    ];

    for (const [name, make] of bad) {
      it(`is refused on HTTP and on the socket: ${name}`, async () => {
        const login = await logIn(app.api, await app.api.newUser());
        const token = await make(login);

        const asBearer = await app.api.get('/api/me', token);
        const asCookie = await app.api.request('GET', '/api/me', {
          headers: { cookie: `${ACCESS}=${token}` },
        });
        const refusal = await refusedWith(app.server.url, { token });

        expectUnauthenticated(asBearer);
        expectUnauthenticated(asCookie);
        expect(refusal).toMatch(/Authentication error/);
      });
    }
  });

  describe('the auth cookies in production', () => {
    it('are __Host- cookies: HttpOnly, Secure, SameSite=Lax, Path=/', async () => {
      const user = await app.api.newUser();

      const response = await app.api.post('/api/auth/login', {
        username: user.username,
        password: 'password123',
      });
      const cookies = setCookies(response);

      expect([...cookies.keys()].sort()).toEqual([ACCESS, REFRESH].sort());
      const access = cookies.get(ACCESS)!.split('; ');
      const refreshCookie = cookies.get(REFRESH)!.split('; ');
      expect(access[0]).toBe(`${ACCESS}=${response.body.token}`);
      expect(access.slice(1).sort()).toEqual(
        ['HttpOnly', 'Max-Age=900', 'Path=/', 'SameSite=Lax', 'Secure'].sort(),
      );
      expect(refreshCookie.slice(1).sort()).toEqual(
        [
          'HttpOnly',
          'Max-Age=2592000',
          'Path=/',
          'SameSite=Lax',
          'Secure',
        ].sort(),
      );
      expect(valueOf(cookies.get(REFRESH))).toMatch(/^[\w-]{43}$/);
    });

    it('is read under its production name only, on HTTP and the socket', async () => {
      const login = await logIn(app.api, await app.api.newUser());
      const headers = (name: string) => ({ cookie: `${name}=${login.token}` });

      const underHost = await app.api.request('GET', '/api/me', {
        headers: headers(ACCESS),
      });
      const underPlain = await app.api.request('GET', '/api/me', {
        headers: headers('session'),
      });
      const socket = io(app.server.url, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        extraHeaders: headers(ACCESS),
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      socket.disconnect();

      expect(underHost.status).toBe(200);
      expectUnauthenticated(underPlain);
    });
  });

  describe('refreshing', () => {
    it('swaps the refresh token and answers a fresh access token', async () => {
      const login = await logIn(app.api, await app.api.newUser());

      const response = await refresh(app.api, login.refresh);

      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body).toEqual({
        user: {
          id: login.user.id,
          username: login.user.username,
          role: 'user',
        },
        token: expect.any(String),
        expiresAt: expect.any(String),
      });
      const lifetime = Date.parse(response.body.expiresAt) - Date.now();
      expect(lifetime).toBeGreaterThan(890_000);
      expect(lifetime).toBeLessThanOrEqual(900_000);
      const cookies = setCookies(response);
      expect(valueOf(cookies.get(ACCESS))).toBe(response.body.token);
      expect(valueOf(cookies.get(REFRESH))).not.toBe(login.refresh);
      const me = await app.api.get('/api/me', response.body.token);
      expect(me.body.user.id).toBe(login.user.id);
    });

    it('ends the whole session when a swapped-out refresh token comes back', async () => {
      const login = await logIn(app.api, await app.api.newUser());
      const first = await refresh(app.api, login.refresh);
      const newer = valueOf(setCookies(first).get(REFRESH));

      const reused = await refresh(app.api, login.refresh);

      expectUnauthenticated(reused);
      expectUnauthenticated(await refresh(app.api, newer));
      expectUnauthenticated(await app.api.get('/api/me', first.body.token));
      expect(setCookies(reused).get(REFRESH)).toMatch(/Max-Age=0/);
    });

    it('asks a caller with no refresh cookie to log in', async () => {
      const response = await app.api.post('/api/auth/refresh');

      expectUnauthenticated(response);
    });
  });

  describe('logging out', () => {
    it('ends the session, clears both cookies and drops the user’s sockets', async () => {
      const login = await logIn(app.api, await app.api.newUser());
      const other = await app.api.newUser();
      const mine = await connect(app.server.url, login.token);
      const theirs = await app.listen(other);
      const gone = disconnected(mine.socket);

      const response = await app.api.request('POST', '/api/auth/logout', {
        headers: {
          cookie: `${ACCESS}=${login.token}; ${REFRESH}=${login.refresh}`,
        },
      });

      expect(response.status).toBe(204);
      const cookies = setCookies(response);
      expect(cookies.get(ACCESS)).toMatch(
        new RegExp(`^${ACCESS}=;.*Max-Age=0`),
      );
      expect(cookies.get(REFRESH)).toMatch(
        new RegExp(`^${REFRESH}=;.*Max-Age=0`),
      );
      expect(await gone).toBe('io server disconnect');
      expectUnauthenticated(await app.api.get('/api/me', login.token));
      expectUnauthenticated(await refresh(app.api, login.refresh));
      expect(theirs.socket.connected).toBe(true);
    });

    it('ends the session with the refresh cookie alone', async () => {
      const login = await logIn(app.api, await app.api.newUser());

      const response = await app.api.request('POST', '/api/auth/logout', {
        headers: { cookie: `${REFRESH}=${login.refresh}` },
      });

      expect(response.status).toBe(204);
      expectUnauthenticated(await app.api.get('/api/me', login.token));
    });
  });
});

describe('with a token lifetime of 3 seconds', () => {
  const app = useTestApp({ checkBooks: false, env: { JWT_TTL: '3s' } });

  it('disconnects a socket when its token expires', async () => {
    const login = await logIn(app.api, await app.api.newUser());
    const expiresAt = (decodeJwt(login.token).exp as number) * 1000;
    const socket = await connect(app.server.url, login.token);

    const reason = await disconnected(socket.socket);

    expect(reason).toBe('io server disconnect');
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt - 50);
  });

  it('keeps a socket that reauths in time, and refuses a bad reauth', async () => {
    const login = await logIn(app.api, await app.api.newUser());
    const stranger = await logIn(app.api, await app.api.newUser());
    const staying = await connect(app.server.url, login.token);
    const control = await connect(app.server.url, login.token);
    const controlGone = disconnected(control.socket);

    // JWT times are whole seconds: a refresh within the login's second
    // would expire with it, and both sockets would go together.
    await nextSecondAfter(decodeJwt(login.token).iat as number);
    const fresh = await refresh(app.api, login.refresh);
    const theirs = await staying.socket.emitWithAck('reauth', {
      token: stranger.token,
    });
    const forged = await staying.socket.emitWithAck('reauth', {
      token: await forge(login, { alg: 'HS512' }),
    });
    const ours = await staying.socket.emitWithAck('reauth', {
      token: fresh.body.token,
    });

    expect(theirs).toEqual({ ok: false, error: expect.any(String) });
    expect(forged).toEqual({ ok: false, error: expect.any(String) });
    expect(ours).toEqual({
      ok: true,
      expiresAt: Date.parse(fresh.body.expiresAt),
    });
    // Both sockets showed the same token: once the one that did not
    // reauth is gone, that token has expired.
    expect(await controlGone).toBe('io server disconnect');
    expect(staying.socket.connected).toBe(true);
    staying.close();
  });

  describe('in a browser', () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await launchBrowser();
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('keeps the live connection across token expiries', async () => {
      const user = await app.api.newUser();
      const context = await browser.newContext();
      const page = await context.newPage();
      let refreshes = 0;
      page.on('response', (response) => {
        if (response.url().endsWith('/api/auth/refresh')) refreshes += 1;
      });

      await logInPage(page, app.server.url, {
        username: user.username,
        password: 'password123',
      });
      const live = page.getByRole('img', { name: 'Live updates on' });
      await live.waitFor({ timeout: WAIT_MS });
      await expect
        .poll(() => refreshes, { timeout: WAIT_MS })
        .toBeGreaterThan(2);
      await app.api.post(
        '/api/admin/credit',
        { username: user.username, amount: 4_200 },
        (await app.api.admin()).token,
      );

      await page
        .locator('.header-balance', { hasText: '1,042.00' })
        .waitFor({ timeout: WAIT_MS });
      expect(await live.isVisible()).toBe(true);
      await context.close();
    });

    it('shows the user signed in when only the refresh cookie is left', async () => {
      const user = await app.api.newUser();
      const context = await browser.newContext();
      const page = await context.newPage();
      await logInPage(page, app.server.url, {
        username: user.username,
        password: 'password123',
      });
      await page.close();
      await context.clearCookies({ name: ACCESS });
      const names = (await context.cookies()).map((cookie) => cookie.name);
      expect(names).toEqual([REFRESH]);

      const again = await context.newPage();
      await again.goto(app.server.url);

      await again.getByText(user.username).waitFor({ timeout: WAIT_MS });
      await context.close();
    });
  });
});

describe.skipIf(!usesRealServices)('two instances', () => {
  let first: RunningServer;
  let second: RunningServer;
  const sockets: Listener[] = [];

  beforeAll(async () => {
    [first, second] = await Promise.all([startServer(), startServer()]);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all([first?.stop(), second?.stop()]);
  });

  it('logging out through one drops the user’s sockets on both', async () => {
    const viaFirst = new Api(first.url);
    const login = await logIn(viaFirst, await viaFirst.newUser());
    const other = await viaFirst.newUser();
    const onFirst = await connect(first.url, login.token);
    const onSecond = await connect(second.url, login.token);
    const theirs = await connect(second.url, other.token);
    sockets.push(onFirst, onSecond, theirs);
    const gone = [disconnected(onFirst.socket), disconnected(onSecond.socket)];

    const response = await viaFirst.request('POST', '/api/auth/logout', {
      headers: { cookie: `${ACCESS}=${login.token}` },
    });

    expect(response.status).toBe(204);
    expect(await Promise.all(gone)).toEqual([
      'io server disconnect',
      'io server disconnect',
    ]);
    expect(theirs.socket.connected).toBe(true);
  });
});

/** Resolves once the clock has passed the whole second `seconds`. */
async function nextSecondAfter(seconds: number): Promise<void> {
  const due = (seconds + 1) * 1000;

  while (Date.now() < due) {
    await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
  }
}
