/**
 * Redis for the benchmarks: the instance at REDIS_URL, a key prefix unique
 * to each run (the shared instance is never flushed), removed afterwards.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A prefix of letters, digits and dashes (the gateway's `redis.prefix` rule), unique to the run. */
export function benchPrefix(kind: string): string {
  return `dmpgw-bench-${kind}-${randomUUID().slice(0, 8)}`;
}

/** A client that fails fast, after checking Redis answers (with a hint when it does not). */
export async function benchRedis(url = REDIS_URL): Promise<Redis> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new Error(
      `the benchmarks need Redis at ${url} (${(err as Error).message}); start one (redis-server --daemonize yes) or set REDIS_URL`,
    );
  }
  return redis;
}

/** Deletes every key under `prefix:` (SCAN + DEL, never FLUSHALL); returns how many. */
export async function dropPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
