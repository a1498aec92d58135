import { describe, expect, it } from 'vitest';
import { usesRealServices } from './support/env';
import { startServer } from './support/server';
import { useTestApp } from './support/suite';

// What an operator watches: readiness, Prometheus metrics and one log
// line per request and per socket, on a real production-mode server.

const METRICS_TOKEN = 'metrics-token-for-the-tests-0123';

describe('an instance under watch', () => {
  const app = useTestApp({ env: { METRICS_TOKEN, LOG_LEVEL: 'info' } });

  it('says it is ready when the database, bus and schema are', async () => {
    const ready = await app.api.get('/api/ready');

    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      ready: true,
      db: 'up',
      bus: 'up',
      migrations: { pending: [] },
      draining: false,
    });
  });

  it('shows its metrics only to the holder of the metrics token', async () => {
    const anonymous = await fetch(`${app.server.url}/metrics`);
    const wrong = await fetch(`${app.server.url}/metrics`, {
      headers: { authorization: 'Bearer not-the-metrics-token-000000' },
    });
    const right = await scrape(app.server.url);

    expect(anonymous.status).toBe(404);
    expect(wrong.status).toBe(404);
    expect(right).toMatch(/^# HELP http_request_duration_seconds /m);
  });

  it('counts sockets, bets, pushes and requests as they happen', async () => {
    const bettor = await app.api.newUser('metered');
    const event = await app.api.newEvent(app.admin.token);
    const before = await scrape(app.server.url);
    const listener = await app.listen(bettor, event.id);

    const bet = await app.api.placeBet(bettor.token, event.id);
    await listener.waitFor('new-bet', (push) => push.id === bet.id);
    const after = await scrape(app.server.url);

    expect(sample(after, 'sockets_connected')).toBe(
      sample(before, 'sockets_connected') + 1,
    );
    expect(sample(after, 'bets_total{action="placed"}')).toBe(
      sample(before, 'bets_total{action="placed"}') + 1,
    );
    expect(sample(after, 'pushes_sent_total{type="new-bet"}')).toBe(
      sample(before, 'pushes_sent_total{type="new-bet"}') + 1,
    );
    expect(after).toMatch(
      /http_request_duration_seconds_count\{method="POST",route="\/api\/bets",status="201"\} \d+/,
    );
    expect(sample(after, 'outbox_pending')).toBeGreaterThanOrEqual(0);
    expect(sample(after, 'db_pool_size')).toBeGreaterThanOrEqual(1);
  });

  it('logs one line per request with who asked, and never a token', async () => {
    const bettor = await app.api.newUser('logged');
    const wallet = await app.api.request('GET', '/api/wallet', {
      token: bettor.token,
      headers: { 'x-request-id': 'trace-me-123' },
    });

    expect(wallet.headers.get('x-request-id')).toBe('trace-me-123');
    const line = await waitForLine(
      app.server.output,
      (entry) => entry.requestId === 'trace-me-123' && entry.msg === 'request',
    );
    expect(line).toMatchObject({
      method: 'GET',
      route: '/api/wallet',
      status: 200,
      userId: bettor.id,
    });
    expect(typeof line.ms).toBe('number');
    expect(app.server.output()).not.toContain(bettor.token);
  });

  it('logs each socket as it connects and leaves, with the reason', async () => {
    const bettor = await app.api.newUser('socketed');
    const listener = await app.listen(bettor);

    listener.close();

    const left = await waitForLine(
      app.server.output,
      (entry) =>
        entry.msg === 'socket disconnected' && entry.userId === bettor.id,
    );
    expect(left.reason).toBe('client namespace disconnect');
    expect(app.server.output()).toMatch(/"msg":"socket connected"/);
  });
});

describe('a production instance without a metrics token', () => {
  it('keeps /metrics closed', async () => {
    const server = await startServer();

    const response = await fetch(`${server.url}/metrics`);

    expect(response.status).toBe(404);
    expect(await server.stop()).toBe(0);
  });
});

describe.skipIf(!usesRealServices)('a deploy that migrates separately', () => {
  it('refuses to start on a schema older than its build', async () => {
    const { url, drop } = await freshDatabase();

    const failure = await startServer({
      DATABASE_URL: url,
      MIGRATE_ON_START: 'false',
    }).catch((error: Error) => error.message);

    expect(failure).toMatch(/migrations pending \(0000_init/);
    expect(failure).toMatch(/npm run db:migrate/);
    await drop();
  });
});

async function scrape(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(response.status).toBe(200);

  return response.text();
}

/** The value of one series in a scrape; 0 when it has no sample yet. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((row) => row.startsWith(`${series} `));

  return line ? Number(line.slice(series.length + 1)) : 0;
}

type LogEntry = Record<string, unknown>;

async function waitForLine(
  output: () => string,
  match: (entry: LogEntry) => boolean,
): Promise<LogEntry> {
  const deadline = Date.now() + 10_000;

  while (Date.now() < deadline) {
    const found = output()
      .split('\n')
      .filter((row) => row.startsWith('{'))
      .map((row) => JSON.parse(row) as LogEntry)
      .find(match);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  throw new Error(`no such log line in:\n${output()}`);
}

async function freshDatabase(): Promise<{
  url: string;
  drop: () => Promise<void>;
}> {
  const { default: postgres } = await import('postgres');
  const admin = new URL(process.env.DATABASE_URL!);
  const name = `livebets_migrate_${Date.now()}`;
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;

  return {
    url: url.toString(),
    drop: async () => {
      await sql.unsafe(`drop database if exists ${name}`);
      await sql.end();
    },
  };
}
