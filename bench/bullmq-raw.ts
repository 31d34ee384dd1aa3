/**
 * Raw BullMQ rate: one Queue and one Worker (concurrency as the gateway's
 * default) in this process, no-op jobs with the options the gateway gives
 * its deposit jobs (own job id, attempts, backoff, kept on completion).
 * Measures jobs per second from the first add to the last completion — the
 * ceiling the gateway's queue can reach on this machine and this Redis.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { benchPrefix, benchRedis, dropPrefix, REDIS_URL } from './redis.ts';
import { round, runPool, secondsSince } from './stats.ts';

export interface RawOptions {
  readonly jobs: number;
  /** Worker concurrency (the gateway's default `queue.concurrency` is 8). */
  readonly concurrency: number;
  /** `single`: `queue.add` with `inFlight` adds pending at once (what the gateway's intake does); `bulk`: `addBulk` by 100. */
  readonly mode: 'single' | 'bulk';
  readonly inFlight: number;
  readonly redisUrl?: string;
  /** Bound on the whole run. */
  readonly timeoutMs?: number;
}

const JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: false,
} as const;

const BULK = 100;

async function addAll(queue: Queue, options: RawOptions, runId: string): Promise<void> {
  const job = (i: number) => ({
    name: 'deposit',
    data: { submissionId: `${runId}-${i}` },
    opts: { ...JOB_OPTIONS, jobId: `${runId}-${i}` },
  });
  if (options.mode === 'bulk') {
    for (let i = 0; i < options.jobs; i += BULK) {
      const n = Math.min(BULK, options.jobs - i);
      await queue.addBulk(Array.from({ length: n }, (_, k) => job(i + k)));
    }
    return;
  }
  await runPool(options.jobs, options.inFlight, async (i) => {
    const j = job(i);
    await queue.add(j.name, j.data, j.opts);
  });
}

/** Runs the no-op benchmark under a prefix of its own, removed afterwards. */
export async function benchBullmqRaw(options: RawOptions): Promise<Record<string, number>> {
  const url = options.redisUrl ?? REDIS_URL;
  const admin = await benchRedis(url);
  const prefix = benchPrefix('raw');
  const queueRedis = new Redis(url, { maxRetriesPerRequest: null });
  const workerRedis = new Redis(url, { maxRetriesPerRequest: null });
  for (const r of [queueRedis, workerRedis]) r.on('error', () => {});
  const queue = new Queue('deposit', { connection: queueRedis, prefix });
  queue.on('error', () => {});
  let settled = 0;
  let failed = 0;
  let waiter: { target: number; resolve: () => void } | undefined;
  /** Resolves once `target` jobs have completed or failed since the start. */
  const until = (target: number) =>
    new Promise<void>((resolve) => {
      if (settled >= target) resolve();
      else waiter = { target, resolve };
    });
  const worker = new Worker('deposit', async () => undefined, {
    connection: workerRedis,
    prefix,
    concurrency: options.concurrency,
    lockDuration: 30_000,
    stalledInterval: 15_000,
    maxStalledCount: 5,
    autorun: false,
  });
  worker.on('error', () => {});
  const onSettled = () => {
    settled++;
    if (waiter && settled >= waiter.target) waiter.resolve();
  };
  worker.on('completed', onSettled);
  worker.on('failed', () => {
    failed++;
    onSettled();
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`raw BullMQ: ${settled} jobs settled when the time limit struck`)),
      options.timeoutMs ?? 120_000,
    );
  });
  timeout.catch(() => {});
  try {
    worker.run().catch(() => {});
    await worker.waitUntilReady();
    // Warm-up (connections, Lua scripts, JIT), not counted.
    const warm = Math.min(1_000, Math.ceil(options.jobs / 10));
    await Promise.race([addAll(queue, { ...options, jobs: warm }, `${prefix}-w`), timeout]);
    await Promise.race([until(warm), timeout]);
    const failedBefore = failed;
    const start = process.hrtime.bigint();
    await Promise.race([addAll(queue, options, prefix), timeout]);
    const addSeconds = secondsSince(start);
    await Promise.race([until(warm + options.jobs), timeout]);
    const seconds = secondsSince(start);
    return {
      jobs: options.jobs,
      failed: failed - failedBefore,
      seconds: round(seconds, 2),
      jobsPerSecond: round(options.jobs / seconds),
      addsPerSecond: round(options.jobs / addSeconds),
    };
  } finally {
    clearTimeout(timer);
    await worker.close(true);
    await queue.close();
    await dropPrefix(admin, prefix);
    for (const r of [queueRedis, workerRedis, admin]) r.disconnect();
  }
}
