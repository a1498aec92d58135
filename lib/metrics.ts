import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
} from 'prom-client';
import type { Push } from './realtime/contract';

// Prometheus metrics for one instance. Counters count what this instance
// did (requests it served, bets its handlers committed, pushes it sent to
// its own sockets); a dashboard sums them over instances.

export type Metrics = ReturnType<typeof createMetrics>;

export interface Gauges {
  sockets(): { connected: number; rooms: number };
  outbox(): Promise<{ pending: number; lagSeconds: number }>;
  database(): { poolSize: number; inFlight: number };
}

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  let gauges: Gauges | undefined;

  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const pushesSent = new Counter({
    name: 'pushes_sent_total',
    help: 'Pushes this instance emitted to its sockets, by push name.',
    labelNames: ['type'] as const,
    registers,
  });
  const bets = new Counter({
    name: 'bets_total',
    help: 'Bets committed by this instance: placed, accepted, cancelled, settled.',
    labelNames: ['action'] as const,
    registers,
  });

  defineGauges(registers, () => gauges);

  return {
    registry,
    /** Supplies the readings the gauges take at each scrape. */
    watch(source: Gauges) {
      gauges = source;
    },
    observeRequest(method: string, path: string, status: number, s: number) {
      // Unknown paths (scanners, typos) share one series.
      const route = status === 404 ? 'unmatched' : routeOf(path);
      const labels = { method, route, status: String(status) };
      httpDuration.observe(labels, s);
    },
    pushSent(name: string) {
      pushesSent.inc({ type: name });
    },
    /** Counts the bets a committed transaction placed, took or settled. */
    committed(pushes: readonly Push[]) {
      for (const push of pushes) {
        const action = betActionOf(push);
        if (action) bets.inc({ action: action.name }, action.count);
      }
    },
  };
}

function defineGauges(
  registers: Registry[],
  source: () => Gauges | undefined,
): void {
  const gauge = (name: string, help: string, read: () => unknown) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        // A reading that fails (database down) keeps the last value: the
        // scrape still answers, and readiness reports the outage.
        const value = await Promise.resolve()
          .then(read)
          .catch(() => undefined);
        if (typeof value === 'number') this.set(value);
      },
    });

  gauge(
    'sockets_connected',
    'Sockets connected to this instance.',
    () => source()?.sockets().connected,
  );
  gauge(
    'socket_rooms',
    'Rooms with at least one socket here.',
    () => source()?.sockets().rooms,
  );
  gauge('outbox_pending', 'Pushes committed but not yet published.', () =>
    source()
      ?.outbox()
      .then((o) => o.pending),
  );
  gauge(
    'outbox_lag_seconds',
    'Age of the oldest push not yet published; 0 when none waits.',
    () =>
      source()
        ?.outbox()
        .then((o) => o.lagSeconds),
  );
  gauge(
    'db_pool_size',
    'Connections the database pool may open.',
    () => source()?.database().poolSize,
  );
  gauge(
    'db_transactions_in_flight',
    'Transactions holding a pool connection right now.',
    () => source()?.database().inFlight,
  );
}

function betActionOf(push: Push): { name: string; count: number } | null {
  switch (push.name) {
    case 'new-bet':
      return { name: 'placed', count: 1 };
    case 'bet-update':
      return { name: push.payload.action, count: 1 };
    case 'event-result':
      return push.payload.status === 'finished'
        ? { name: 'settled', count: push.payload.affectedBets }
        : null;
    default:
      return null;
  }
}

const ID_SEGMENT = /^(?:[0-9a-f]{8}-[0-9a-f-]{27}|\d+)$/i;

/**
 * A low-cardinality label for a path: ids become `:id`, build assets
 * collapse, so the histogram has one series per route, not per URL.
 */
export function routeOf(path: string): string {
  const pathname = path.split('?')[0] ?? '/';
  if (pathname.startsWith('/_next/')) return '/_next/*';
  if (pathname.startsWith('/socket.io/')) return '/socket.io';

  return pathname
    .split('/')
    .map((segment) => (ID_SEGMENT.test(segment) ? ':id' : segment))
    .join('/');
}
