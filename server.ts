import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import nextEnv from '@next/env';
import next from 'next';
import { setAppContext } from './lib/app-context';
import { cookieNames } from './lib/auth/cookies';
import { loadTokenKeys, prepareDatabase } from './lib/boot';
import { ConfigError, parseConfig, type Config } from './lib/config';
import { createLogger, type Logger } from './lib/log';
import { createMetrics, routeOf, type Metrics } from './lib/metrics';
import { createMemoryBus, createRedisBus, type Bus } from './lib/realtime/bus';
import { attachSocketServer, startRelay } from './lib/realtime/socket-server';
import { createSocketGuards } from './lib/realtime/socket-guards';
import { outboxBacklog, startOutboxRelay } from './lib/realtime/outbox-relay';
import { startPresence, type Presence } from './lib/realtime/presence';
import { stickToInstance } from './lib/realtime/sticky';
import { followControl } from './lib/realtime/socket-session';
import { runInRequest, type RequestContext } from './lib/request-context';
import { stampClient } from './lib/security/client';
import { setSecurityHeaders } from './lib/security/headers';
import { createLimiterStore } from './lib/security/limiter';
import { createRateLimits } from './lib/security/rate-limits';
import { createServices } from './lib/services';

// The only entry point: config, database and migrations, bus, one HTTP
// server carrying Next and Socket.IO, the relay, and a graceful shutdown.

// Socket.IO's default path, which the clients use.
const SOCKET_IO_PATH = '/socket.io/';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({
    level: config.LOG_LEVEL,
    pretty:
      config.LOG_PRETTY === 'true' ||
      (config.LOG_PRETTY === 'auto' &&
        !config.isProduction &&
        process.stdout.isTTY === true),
  });

  const database = await prepareDatabase(config, log);
  const bus = openBus(config, log);
  const tokens = loadTokenKeys(config);
  const limiterStore = createLimiterStore(config.REDIS_URL, log);
  const limits = createRateLimits(config, limiterStore);
  const relay = startOutboxRelay({ database, bus, log });
  const metrics = createMetrics();
  let draining = false;
  const services = createServices({
    config,
    database,
    tokens,
    onPushesCommitted: (pushes) => {
      relay.nudge();
      metrics.committed(pushes);
    },
    busIsUp: bus.isUp,
    isDraining: () => draining,
  });
  // Through the bus, so the user's sockets on every instance go, this
  // one's included. While Redis is down they last until their token
  // expires: a revoked session cannot reauth.
  const disconnectUser = (userId: string) => {
    bus
      .publishControl({ type: 'disconnect-user', userId })
      .catch((error: unknown) =>
        log.warn({ err: error }, 'could not publish a disconnect'),
      );
  };
  setAppContext({ config, services, log, limits, disconnectUser, metrics });

  const httpServer = createServer();
  // Registered before Next's listener, so it runs first on every request:
  // trusted client headers for the handlers, security headers for all.
  httpServer.on('request', (req, res) => {
    stampClient(req, config.TRUST_PROXY);
    setSecurityHeaders(req, res, !config.isProduction);
  });
  const nextApp = next({
    dev: !config.isProduction,
    hostname: config.HOST,
    port: config.PORT,
    httpServer: upgradesForNext(httpServer),
  });
  await nextApp.prepare();
  const handle = nextApp.getRequestHandler();
  httpServer.on('request', (req, res) =>
    serveRequest(req, res, handle, { log, metrics }),
  );

  let presence: Presence | undefined;
  const io = attachSocketServer(httpServer, {
    guards: createSocketGuards(config, limiterStore, log),
    verify: services.auth.verify,
    accessCookie: cookieNames(config.isProduction).access,
    eventExists: services.events.exists,
    replay: services.stream.replay,
    onViewersChange: (eventId) => presence?.changed(eventId),
    log,
  });
  if (config.INSTANCE_ID) stickToInstance(io, config.INSTANCE_ID);
  followControl(io, bus);
  presence = startPresence({
    localCount: (room) => io.sockets.adapter.rooms.get(room)?.size ?? 0,
    localEventIds: () => eventRoomsOf(io),
    bus,
    redisUrl: config.REDIS_URL,
    log,
  });
  metrics.watch({
    sockets: () => ({
      connected: io.engine.clientsCount,
      rooms: io.sockets.adapter.rooms.size,
    }),
    outbox: cached(1000, () => outboxBacklog(database)),
    database: () => ({
      poolSize: database.poolSize,
      inFlight: services.transactionsInFlight(),
    }),
  });
  startRelay({
    io,
    bus,
    log,
    onEmit: metrics.pushSent,
    startSeq: await services.stream.currentSeq(),
    publishedSince: services.stream.publishedSince,
  });

  await listen(httpServer, config);
  log.info({ url: urlOf(httpServer, config) }, 'ready');
  process.stdout.write(`Listening on ${urlOf(httpServer, config)}\n`);

  onShutdown(log, config.SHUTDOWN_GRACE_MS, async () => {
    // Readiness fails first, so a balancer stops sending new work here.
    draining = true;
    await closeHttp(httpServer, io);
    await relay.stop();
    await presence?.close();
    await bus.close();
    await limiterStore.close();
    await nextApp.close();
    await database.close();
  });
}

