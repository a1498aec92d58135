import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApp, type RunningApp } from '../lib/app';
import { ClientPool } from '../lib/client-pool';
import {
  createProbe,
  type HeapSample,
  type LoopDelay,
  type Probe,
} from '../lib/heap-probe';
import { round } from '../lib/histogram';
import { createEvent } from '../lib/http';
import { startReference } from '../lib/reference';
import type { ResultRow } from '../lib/report';
import { bySize, waitUntil, type BenchContext } from '../lib/scenario';
import { adminUser, seedUsers, type BenchUser } from '../lib/seed';

// P1: ramp to many JWT-authenticated sockets, each in its user room, the
// global room and one event room, and hold them. The reference is the
// bare Socket.IO server with the same rooms. Both servers run with the
// same preloaded probe, which reports their heap after a forced GC and
// their event-loop delay.

interface Plan {
  sockets: number;
  /** Event rooms the sockets are spread over, one room per socket. */
  events: number;
  /** Handshakes started per second over all load processes. */
  rampPerSecond: number;
  holdS: number;
  processes: number;
}

interface Measured {
  sockets: number;
  /** Sockets the server itself counted at the end of the hold. */
  serverSockets: number;
  failed: number;
  errors: string[];
  rampS: number;
  heapBefore: HeapSample;
  heapAfter: HeapSample;
  heapPerSocket: number;
  rssPerSocket: number;
  externalPerSocket: number;
  /** Over the ramp and the hold, with no forced GC inside the window. */
  loop: LoopDelay;
  disconnects: number;
  disconnectReasons: Record<string, number>;
  /** Heap used (not collected) after each event's share of the ramp. */
  rampHeap: Array<{ sockets: number; heapUsed: number }>;
}

interface Target {
  url: string;
  probe: Probe;
  /** How many sockets the server says it holds. */
  serverSockets(): Promise<number>;
}

const WARM_UP_SOCKETS = 10;
const LOOP_LIMIT_MS = 20;
const HEAP_RATIO_LIMIT = 1.25;

function planOf(ctx: BenchContext): Plan {
  return bySize(ctx, {
    tiny: { sockets: 20, events: 2, rampPerSecond: 20, holdS: 3, processes: 1 },
    small: {
      sockets: 2000,
      events: 10,
      rampPerSecond: 200,
      holdS: 30,
      processes: 2,
    },
    full: {
      sockets: 10_000,
      events: 20,
      rampPerSecond: 250,
      holdS: 120,
      processes: 2,
    },
  });
}

export const p1 = {
  name: 'p1',
  title: 'many authenticated sockets held open',
  async run(ctx: BenchContext) {
    const plan = planOf(ctx);
    requireFileLimit(plan.sockets);
    const metricsToken = randomBytes(16).toString('hex');
    const probe = createProbe();
    const app = await startApp({
      cwd: ctx.cwd,
      nodeArgs: probe.nodeArgs,
      env: { ...probe.env, METRICS_TOKEN: metricsToken },
    });

    try {
      const users = await seedUsers(app, {
        count: plan.sockets,
        prefix: 'p1',
        creditCents: 100_000,
      });
      const eventIds = await createEvents(app, plan.events);

      ctx.log('p1: reference');
      const reference = await measureReference(plan, users, eventIds);
      ctx.log('p1: app');
      const measured = await measureTarget(plan, users, eventIds, {
        url: app.url,
        probe,
        serverSockets: () => countAppSockets(app, metricsToken),
      });

      return resultOf(plan, measured, reference);
    } finally {
      await app.stop();
      probe.dispose();
    }
  },
};

// A server holds one descriptor per socket, and so do the load processes
// between them; all inherit this process's limit, which Node cannot raise.
function requireFileLimit(sockets: number): void {
  const limits = readFileSync('/proc/self/limits', 'utf8');
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(limits);
  const soft = match?.[1] === 'unlimited' ? Infinity : Number(match?.[1]);
  const needed = sockets + 1000;

  if (Number.isFinite(soft) && soft < needed) {
    throw new Error(
      `p1 needs ${needed} open files per process but the limit is ${soft}; ` +
        `run \`ulimit -n ${needed}\` (or more) in this shell first`,
    );
  }
}

