/**
 * Real Redis for integration tests: a key prefix unique to the run (the
 * shared instance is never flushed), removed afterwards.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function testPrefix(): string {
  return `dmpgw-test-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key under `prefix` (SCAN, never FLUSHALL). */
export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

export async function testRedis(): Promise<Redis> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  try {
    await redis.ping();
  } catch (err) {
    throw new Error(
      `REDIS REQUIRED: integration tests need Redis at ${REDIS_URL} (${(err as Error).message}); .ci/run starts one`,
    );
  }
  return redis;
}
