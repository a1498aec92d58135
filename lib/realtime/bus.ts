import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { CHANNELS, CHANNEL_OF, type Push } from './contract';

/**
 * Carries pushes from whichever instance committed a change to every
 * instance that holds sockets. In-process when there is one instance,
 * Redis pub/sub when there are several.
 */
export interface Bus {
  kind: 'memory' | 'redis';
  publish(push: Push): Promise<void>;
  onPush(handler: (push: Push) => void): void;
  /**
   * Runs when the subscription is back after an outage: pushes published
   * meanwhile never reached this instance and must be caught up.
   */
  onResubscribed(handler: () => void): void;
  /**
   * Orders to every instance, apart from the pushes: not state, so not in
   * the outbox, and lost (harmlessly) while Redis is down.
   */
  publishControl(message: ControlMessage): Promise<void>;
  onControl(handler: (message: ControlMessage) => void): void;
  /** True when a publish would reach the other instances now. */
  isUp(): boolean;
  close(): Promise<void>;
}

/** An order to every instance: today, to drop a user's sockets. */
export interface ControlMessage {
  type: 'disconnect-user';
  userId: string;
}

const CONTROL_CHANNEL = 'control';

export function createMemoryBus(): Bus {
  const emitter = new EventEmitter();

  return {
    kind: 'memory',
    async publish(push) {
      // Deliver on a later tick, as Redis would, so no caller depends on
      // a push arriving before its own response.
      setImmediate(() => emitter.emit('push', push));
    },
    onPush(handler) {
      emitter.on('push', handler);
    },
    async publishControl(message) {
      setImmediate(() => emitter.emit('control', message));
    },
    onControl(handler) {
      emitter.on('control', handler);
    },
    // An in-process bus never loses its subscription.
    onResubscribed: () => undefined,
    isUp: () => true,
    async close() {
      emitter.removeAllListeners();
    },
  };
}

// Reconnect quickly at first, then every 2 s, for as long as it takes: a
// Redis outage must never take the app down, only delay pushes.
const retryStrategy = (attempt: number) => Math.min(attempt * 100, 2000);

export function createRedisBus(url: string, log: Logger): Bus {
  const options = {
    retryStrategy,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: false,
  };
  const publisher = new Redis(url, { ...options, connectionName: 'pub' });
  const subscriber = new Redis(url, {
    ...options,
    enableOfflineQueue: true,
    connectionName: 'sub',
  });
  const handlers: Array<(push: Push) => void> = [];
  const resubscribed: Array<() => void> = [];
  const controlHandlers: Array<(message: ControlMessage) => void> = [];

  watch(publisher, 'publisher', log);
  watch(subscriber, 'subscriber', log, () => {
    for (const handler of resubscribed) handler();
  });

  subscriber.subscribe(...CHANNELS, CONTROL_CHANNEL).catch((error: unknown) => {
    log.warn({ err: error }, 'redis subscribe failed; retrying on reconnect');
  });
  subscriber.on('message', (channel: string, message: string) => {
    if (channel === CONTROL_CHANNEL) {
      const control = parseMessage<ControlMessage>(message, log);
      if (control) for (const handler of controlHandlers) handler(control);
      return;
    }
    const push = parseMessage<Push>(message, log);
    if (push) for (const handler of handlers) handler(push);
  });

  return {
    kind: 'redis',
    async publish(push) {
      await publisher.publish(CHANNEL_OF[push.name], JSON.stringify(push));
    },
    onPush(handler) {
      handlers.push(handler);
    },
    async publishControl(message) {
      await publisher.publish(CONTROL_CHANNEL, JSON.stringify(message));
    },
    onControl(handler) {
      controlHandlers.push(handler);
    },
    onResubscribed(handler) {
      resubscribed.push(handler);
    },
    isUp: () => publisher.status === 'ready' && subscriber.status === 'ready',
    async close() {
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    },
  };
}

function watch(
  connection: Redis,
  role: string,
  log: Logger,
  onRestored?: () => void,
): void {
  let down = false;

  connection.on('error', (error: Error) => {
    if (!down) log.error({ err: error, role }, 'redis connection lost');
    down = true;
  });
  connection.on('ready', () => {
    if (!down) return;
    log.info({ role }, 'redis connection restored');
    down = false;
    onRestored?.();
  });
}

function parseMessage<T>(message: string, log: Logger): T | undefined {
  try {
    return JSON.parse(message) as T;
  } catch (error) {
    log.error({ err: error }, 'dropped an unreadable message from redis');
    return undefined;
  }
}
