import { describe, expect, it } from 'vitest';
import { Api } from './support/api';
import { DATABASE_URL, usesRealServices } from './support/env';
import { startServer } from './support/server';

// How the server starts, reports its health and stops: what an operator
// sees, checked on real processes.

describe('starting the server', () => {
  it('refuses a bad variable with one line that names it', async () => {
    const failure = await startServer({ PORT: 'eighty' }).catch(
      (error: Error) => error.message,
    );

    expect(failure).toMatch(/exited with 1/);
    expect(failure).toMatch(/Invalid environment: PORT: /);
  });

  it('keeps serving with Redis unreachable, and says so in its health', async () => {
    const server = await startServer({ REDIS_URL: 'redis://127.0.0.1:1' });
    const api = new Api(server.url);

    const health = await api.get('/api/health');
    const user = await api.newUser();
    const admin = await api.admin();
    const event = await api.newEvent(admin.token);
    await api.placeBet(user.token, event.id);

    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'degraded', db: 'up', bus: 'down' });
    expect((await api.wallet(user.token)).frozenBalance).toBe(1000);
    expect(server.output()).toMatch(/redis connection lost/);
    expect(await server.stop()).toBe(0);
  });

  it('reports itself healthy and stops cleanly on SIGTERM', async () => {
    const server = await startServer();
    const api = new Api(server.url);

    const health = await api.get('/api/health');

    expect(health.status).toBe(200);
    expect(health.body.db).toBe('up');
    expect(await server.stop()).toBe(0);
  });
});

describe.skipIf(!usesRealServices)('a database that goes away', () => {
  it('turns the health check to 503', async () => {
    const name = `livebets_gone_${Date.now()}`;
    const admin = new URL(DATABASE_URL!);
    const url = new URL(DATABASE_URL!);
    url.pathname = `/${name}`;
    const { default: postgres } = await import('postgres');
    const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
    await sql.unsafe(`create database ${name}`);
    const server = await startServer({ DATABASE_URL: url.toString() });
    const api = new Api(server.url);
    expect((await api.get('/api/health')).status).toBe(200);

    await sql.unsafe(`drop database ${name} with (force)`);
    const health = await api.get('/api/health');

    expect(health.status).toBe(503);
    expect(health.body.db).toBe('down');
    await server.stop();
    await sql.end();
  });
});
