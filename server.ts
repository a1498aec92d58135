import { createServer } from 'node:http';
import nextEnv from '@next/env';
import next from 'next';
import { setAppContext } from './lib/app-context';
import { cookieNames } from './lib/auth/cookies';
import { loadTokenKeys, prepareDatabase } from './lib/boot';
import { ConfigError, parseConfig, type Config } from './lib/config';
import { createLogger, type Logger } from './lib/log';
import { createMemoryBus, createRedisBus, type Bus } from './lib/realtime/bus';
import { attachSocketServer, startRelay } from './lib/realtime/socket-server';
import { createSocketGuards } from './lib/realtime/socket-guards';
import { startOutboxRelay } from './lib/realtime/outbox-relay';
import { startPresence, type Presence } from './lib/realtime/presence';
import { followControl } from './lib/realtime/socket-session';
import { stampClient } from './lib/security/client';
import { setSecurityHeaders } from './lib/security/headers';
import { createLimiterStore } from './lib/security/limiter';
import { createRateLimits } from './lib/security/rate-limits';
import { createServices } from './lib/services';

// The only entry point: config, database and migrations, bus, one HTTP
// server carrying Next and Socket.IO, the relay, and a graceful shutdown.

const SHUTDOWN_GRACE_MS = 10_000;

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
  const services = createServices({
    config,
    database,
    tokens,
    onPushesCommitted: relay.nudge,
    busIsUp: bus.isUp,
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
  setAppContext({ config, services, log, disconnectUser, limits });

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
    httpServer,
  });
  await nextApp.prepare();
  const handle = nextApp.getRequestHandler();
  httpServer.on('request', (req, res) => void handle(req, res));

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
  followControl(io, bus);
  presence = startPresence({
    localCount: (room) => io.sockets.adapter.rooms.get(room)?.size ?? 0,
    localEventIds: () => eventRoomsOf(io),
    bus,
    redisUrl: config.REDIS_URL,
    log,
  });
  startRelay({
    io,
    bus,
    log,
    startSeq: await services.stream.currentSeq(),
    publishedSince: services.stream.publishedSince,
  });

  await listen(httpServer, config);
  log.info({ url: urlOf(httpServer, config) }, 'ready');
  process.stdout.write(`Listening on ${urlOf(httpServer, config)}\n`);

  onShutdown(log, async () => {
    await closeHttp(httpServer, io);
    await relay.stop();
    await presence?.close();
    await bus.close();
    await limiterStore.close();
    await nextApp.close();
    await database.close();
  });
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
function onShutdown(log: Logger, close: () => Promise<void>): void {
  let closing = false;

  const stop = (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    log.info({ signal }, 'shutting down');

    setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();

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