async function createEvents(app: RunningApp, count: number) {
  const admin = await adminUser(app);
  const ids: string[] = [];
  for (let i = 1; i <= count; i += 1) {
    ids.push((await createEvent(app.url, admin.token, `P1 event ${i}`)).id);
  }

  return ids;
}

async function countAppSockets(app: RunningApp, token: string) {
  const response = await fetch(`${app.url}/metrics`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  const match = /^sockets_connected (\d+)/m.exec(text);
  if (!match) throw new Error(`no sockets_connected in /metrics`);

  return Number(match[1]);
}

async function measureReference(
  plan: Plan,
  users: BenchUser[],
  eventIds: string[],
): Promise<Measured> {
  const probe = createProbe();
  const reference = await startReference({
    nodeArgs: probe.nodeArgs,
    env: probe.env,
  });

  try {
    return await measureTarget(plan, users, eventIds, {
      url: reference.url,
      probe,
      serverSockets: async () => {
        const response = await fetch(`${reference.url}/stats`);
        return ((await response.json()) as { sockets: number }).sockets;
      },
    });
  } finally {
    await reference.stop();
    probe.dispose();
  }
}

async function measureTarget(
  plan: Plan,
  users: BenchUser[],
  eventIds: string[],
  target: Target,
): Promise<Measured> {
  await warmUp(target, users.slice(0, WARM_UP_SOCKETS), eventIds[0]!);
  const heapBefore = await target.probe.heap({ collect: true });
  await target.probe.loop({ reset: true });
  const pool = ClientPool.start(plan.processes);

  try {
    const started = performance.now();
    const ramp = await rampUp(plan, pool, users, eventIds, target);
    const rampS = (performance.now() - started) / 1000;
    await sleep(plan.holdS * 1000);

    // Read before the collection below, whose pause is the harness's.
    const loop = await target.probe.loop({ reset: false });
    const report = await pool.report(0);
    const serverSockets = await target.serverSockets();
    const heapAfter = await target.probe.heap({ collect: true });
    const perSocket = (key: 'heapUsed' | 'rss' | 'external') =>
      report.sockets > 0
        ? Math.round((heapAfter[key] - heapBefore[key]) / report.sockets)
        : 0;

    return {
      sockets: report.sockets,
      serverSockets,
      failed: ramp.failed,
      errors: ramp.errors,
      rampS: round(rampS, 1),
      heapBefore,
      heapAfter,
      heapPerSocket: perSocket('heapUsed'),
      rssPerSocket: perSocket('rss'),
      externalPerSocket: perSocket('external'),
      loop,
      disconnects: report.disconnects,
      disconnectReasons: report.disconnectReasons,
      rampHeap: ramp.heap,
    };
  } finally {
    await pool.close();
  }
}

// The first sockets load code and build caches a server keeps for its
// whole life; a few are opened and closed first so the baseline holds
// them and the per-socket figure does not.
async function warmUp(target: Target, users: BenchUser[], eventId: string) {
  const pool = ClientPool.start(1);
  try {
    await pool.connect({
      url: target.url,
      tokens: users.map((user) => user.token),
      eventId,
    });
  } finally {
    await pool.close();
  }

  const closed = await waitUntil(
    async () => (await target.serverSockets()) === 0,
    10_000,
  );
  if (!closed) throw new Error('the warm-up sockets did not close');
}

// Sockets are opened one event room at a time, at the plan's rate; a
// heap reading (no collection, to keep the delay window clean) after
// each share draws the ramp.
async function rampUp(
  plan: Plan,
  pool: ClientPool,
  users: BenchUser[],
  eventIds: string[],
  target: Target,
) {
  const heap: Measured['rampHeap'] = [];
  const errors: string[] = [];
  let failed = 0;
  let connected = 0;

  for (const [e, eventId] of eventIds.entries()) {
    const share = users.filter((_, i) => i % eventIds.length === e);
    const joined = await pool.connect({
      url: target.url,
      tokens: share.map((user) => user.token),
      eventId,
      ratePerSecond: plan.rampPerSecond,
    });
    failed += joined.failed;
    errors.push(...joined.errors.slice(0, 5 - errors.length));
    connected = joined.connected;

    const sample = await target.probe.heap({ collect: false });
    heap.push({ sockets: connected, heapUsed: sample.heapUsed });
  }

  return { failed, errors, heap };
}

function resultOf(plan: Plan, app: Measured, ref: Measured) {
  const heapLimit = HEAP_RATIO_LIMIT * ref.heapPerSocket;
  const rows: ResultRow[] = [
    {
      metric: `sockets held (app counts / clients count)`,
      unit: '',
      measured: app.serverSockets,
      reference: app.sockets,
      target: `${plan.sockets}`,
      pass: app.serverSockets === plan.sockets && app.sockets === plan.sockets,
    },
    {
      metric: 'heap used per socket (after forced GC)',
      unit: 'B',
      measured: app.heapPerSocket,
      reference: ref.heapPerSocket,
      target: `<= ${HEAP_RATIO_LIMIT}x ref (${Math.round(heapLimit)} B)`,
      pass: app.heapPerSocket <= heapLimit,
    },
    {
      metric: 'unexpected disconnects (ramp and hold)',
      unit: '',
      measured: app.disconnects,
      reference: ref.disconnects,
      target: '0',
      pass: app.disconnects === 0 && app.failed === 0,
    },
    {
      metric: 'event-loop delay p99 (ramp and hold)',
      unit: 'ms',
      measured: app.loop.p99,
      reference: ref.loop.p99,
      target: `<= ${LOOP_LIMIT_MS} ms`,
      pass: app.loop.p99 <= LOOP_LIMIT_MS,
    },
  ];

  return {
    name: 'p1',
    title: p1.title,
    scale: {
      sockets: plan.sockets,
      eventRooms: plan.events,
      rampPerSecond: plan.rampPerSecond,
      holdS: plan.holdS,
      loadProcesses: plan.processes,
    },
    rows,
    chart: {
      title: 'P1: server heap used while the sockets ramp up',
      xLabel: 'sockets connected',
      yLabel: 'heap used (MB)',
      series: [rampSeries('app', app), rampSeries('bare socket.io', ref)],
    },
    steps: [
      { target: 'app', ...app },
      { target: 'reference', ...ref },
    ],
    notes: notesOf(app, ref),
  };
}

function rampSeries(label: string, measured: Measured) {
  const mb = (bytes: number) => round(bytes / 2 ** 20, 1);

  return {
    label,
    points: [
      { x: 0, y: mb(measured.heapBefore.heapUsed) },
      ...measured.rampHeap.map((point) => ({
        x: point.sockets,
        y: mb(point.heapUsed),
      })),
    ],
  };
}

function notesOf(app: Measured, ref: Measured): string[] {
  const beyond = (loop: LoopDelay) => round(loop.p99 - loop.resolutionMs, 2);

  return [
    'Heap per socket is (heap used at the end of the hold - heap used ' +
      'before the ramp) / sockets held, both read inside the server ' +
      'right after two forced full GCs (node --expose-gc, gc() called by ' +
      'a preloaded probe on a Unix socket; the same probe in both ' +
      `servers). ${WARM_UP_SOCKETS} sockets are opened and closed before ` +
      'the baseline so one-off code loading is not counted per socket. ' +
      `RSS per socket: app ${app.rssPerSocket} B, reference ` +
      `${ref.rssPerSocket} B; external: app ${app.externalPerSocket} B, ` +
      `reference ${ref.externalPerSocket} B.`,
    'Event-loop delay is monitorEventLoopDelay at a 10 ms resolution, ' +
      "the same as prom-client's nodejs_eventloop_lag_p99_seconds: each " +
      'sample is the time between ticks, so an idle loop reads about 10 ms. ' +
      `Beyond the interval the p99 is ${beyond(app.loop)} ms for the app ` +
      `and ${beyond(ref.loop)} ms for the reference. The window runs from ` +
      'the start of the ramp to the end of the hold; the forced GCs are ' +
      'outside it.',
    `The ramp starts handshakes at a fixed rate, open loop; it took ` +
      `${app.rampS} s on the app and ${ref.rampS} s on the reference. ` +
      'The chart reads heap used without a collection after each event ' +
      "room's share, so it includes garbage; the table's figure does not.",
    'The reference reads the user id from the token without checking it ' +
      'and touches no database; the app verifies each JWT and its ' +
      'session, and checks the event exists before the join.',
  ];
}
