import { describe, expect, it } from 'vitest';
import { parseConfig, ttlSeconds } from '@/lib/config';

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

  it('reads token lifetimes with units', () => {
    expect(ttlSeconds('15m')).toBe(900);
    expect(ttlSeconds('12h')).toBe(43_200);
    expect(() => parseConfig({ JWT_TTL: 'forever' })).toThrow(/JWT_TTL/);
  });
});
