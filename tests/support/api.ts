import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { ADMIN } from './env';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestUser {
  id: string;
  username: string;
  token: string;
}

/** A thin JSON client for the app's HTTP API. */
export class Api {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(
    method: string,
    path: string,
    opts: {
      token?: string;
      body?: unknown;
      raw?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined || opts.raw !== undefined) {
      headers['content-type'] ??= 'application/json';
    }

    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body:
        opts.raw ??
        (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
    });
    const text = await response.text();

    return {
      status: response.status,
      body: text ? JSON.parse(text) : undefined,
      headers: response.headers,
    };
  }

  get<T = any>(path: string, token?: string) {
    return this.request<T>('GET', path, { token });
  }

  post<T = any>(path: string, body?: unknown, token?: string) {
    return this.request<T>('POST', path, { token, body });
  }

  /** Registers a fresh user with a unique name. */
  async newUser(prefix = 'user'): Promise<TestUser> {
    const username = `${prefix}_${randomBytes(5).toString('hex')}`;
    const response = await this.post('/api/auth/register', {
      username,
      password: 'password123',
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);

    return { ...response.body.user, token: response.body.token };
  }

  async admin(): Promise<TestUser> {
    const response = await this.post('/api/auth/login', ADMIN);
    expect(response.status).toBe(200);

    return { ...response.body.user, token: response.body.token };
  }

  async newEvent(
    adminToken: string,
    overrides: Record<string, unknown> = {},
  ): Promise<{ id: string; outcomes: string[] }> {
    const response = await this.post(
      '/api/events',
      {
        name: 'Test match',
        sport: 'football',
        outcomes: ['home', 'draw', 'away'],
        startsAt: new Date(Date.now() + 3600_000).toISOString(),
        ...overrides,
      },
      adminToken,
    );
    expect(response.status, JSON.stringify(response.body)).toBe(201);

    return response.body;
  }

  async wallet(token: string) {
    const response = await this.get('/api/wallet', token);
    expect(response.status).toBe(200);

    return response.body as {
      balance: number;
      availableBalance: number;
      frozenBalance: number;
    };
  }

  async placeBet(
    token: string,
    eventId: string,
    bet: Partial<{
      creatorChoice: string;
      creatorAmount: number;
      acceptorAmount: number;
    }> = {},
  ) {
    const response = await this.post(
      '/api/bets',
      {
        eventId,
        creatorChoice: 'home',
        creatorAmount: 1000,
        acceptorAmount: 800,
        ...bet,
      },
      token,
    );
    expect(response.status, JSON.stringify(response.body)).toBe(201);

    return response.body;
  }

  /** Asserts the books balance: the audit finds no broken invariant. */
  async expectBooksBalanced(adminToken: string): Promise<void> {
    const audit = await this.get('/api/admin/audit', adminToken);

    expect(audit.status).toBe(200);
    expect(audit.body).toMatchObject({
      ok: true,
      totalBalance: 0,
      negativeAccounts: 0,
      ledgerMismatches: 0,
      frozenMismatches: 0,
      overpaidBets: 0,
    });
  }
}
