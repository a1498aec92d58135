import { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Logger } from '@/lib/log';

// Where rate-limit counters live: Redis when the app has one, so every
// instance counts against the same budget, or this process's memory.

export interface LimitSpec {
  /** Names the counter family in Redis, e.g. `login-user`. */
  name: string;
  points: number;
  durationSeconds: number;
}

export interface LimiterStore {
  limiter(spec: LimitSpec): RateLimiterAbstract;
  close(): Promise<void>;
}

export function createLimiterStore(
  redisUrl: string | undefined,
  log: Logger,
): LimiterStore {
  if (!redisUrl) {
    return {
      limiter: (spec) => memoryLimiter(spec),
      close: async () => {},
    };
  }

  // One connection for every limiter. Commands fail fast while Redis is
  // away (no offline queue, one retry), so the insurance limiter answers
  // instead of a request hanging until Redis returns.
  const redis = new Redis(redisUrl, {
    connectionName: 'rate-limits',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  // The bus's connections already warn about an outage; the limiters
  // fall back on their own, so this one only says so at debug level.
  redis.on('error', (error) => {
    log.debug({ err: error }, 'rate-limit redis unavailable');
  });

  return {
    limiter: (spec) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `rl:${spec.name}`,
        points: spec.points,
        duration: spec.durationSeconds,
        rejectIfRedisNotReady: true,
        // A Redis outage must not lock everybody out: each instance
        // counts on its own until Redis is back.
        insuranceLimiter: memoryLimiter(spec),
      }),
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

function memoryLimiter(spec: LimitSpec): RateLimiterMemory {
  return new RateLimiterMemory({
    keyPrefix: spec.name,
    points: spec.points,
    duration: spec.durationSeconds,
  });
}

/** A rejection that means "over the limit", as opposed to a store error. */
export function isOverLimit(value: unknown): value is RateLimiterRes {
  return value instanceof RateLimiterRes;
}

/** Whole seconds until `res` frees a point, at least one. */
export function retryAfterSeconds(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}
