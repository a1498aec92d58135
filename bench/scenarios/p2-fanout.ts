import { cpuSeconds, startApp } from '../lib/app';
import { ClientPool, type PoolReport } from '../lib/client-pool';
import { createEvent, expectApi } from '../lib/http';
import { round, type LatencySummary } from '../lib/histogram';
import { runOpenLoop } from '../lib/open-loop';
import { startReference } from '../lib/reference';
import type { ResultRow } from '../lib/report';
import { bySize, waitUntil, type BenchContext } from '../lib/scenario';
import { adminUser, seedUsers, type BenchUser } from '../lib/seed';

// P2: one event room with 1k, 5k and 10k sockets; pushes at a fixed rate
// go commit -> outbox -> relay -> Redis -> Socket.IO. The reference is a
// bare Socket.IO server emitting to the same room at the same rate.

interface Step {
  sockets: number;
  pushes: number;
  latency: LatencySummary;
  lost: number;
  duplicates: number;
  reordered: number;
  deliveries: number;
  cpuSeconds: number;
  failedSends: number;
  maxSendLagMs: number;
}

interface Plan {
  sizes: number[];
  ratePerSecond: number;
  pushesPerStep: number;
  processes: number;
}

function planOf(ctx: BenchContext): Plan {
  return bySize(ctx, {
    tiny: {
      sizes: [5, 10],
      ratePerSecond: 20,
      pushesPerStep: 10,
      processes: 1,
    },
    small: {
      sizes: [100, 300, 1000],
      ratePerSecond: 10,
      pushesPerStep: 50,
      processes: 2,
    },
    full: {
      sizes: [1000, 5000, 10000],
      ratePerSecond: 10,
      pushesPerStep: 150,
      processes: 2,
    },
  });
}

export const p2 = {
  name: 'p2',
  title: 'fan-out of pushes through Redis to one event room',
  async run(ctx: BenchContext) {
    const plan = planOf(ctx);
    const app = await startApp({ cwd: ctx.cwd });

    try {
      const users = await seedUsers(app, {
        count: Math.max(...plan.sizes),
        prefix: 'p2',
        creditCents: 100_000,
      });
      const admin = await adminUser(app);
      const event = await createEvent(app.url, admin.token, 'P2 fan-out');

      ctx.log('p2: reference');
      const reference = await measureReference(plan, users, event.id);
      ctx.log('p2: app');
      const measured = await runSteps(plan, users, {
        url: app.url,
        eventId: event.id,
        pid: app.pid,
        fire: (i) =>
          expectApi(200, app.url, 'PATCH', `/api/events/${event.id}/live`, {
            token: admin.token,
            body: { info: `n=${i}` },
          }).then(() => true),
      });

      return resultOf(plan, measured, reference);
    } finally {
      await app.stop();
    }
  },
};

async function measureReference(
  plan: Plan,
  users: BenchUser[],
  eventId: string,
): Promise<Step[]> {
  const reference = await startReference();

  try {
    return await runSteps(plan, users, {
      url: reference.url,
      eventId,
      pid: reference.pid,
      // The bare server paces itself, so one call runs the whole step.
      fireAll: async () => {
        const query =
          `event=${eventId}&rate=${plan.ratePerSecond}` +
          `&count=${plan.pushesPerStep}`;
        const response = await fetch(`${reference.url}/emit?${query}`);
        const result = (await response.json()) as {
          ok: number;
          maxLagMs: number;
        };

        return { ok: result.ok, failed: 0, maxLagMs: result.maxLagMs };
      },
    });
  } finally {
    await reference.stop();
  }
}

interface Target {
  url: string;
  eventId: string;
  pid: number;
  fire?: (i: number) => Promise<boolean>;
  fireAll?: () => Promise<{ ok: number; failed: number; maxLagMs: number }>;
}

async function runSteps(
  plan: Plan,
  users: BenchUser[],
  target: Target,
): Promise<Step[]> {
  const pool = ClientPool.start(plan.processes);
  const steps: Step[] = [];
  let connected = 0;

  try {
    for (const size of plan.sizes) {
      const joined = await pool.connect({
        url: target.url,
        tokens: users.slice(connected, size).map((user) => user.token),
        eventId: target.eventId,
      });
      if (joined.failed > 0) {
        throw new Error(`sockets refused: ${joined.errors.join('; ')}`);
      }
      connected = size;
      steps.push(await runStep(plan, pool, size, target));
    }

    return steps;
  } finally {
    await pool.close();
  }
}

