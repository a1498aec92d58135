import { Redis } from 'ioredis';
import { REDIS_URL } from './env';

/**
 * Forgets every rate-limit counter in the shared Redis, so a rerun within
 * the limits' windows starts as fresh as the first run: the test servers
 * all speak from 127.0.0.1, and Redis outlives them.
 */
export async function forgetRateLimits(): Promise<void> {
  if (!REDIS_URL) return;

  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys('rl:*');
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
