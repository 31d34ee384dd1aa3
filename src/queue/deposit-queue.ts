/**
 * The deposit queue (BullMQ). A job carries a submission id and nothing
 * else; the first job of a submission has the submission id as job id, so
 * enqueueing twice is a no-op. Jobs that exhaust their attempts stay in the
 * failed set for replay.
 */
import { Queue, type QueueOptions } from 'bullmq';
import type { Config } from '../config/schema.ts';
import type { SubmissionStatus, SubmissionStore } from '../store/records.ts';

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

/**
 * Gives a submission a new job: claims it on the record (compare-and-set, so
 * concurrent reconcilers or replays cannot both win), then adds it to the
 * queue. Returns the job id, or undefined when the claim lost. A failed add
 * leaves a queued record whose job does not exist, which reconciliation
 * claims again.
 */
export async function enqueueDeposit(
  queue: DepositQueue,
  store: SubmissionStore,
  config: Pick<Config, 'queue'>,
  submissionId: string,
  claim: {
    expectedJobId?: string;
    allowed: readonly SubmissionStatus[];
    jobId?: string;
    event?: 'queued' | 'replayed' | 'reconciled';
    counter?: 'replays' | 'rescues';
  } = { allowed: ['received'] },
): Promise<string | undefined> {
  const claimed = await store.claimJob(submissionId, {
    expectedJobId: claim.expectedJobId,
    allowed: claim.allowed,
    jobId: claim.jobId ?? submissionId,
    event: { type: claim.event ?? 'queued', detail: 'job %JOB%' },
    counter: claim.counter,
  });
  if (!claimed.ok) return undefined;
  await queue.add(
    'deposit',
    { submissionId },
    {
      jobId: claimed.jobId,
      attempts: config.queue.attempts,
      backoff: { type: JITTERED_BACKOFF },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: false,
    },
  );
  return claimed.jobId;
}