async function runStep(
  plan: Plan,
  pool: ClientPool,
  sockets: number,
  target: Target,
): Promise<Step> {
  await pool.reset();
  const cpuBefore = cpuSeconds(target.pid);

  const sent = target.fireAll
    ? await target.fireAll()
    : await runOpenLoop({
        ratePerSecond: plan.ratePerSecond,
        count: plan.pushesPerStep,
        send: target.fire!,
      });

  // Deliveries still in flight when the last send returned are waited
  // for, up to 15 s, before anything is counted as lost.
  const expected = plan.pushesPerStep * sockets;
  let report: PoolReport | undefined;
  await waitUntil(
    async () => {
      report = await pool.report(plan.pushesPerStep);
      return report.counts.received >= expected;
    },
    15_000,
    500,
  );
  const cpu = cpuSeconds(target.pid) - cpuBefore;

  return {
    sockets,
    pushes: plan.pushesPerStep,
    latency: report!.event,
    lost: report!.counts.lost,
    duplicates: report!.counts.duplicates,
    reordered: report!.counts.reordered,
    deliveries: report!.counts.received,
    cpuSeconds: round(cpu, 2),
    failedSends: sent.failed,
    maxSendLagMs: sent.maxLagMs,
  };
}

function resultOf(plan: Plan, app: Step[], reference: Step[]) {
  const rows: ResultRow[] = app.flatMap((step, i) => {
    const ref = reference[i]!;
    const limit = 1.5 * ref.latency.p99 + 5;
    const perCore = step.cpuSeconds > 0 ? step.deliveries / step.cpuSeconds : 0;

    return [
      {
        metric: `${step.sockets} sockets: p99 publish-to-receive`,
        unit: 'ms',
        measured: step.latency.p99,
        reference: ref.latency.p99,
        target: `<= 1.5x ref + 5 ms (${round(limit)} ms)`,
        pass: step.latency.p99 <= limit,
      },
      {
        metric: `${step.sockets} sockets: deliveries per server core-second`,
        unit: '',
        measured: Math.round(perCore),
        reference:
          ref.cpuSeconds > 0
            ? Math.round(ref.deliveries / ref.cpuSeconds)
            : null,
        target: '>= 30,000',
        pass: perCore >= 30_000,
      },
      {
        metric: `${step.sockets} sockets: lost pushes`,
        unit: '',
        measured: step.lost,
        reference: ref.lost,
        target: '0',
        pass: step.lost === 0 && step.failedSends === 0,
      },
    ];
  });

  return {
    name: 'p2',
    title: p2.title,
    scale: {
      sockets: plan.sizes.join('/'),
      pushesPerSecond: plan.ratePerSecond,
      pushesPerStep: plan.pushesPerStep,
      loadProcesses: plan.processes,
    },
    rows,
    chart: {
      title: 'P2: publish-to-receive latency against room size',
      xLabel: `sockets in the room (${plan.ratePerSecond} pushes/s)`,
      yLabel: 'latency (ms)',
      series: [...series('app', app), ...series('bare socket.io', reference)],
    },
    steps: [
      ...app.map((step) => ({ target: 'app', ...step })),
      ...reference.map((step) => ({ target: 'reference', ...step })),
    ],
    notes: [
      'Latency is the client receive time minus the push `timestamp` ' +
        '(the app stamps it with Date.now() just before commit), on one ' +
        'machine clock; ms truncation of the stamp adds 0 to 1 ms.',
      'Deliveries per core-second divide the pushes received by all ' +
        'sockets by the server process CPU time (user + system) over the ' +
        'step, including the HTTP requests that caused the pushes.',
    ],
  };
}

function series(label: string, steps: Step[]) {
  const point = (pick: (latency: LatencySummary) => number) =>
    steps.map((step) => ({ x: step.sockets, y: pick(step.latency) }));

  return [
    { label: `${label} p50`, points: point((l) => l.p50) },
    { label: `${label} p99`, points: point((l) => l.p99) },
    { label: `${label} p99.9`, points: point((l) => l.p999) },
  ];
}
