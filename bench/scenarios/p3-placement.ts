import { fileURLToPath } from 'node:url';
import { startApp, type RunningApp } from '../lib/app';
import {
  createHistogram,
  recordMs,
  round,
  summarize,
  type LatencySummary,
} from '../lib/histogram';
import { createEvent, expectApi } from '../lib/http';
import {
  createHttpLoad,
  OFFER_STAKE,
  postOffer,
  type HttpLoad,
} from '../lib/http-load';
import { runOpenLoop } from '../lib/open-loop';
import { pgbench, type PgbenchResult } from '../lib/pgbench';
import type { ResultRow } from '../lib/report';
import { bySize, type BenchContext } from '../lib/scenario';
import { adminUser, seedUsers, type BenchUser } from '../lib/seed';

// P3: offers posted over HTTP (POST /api/bets) in open loop at fixed
// rates, spread over many users and then all from one hot account. The
// references run in the same database in the same run: pgbench replaying
// the SQL of our transaction, and of a FOR UPDATE variant of it, at the
// concurrency of the app's connection pool.

interface Plan {
  users: number;
  /** Offered rates, as fractions of pgbench's TPS for the same load. */
  fractions: number[];
  stepSeconds: number;
  pgbenchSeconds: number;
  warmupBets: number;
}

/** The app's connection pool, and so the references' client count. */
const POOL = 10;
/** Keep-alive sockets of the load driver; beyond it requests queue. */
const CONNECTIONS = 64;

const SCRIPTS = {
  ours: reference('place-bet.sql'),
  forUpdate: reference('place-bet-for-update.sql'),
};

function reference(file: string): string {
  return fileURLToPath(new URL(`../reference/${file}`, import.meta.url));
}

function planOf(ctx: BenchContext): Plan {
  return bySize(ctx, {
    tiny: {
      users: 5,
      fractions: [0.1, 0.2],
      stepSeconds: 1,
      pgbenchSeconds: 1,
      warmupBets: 20,
    },
    small: {
      users: 2000,
      fractions: [0.1, 0.2, 0.3, 0.5],
      stepSeconds: 6,
      pgbenchSeconds: 8,
      warmupBets: 400,
    },
    full: {
      users: 10_000,
      fractions: [0.1, 0.2, 0.3, 0.5],
      stepSeconds: 10,
      pgbenchSeconds: 15,
      warmupBets: 2000,
    },
  });
}

type Load = 'uniform' | 'hot';

interface Step {
  load: Load;
  offeredPerSecond: number;
  sent: number;
  ok: number;
  failed: number;
  /** Answers that were not 201, by status: `{ '409': 3 }`. */
  statuses: Record<string, number>;
  achievedPerSecond: number;
  latency: LatencySummary;
  maxSendLagMs: number;
}

interface References {
  uniform: PgbenchResult;
  hot: PgbenchResult;
  hotForUpdate: PgbenchResult;
}

interface Audit {
  ok: boolean;
  [check: string]: unknown;
}

interface Setup {
  app: RunningApp;
  users: BenchUser[];
  hot: BenchUser;
  adminToken: string;
  databaseUrl: string;
}

export const p3 = {
  name: 'p3',
  title: 'bet placement over HTTP, uniform and one hot account',
  async run(ctx: BenchContext) {
    const plan = planOf(ctx);
    const app = await startApp({
      cwd: ctx.cwd,
      env: { DATABASE_POOL_SIZE: String(POOL) },
    });
    const load = createHttpLoad(app.url, CONNECTIONS);

    try {
      const setup = await prepare(app, plan);
      const refs = await runReferences(ctx, plan, setup);
      const uniform = await runLoad(ctx, plan, setup, load, {
        load: 'uniform',
        referenceTps: refs.uniform.tps,
      });
      const hot = await runLoad(ctx, plan, setup, load, {
        load: 'hot',
        referenceTps: refs.hot.tps,
      });
      const audit = await expectApi<Audit>(
        200,
        app.url,
        'GET',
        '/api/admin/audit',
        { token: setup.adminToken },
      );
      const counted = await countBets(app, [...uniform, ...hot], plan);

      return resultOf(plan, refs, uniform, hot, { audit, ...counted });
    } finally {
      load.close();
      await app.stop();
    }
  },
};

/**
 * Users with ample funds, one of them the hot account, and the tables the
 * pgbench scripts read: `bench_users` maps a number to a user (0 is the
 * hot one), `bench_outbox` takes their pushes so the app's relay does not
 * publish them meanwhile.
 */
