/**
 * Deposit workers: a BullMQ Worker running {@link processDeposit}, with the
 * jittered exponential backoff, crash recovery through lock expiry (a job
 * whose worker died is taken over once its lock lapses), and an init/close
 * pair owned by main.ts.
 */
import { type ConnectionOptions, DelayedError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { backoffDelay, DEPOSIT_QUEUE, type DepositJobData, JITTERED_BACKOFF } from './deposit-queue.ts';
import { type ProcessorDeps, processJob } from './processor.ts';

export interface DepositWorker {
  readonly worker: Worker<DepositJobData>;
  /** Stops taking jobs and waits up to the grace period for those in flight. */
  close(): Promise<void>;
}

export function startDepositWorker(
  connection: ConnectionOptions,
  config: Pick<Config, 'queue' | 'redis'>,
  deps: ProcessorDeps,
  log: Logger,
): DepositWorker {
  const worker = new Worker<DepositJobData>(
    DEPOSIT_QUEUE,
    async (job, token) =>
      processJob(
        job.data.submissionId,
        {
          number: job.attemptsMade + 1,
          max: job.opts.attempts ?? 1,
          jobId: job.id,
          // A rule's hold: the job waits in the delayed set (survives restarts) and runs again at `until`.
          delayUntil: async (until) => {
            await job.moveToDelayed(until.getTime(), token);
            throw new DelayedError();
          },
        },
        deps,
      ),
    {
      connection,
      prefix: `${config.redis.prefix}:bull`,
      concurrency: config.queue.concurrency,
      lockDuration: config.queue.lockDurationMs,
      stalledInterval: Math.max(1000, Math.floor(config.queue.lockDurationMs / 2)),
      maxStalledCount: 5,
      settings: {
        backoffStrategy: (attemptsMade, type) =>
          type === JITTERED_BACKOFF
            ? backoffDelay(attemptsMade, config.queue)
            : backoffDelay(attemptsMade, config.queue, () => 0),
      },
    },
  );
  worker.on('error', (err) => log.error({ err: err.message }, 'deposit worker error'));
  worker.on('failed', (job, err) =>
    log.warn({ job: job?.id, attempt: job?.attemptsMade, reason: err.message }, 'deposit attempt failed'),
  );
  return {
    worker,
    async close() {
      // BullMQ's close waits for every job in flight, however long its DMP call takes: wait only the grace
      // period. Jobs still running then keep their lock until it lapses; another worker takes them over.
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), config.queue.shutdownGraceMs);
      });
      const result = await Promise.race([worker.close().then(() => 'closed' as const), grace]);
      clearTimeout(timer);
      if (result === 'timeout')
        log.warn(
          { graceMs: config.queue.shutdownGraceMs },
          'deposits still in flight at shutdown; left to lock expiry',
        );
    },
  };
}
