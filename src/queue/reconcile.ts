/**
 * Reconciliation: every record that is not terminal must have a live job.
 * Run at start-up and periodically, it claims a new job (compare-and-set)
 * for records stored but never queued, records whose job vanished, and
 * records whose job ended while they did not. A record whose job ran out of
 * attempts ends `failed`, unless a request may have reached the DMP: then a
 * bounded number of rescue jobs look it up before anything is resent.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import type { SubmissionStore } from '../store/records.ts';
import { type DepositQueue, enqueueDeposit } from './deposit-queue.ts';

const LIVE = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/** Records younger than this are left alone: their intake may still be adding the job. */
export const RECONCILE_GRACE_MS = 10_000;
/** Rescue jobs one record may get from reconciliation. */
export const MAX_RESCUES = 3;

export async function reconcile(
  queue: DepositQueue,
  store: SubmissionStore,
  config: Pick<Config, 'queue'>,
  log: Logger,
  now = new Date(),
): Promise<number> {
  let requeued = 0;
  for (const id of await store.openIds(new Date(now.getTime() - RECONCILE_GRACE_MS))) {
    const stored = await store.get(id);
    if (!stored) continue;
    const job = stored.jobId ? await queue.getJob(stored.jobId) : undefined;
    const state = job ? await job.getState() : 'missing';
    if (LIVE.has(state)) continue;
    const exhausted = state === 'failed' && job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
    const rescues = Number((await store.redis.hget(`${store.prefix}:sub:${id}`, 'rescues')) ?? 0);
    if (exhausted && (!stored.mayHaveLanded || rescues >= MAX_RESCUES)) {
      await store.transition(
        id,
        'failed',
        { type: 'reconciled', outcome: 'attempts exhausted', detail: `job ${job.id}` },
        { outcome: { reason: 'attempts exhausted' } },
      );
      continue;
    }
    const jobId = await enqueueDeposit(queue, store, config, id, {
      expectedJobId: stored.jobId,
      allowed: [stored.status],
      jobId: stored.jobId ? `${id}-k%n` : id,
      event: 'reconciled',
      counter: stored.jobId ? 'rescues' : undefined,
    });
    if (jobId) {
      log.info({ submission: id, previousJob: stored.jobId, state, job: jobId }, 'reconciled: new job');
      requeued++;
    }
  }
  return requeued;
}

/** Runs {@link reconcile} now and every `reconcileEveryMs`; returns a stop function. */
export function scheduleReconcile(
  queue: DepositQueue,
  store: SubmissionStore,
  config: Pick<Config, 'queue'>,
  log: Logger,
): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await reconcile(queue, store, config, log);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'reconciliation failed; will retry');
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(run, config.queue.reconcileEveryMs);
  timer.unref();
  return () => clearInterval(timer);
}
