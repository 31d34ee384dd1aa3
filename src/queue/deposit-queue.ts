/**
 * The deposit queue (BullMQ). A job carries a submission id and nothing
 * else; the first job of a submission has the submission id as job id, so
 * enqueueing twice is a no-op. Jobs that exhaust their attempts stay in the
 * failed set for replay.
 */
import { Queue, type QueueOptions } from 'bullmq';
import type { Config } from '../config/schema.ts';
import type { SubmissionStore } from '../store/records.ts';

export const DEPOSIT_QUEUE = 'deposit';
export const JITTERED_BACKOFF = 'jittered-exponential';

export interface DepositJobData {
  readonly submissionId: string;
}

export type DepositQueue = Queue<DepositJobData>;

export function createDepositQueue(
  connection: QueueOptions['connection'],
  config: Pick<Config, 'redis'>,
): DepositQueue {
  return new Queue<DepositJobData>(DEPOSIT_QUEUE, { connection, prefix: `${config.redis.prefix}:bull` });
}

/**
 * Exponential backoff with a cap and jitter: attempt n waits
 * min(max, base·2^(n-1)) scaled by a random factor in [1-jitter, 1].
 */
export function backoffDelay(
  attemptsMade: number,
  queue: Config['queue'],
  random: () => number = Math.random,
): number {
  const exp = Math.min(queue.maxBackoffMs, queue.backoffMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(exp * (1 - queue.jitter * random()));
}

/** Adds the job of a submission and marks it queued. `jobId` defaults to the submission id. */
export async function enqueueDeposit(
  queue: DepositQueue,
  store: SubmissionStore,
  config: Pick<Config, 'queue'>,
  submissionId: string,
  options: { jobId?: string; event?: 'queued' | 'replayed' | 'reconciled'; force?: boolean } = {},
): Promise<string> {
  const jobId = options.jobId ?? submissionId;
  await store.setJob(submissionId, jobId);
  // Marked queued before the job exists: a fast worker may move it on at once. A failed add leaves a
  // queued record without a job, which reconciliation re-enqueues.
  await store.transition(
    submissionId,
    'queued',
    { type: options.event ?? 'queued', detail: `job ${jobId}` },
    { force: options.force },
  );
  await queue.add(
    'deposit',
    { submissionId },
    {
      jobId,
      attempts: config.queue.attempts,
      backoff: { type: JITTERED_BACKOFF },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: false,
    },
  );
  return jobId;
}