type Handle = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

// One log line and one latency sample per request. Every line logged
// while the request is handled carries its id and, once a handler has
// authenticated the caller, the user id.
function serveRequest(
  req: IncomingMessage,
  res: ServerResponse,
  handle: Handle,
  deps: { log: Logger; metrics: Metrics },
): void {
  const started = performance.now();
  const context: RequestContext = { requestId: requestIdOf(req) };
  req.headers['x-request-id'] = context.requestId;
  res.setHeader('x-request-id', context.requestId);

  res.once('finish', () => {
    const ms = performance.now() - started;
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    deps.metrics.observeRequest(method, path, res.statusCode, ms / 1000);

    // Build assets would drown the useful lines; they log at debug.
    const level = path.startsWith('/_next/') ? 'debug' : 'info';
    deps.log[level](
      {
        ...context,
        method,
        route: routeOf(path),
        path,
        status: res.statusCode,
        ms: Math.round(ms),
      },
      'request',
    );
  });

  runInRequest(context, () => void handle(req, res));
}

const REQUEST_ID = /^[\w.:-]{1,100}$/;

// A balancer's id is kept so one request can be followed across hops.
function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];

  return typeof given === 'string' && REQUEST_ID.test(given)
    ? given
    : randomUUID();
}

/** Reuses a slow reading for `ms`, so one scrape runs one query. */
function cached<T>(ms: number, read: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;

  return () => {
    if (!last || Date.now() - last.at > ms) {
      last = { at: Date.now(), value: read() };
    }

    return last.value;
  };
}

function eventRoomsOf(io: ReturnType<typeof attachSocketServer>): string[] {
  return [...io.sockets.adapter.rooms.keys()]
    .filter((room) => room.startsWith('event:'))
    .map((room) => room.slice('event:'.length));
}

function loadConfig(): Config {
  // The same .env files Next would read, loaded before the config is.
  nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== 'production');

  try {
    return parseConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

function openBus(config: Config, log: Logger): Bus {
  if (!config.REDIS_URL) return createMemoryBus();

  return createRedisBus(config.REDIS_URL, log);
}

function listen(
  server: ReturnType<typeof createServer>,
  config: Config,
): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
}

function urlOf(
  server: ReturnType<typeof createServer>,
  config: Config,
): string {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const wildcard = ['0.0.0.0', '::'].includes(config.HOST);

  return `http://${wildcard ? 'localhost' : config.HOST}:${port}`;
}

async function closeHttp(
  server: ReturnType<typeof createServer>,
  io: ReturnType<typeof attachSocketServer>,
): Promise<void> {
  // io.close disconnects every socket and closes the HTTP server, which
  // then waits for requests in flight; idle keep-alive sockets go now.
  const closed = new Promise<void>((resolve) => io.close(() => resolve()));
  server.closeIdleConnections();
  await closed;
}

// Stop accepting, tell sockets to go, let in-flight requests finish, then
// close the bus and the pool. A second signal or the grace timeout ends
// the process at once.
function onShutdown(
  log: Logger,
  graceMs: number,
  close: () => Promise<void>,
): void {
  let closing = false;

  const stop = (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    log.info({ signal }, 'shutting down');

    setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, graceMs).unref();

    close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };

  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${String(error)}\n`);
  if (error instanceof Error && error.stack) {
    process.stderr.write(`${error.stack}\n`);
  }
  process.exit(1);
});

/**
 * What Next sees of the server's upgrade requests: all but Socket.IO's.
 * Next runs its router on every upgrade it is given and keeps an
 * AbortController per socket until it closes: 10,000 sockets paid for
 * that in heap (P1 in docs/performance.md) for nothing, since Next only
 * serves its own upgrades (HMR in development).
 */
function upgradesForNext(httpServer: Server): Server {
  const forNext = new EventEmitter();

  httpServer.on('upgrade', (req: IncomingMessage, socket, head) => {
    if (req.url?.startsWith(SOCKET_IO_PATH)) return;
    forNext.emit('upgrade', req, socket, head);
  });

  // Next only subscribes to 'upgrade' on it (see setupWebSocketHandler in
  // next/dist/server/next.js).
  return forNext as Server;
}