async function prepare(app: RunningApp, plan: Plan): Promise<Setup> {
  const users = await seedUsers(app, {
    count: plan.users,
    prefix: 'p3',
    creditCents: 100_000_000,
  });
  const [hot] = await seedUsers(app, {
    count: 1,
    prefix: 'p3hot',
    creditCents: 100_000_000_000,
  });
  const admin = await adminUser(app);

  await app.sql`
    create table bench_users (n int primary key, id uuid not null)`;
  await app.sql`
    insert into bench_users (n, id)
    select i - 1, id from unnest(${[hot!.id, ...users.map((u) => u.id)]}::uuid[])
      with ordinality as u(id, i)`;
  await app.sql`create table bench_outbox (like outbox including all)`;
  await app.sql`vacuum analyze`;

  return {
    app,
    users,
    hot: hot!,
    adminToken: admin.token,
    databaseUrl: databaseUrlOf(app),
  };
}

function databaseUrlOf(app: RunningApp): string {
  const { host, port, user, database } = app.sql.options;

  return `postgres://${user}@${host[0]}:${port[0]}/${database}`;
}

async function runReferences(
  ctx: BenchContext,
  plan: Plan,
  setup: Setup,
): Promise<References> {
  const run = async (name: string, script: string, hot: boolean) => {
    const event = await createEvent(
      setup.app.url,
      setup.adminToken,
      `P3 pgbench ${name}`,
    );
    ctx.log(`p3: pgbench ${name}`);

    return pgbench({
      databaseUrl: setup.databaseUrl,
      script,
      clients: POOL,
      seconds: plan.pgbenchSeconds,
      variables: {
        event: event.id,
        lo: hot ? 0 : 1,
        hi: hot ? 0 : plan.users,
      },
    });
  };

  return {
    uniform: await run('uniform', SCRIPTS.ours, false),
    hot: await run('hot account', SCRIPTS.ours, true),
    hotForUpdate: await run('hot account FOR UPDATE', SCRIPTS.forUpdate, true),
  };
}

async function runLoad(
  ctx: BenchContext,
  plan: Plan,
  setup: Setup,
  load: HttpLoad,
  opts: { load: Load; referenceTps: number },
): Promise<Step[]> {
  const event = await createEvent(
    setup.app.url,
    setup.adminToken,
    `P3 app ${opts.load}`,
  );
  const pick =
    opts.load === 'hot'
      ? () => setup.hot
      : () => setup.users[Math.floor(Math.random() * setup.users.length)]!;
  const place = (user: BenchUser) =>
    postOffer(load, {
      eventId: event.id,
      token: user.token,
      acceptorAmount: OFFER_STAKE,
    });

  // JIT, the route's first load and the pool's connections are warmed
  // outside the measured steps.
  ctx.log(`p3: app ${opts.load}, warm-up`);
  await runOpenLoop({
    ratePerSecond: Math.max(10, opts.referenceTps / 4),
    count: plan.warmupBets,
    send: async () => (await place(pick())).status === 201,
  });

  const steps: Step[] = [];
  for (const fraction of plan.fractions) {
    const rate = Math.max(1, Math.round(opts.referenceTps * fraction));
    ctx.log(`p3: app ${opts.load} at ${rate}/s`);
    steps.push(await runStep(plan, rate, opts.load, () => place(pick())));
  }

  return steps;
}

async function runStep(
  plan: Plan,
  rate: number,
  load: Load,
  place: () => ReturnType<HttpLoad['post']>,
): Promise<Step> {
  const histogram = createHistogram();
  const statuses: Record<string, number> = {};

  const sent = await runOpenLoop({
    ratePerSecond: rate,
    count: Math.max(1, Math.round(rate * plan.stepSeconds)),
    send: async () => {
      const answer = await place();
      recordMs(histogram, answer.ms);
      if (answer.status === 201) return true;

      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      return false;
    },
  });
  const latency = summarize(histogram);
  histogram.destroy();

  return {
    load,
    offeredPerSecond: rate,
    sent: sent.sent,
    ok: sent.ok,
    failed: sent.failed,
    statuses,
    achievedPerSecond: round(sent.ok / (sent.elapsedMs / 1000), 1),
    latency,
    maxSendLagMs: sent.maxLagMs,
  };
}

/** Every acknowledged offer is a row: none lost, none doubled. */
async function countBets(
  app: RunningApp,
  steps: Step[],
  plan: Plan,
): Promise<{ betRows: number; acknowledged: number }> {
  const [row] = await app.sql<[{ count: number }]>`
    select count(*)::int as count from bets b
    join events e on e.id = b.event_id
    where e.name like 'P3 app %'`;

  return {
    betRows: row.count,
    acknowledged:
      steps.reduce((sum, step) => sum + step.ok, 0) + 2 * plan.warmupBets,
  };
}

