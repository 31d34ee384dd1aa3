/**
 * Reconciliation: every record that is not terminal must have a live job.
 * Run at start-up and periodically; re-enqueues records that were stored but
 * never queued (the process died, or Redis failed between the two writes)
 * and records whose job vanished or ended while the record did not.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import type { SubmissionStore } from '../store/records.ts';
import { type DepositQueue, enqueueDeposit } from './deposit-queue.ts';

const LIVE = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/** Records younger than this are left alone: their intake may still be adding the job. */
export const RECONCILE_GRACE_MS = 10_000;

export async function reconcile(
  queue: DepositQueue,
  store: SubmissionStore,
  config: Pick<Config, 'queue'>,
  log: Logger,
  onTerminal?: (id: string) => Promise<void>,
): Promise<number> {
  let requeued = 0;
  for (const id of await store.openIds()) {
    const stored = await store.get(id);
    if (!stored || Date.now() - Date.parse(stored.updatedAt) < RECONCILE_GRACE_MS) continue;
    const job = stored.jobId ? await queue.getJob(stored.jobId) : undefined;
    const state = job ? await job.getState() : 'missing';
    if (LIVE.has(state)) continue;
    if (state === 'failed' && job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      // The job ran out of attempts without the record saying so (its worker died on the last one).
      await store.transition(
        id,
        'failed',
        { type: 'reconciled', outcome: 'attempts exhausted', detail: `job ${job.id}` },
        { outcome: { reason: 'attempts exhausted' } },
      );
      await onTerminal?.(id);
      continue;
    }
    const jobId = !stored.jobId ? id : `${id}-k${Date.now().toString(36)}`;
    await enqueueDeposit(queue, store, config, id, { jobId, event: 'reconciled' });
    log.info({ submission: id, previousJob: stored.jobId, state }, 'reconciled: job re-enqueued');
    requeued++;
  }
  return requeued;
}

/** Runs {@link reconcile} now and every `reconcileEveryMs`; returns a stop function. */
export function scheduleReconcile(
  queue: DepositQueue,
  store: SubmissionStore,
  config: Pick<Config, 'queue'>,
  log: Logger,
  onTerminal?: (id: string) => Promise<void>,
): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await reconcile(queue, store, config, log, onTerminal);
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
