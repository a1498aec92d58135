import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENV_KEYS, parseConfig, ttlSeconds } from '@/lib/config';

describe('configuration', () => {
  it('runs on embedded defaults with nothing set', () => {
    const config = parseConfig({});

    expect(config).toMatchObject({
      PORT: 3000,
      embeddedDb: true,
      embeddedBus: true,
      seedDemo: true,
      SIGNUP_CREDIT_CENTS: 100_000,
      MAX_STAKE_CENTS: 1_000_000,
    });
  });

  it('names the variable that is wrong', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseConfig({ SIGNUP_CREDIT_CENTS: '10.5' })).toThrow(
      /SIGNUP_CREDIT_CENTS/,
    );
    expect(() => parseConfig({ REDIS_URL: 'not a url' })).toThrow(/REDIS_URL/);
  });

  it('requires a JWT secret once a shared database or production is used', () => {
    expect(() =>
      parseConfig({ DATABASE_URL: 'postgres://localhost/db' }),
    ).toThrow(/JWT_SECRET/);
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(
      parseConfig({
        DATABASE_URL: 'postgres://localhost/db',
        JWT_SECRET: 'a-secret-of-sixteen-plus',
      }).seedDemo,
    ).toBe(false);
  });

  it('refuses a JWT secret under 32 bytes in production', () => {
    const production = { NODE_ENV: 'production' };
    const secretOf = (bytes: number) => 'k'.repeat(bytes);

    expect(() =>
      parseConfig({ ...production, JWT_SECRET: secretOf(31) }),
    ).toThrow(/JWT_SECRET: use at least 32 bytes/);
    expect(
      parseConfig({ ...production, JWT_SECRET: secretOf(32) }).isProduction,
    ).toBe(true);
    expect(parseConfig({ JWT_SECRET: secretOf(16) }).JWT_SECRET).toHaveLength(
      16,
    );
  });

  it('reads token lifetimes with units', () => {
    expect(ttlSeconds('15m')).toBe(900);
    expect(ttlSeconds('12h')).toBe(43_200);
    expect(() => parseConfig({ JWT_TTL: 'forever' })).toThrow(/JWT_TTL/);
  });

  it('documents every variable it reads in .env.example', () => {
    const documented = readFileSync('.env.example', 'utf8')
      .split('\n')
      .map((line) => /^([A-Z_]+)=/.exec(line)?.[1])
      .filter(Boolean);

    expect([...documented].sort()).toEqual([...ENV_KEYS].sort());
  });
});