function resultOf(
  plan: Plan,
  refs: References,
  uniform: Step[],
  hot: Step[],
  checks: { audit: Audit; betRows: number; acknowledged: number },
) {
  const best = (steps: Step[]) =>
    Math.max(...steps.map((step) => step.achievedPerSecond));
  const appUniform = best(uniform);
  const appHot = best(hot);
  const invariantsOk =
    checks.audit.ok && checks.betRows === checks.acknowledged;

  const rows: ResultRow[] = [
    {
      metric: 'uniform: app TPS against pgbench with our transaction',
      unit: 'bets/s',
      measured: appUniform,
      reference: round(refs.uniform.tps, 1),
      target: '>= 0.7x',
      pass: appUniform >= 0.7 * refs.uniform.tps,
    },
    {
      metric: 'hot account: our transaction against FOR UPDATE (pgbench)',
      unit: 'TPS',
      measured: round(refs.hot.tps, 1),
      reference: round(refs.hotForUpdate.tps, 1),
      target: '>= 1.25x',
      pass: refs.hot.tps >= 1.25 * refs.hotForUpdate.tps,
    },
    {
      metric: 'hot account: app TPS against pgbench with our transaction',
      unit: 'bets/s',
      measured: appHot,
      reference: round(refs.hot.tps, 1),
      target: '>= 0.7x',
      pass: appHot >= 0.7 * refs.hot.tps,
    },
    {
      metric: 'hot account: app TPS against FOR UPDATE (pgbench)',
      unit: 'bets/s',
      measured: appHot,
      reference: round(refs.hotForUpdate.tps, 1),
      target: '>= 1.25x',
      pass: appHot >= 1.25 * refs.hotForUpdate.tps,
    },
    ...[...uniform, ...hot].map(stepRow),
    {
      metric: 'invariants after the run (audit, bet rows = 201 answers)',
      unit: '',
      measured: checks.betRows,
      reference: checks.acknowledged,
      target: 'books balance, none negative, rows = acks',
      pass: invariantsOk,
    },
  ];

  return {
    name: 'p3',
    title: p3.title,
    scale: {
      users: plan.users,
      pool: POOL,
      pgbenchClients: POOL,
      stepSeconds: plan.stepSeconds,
      pgbenchSeconds: plan.pgbenchSeconds,
      offered: plan.fractions.map((f) => `${f}x`).join('/'),
    },
    rows,
    chart: {
      title: 'P3: POST /api/bets ack latency against offered rate',
      xLabel: 'offered bets/s',
      yLabel: 'ack latency (ms)',
      series: [...series('uniform', uniform), ...series('hot', hot)],
    },
    steps: [
      ...[...uniform, ...hot],
      { load: 'pgbench uniform', ...refs.uniform },
      { load: 'pgbench hot', ...refs.hot },
      { load: 'pgbench hot FOR UPDATE', ...refs.hotForUpdate },
      { audit: checks.audit },
    ],
    notes: notesOf(refs),
  };
}

function stepRow(step: Step): ResultRow {
  const { p50, p99, p999, max } = step.latency;
  const failures = Object.entries(step.statuses)
    .map(([status, count]) => `${count}x ${status}`)
    .join(', ');

  return {
    metric:
      `${step.load} at ${step.offeredPerSecond}/s: ack p99 ` +
      `(p50 ${p50}, p99.9 ${p999}, max ${max} ms; ` +
      `${step.achievedPerSecond} bets/s, ${step.failed} failed` +
      `${failures ? `: ${failures}` : ''})`,
    unit: 'ms',
    measured: p99,
    reference: null,
    target: '-',
    pass: null,
  };
}

function series(label: string, steps: Step[]) {
  const point = (pick: (latency: LatencySummary) => number) =>
    steps.map((step) => ({ x: step.offeredPerSecond, y: pick(step.latency) }));

  return [
    { label: `${label} p50`, points: point((l) => l.p50) },
    { label: `${label} p99`, points: point((l) => l.p99) },
    { label: `${label} p99.9`, points: point((l) => l.p999) },
    { label: `${label} max`, points: point((l) => l.max) },
  ];
}

function notesOf(refs: References): string[] {
  return [
    `pgbench: ${POOL} clients, prepared statements; uniform ` +
      `${round(refs.uniform.tps)} TPS, hot ${round(refs.hot.tps)} TPS, ` +
      `hot FOR UPDATE ${round(refs.hotForUpdate.tps)} TPS.`,
  ];
}
