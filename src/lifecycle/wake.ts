/**
 * Waking held submissions early: an event they wait for arrived, or the
 * predecessor they wait behind settled. The waiting job sits in BullMQ's
 * delayed set; promoting it makes it run now, and the processor decides
 * again from the stored facts. A worker may be between its last look at the
 * facts and parking the job (it registers as a waiter first, then looks):
 * a job still `active` is retried for a short while, so no wake-up is lost.
 */
import type { DepositQueue } from '../queue/deposit-queue.ts';
import { type SubmissionStore, TERMINAL } from '../store/records.ts';
import type { LifecycleFacts, WaitKind } from './facts.ts';

const ACTIVE_RETRIES = 40;
const ACTIVE_PAUSE_MS = 50;

/** Promotes the delayed job of each submission; answers the ids whose job was promoted. */
export async function promote(
  queue: DepositQueue,
  store: SubmissionStore,
  ids: readonly string[],
): Promise<string[]> {
  const promoted: string[] = [];
  for (const id of ids) {
    for (let i = 0; i < ACTIVE_RETRIES; i++) {
      const stored = await store.get(id);
      if (!stored?.jobId || TERMINAL.has(stored.status)) break;
      const job = await queue.getJob(stored.jobId);
      const state = job ? await job.getState() : 'missing';
      if (state === 'delayed') {
        try {
          await job!.promote();
          promoted.push(id);
          break;
        } catch {
          // moved meanwhile (ran, or promoted by another caller): look again
        }
      } else if (state !== 'active') break; // waiting or gone: it runs (or is reconciled) anyway
      await new Promise((r) => setTimeout(r, ACTIVE_PAUSE_MS));
    }
  }
  return promoted;
}

/** Wakes every submission waiting on `uniqueId` for `kind`, forgetting those that ended. */
export async function wakeWaiters(
  deps: { readonly queue: DepositQueue; readonly store: SubmissionStore; readonly facts: LifecycleFacts },
  kind: WaitKind,
  uniqueId: string,
): Promise<string[]> {
  const ids = await deps.facts.waiters(kind, uniqueId);
  const promoted = await promote(deps.queue, deps.store, ids);
  for (const id of ids) {
    const stored = await deps.store.get(id);
    if (!stored || TERMINAL.has(stored.status)) await deps.facts.removeWaiter(kind, uniqueId, id);
  }
  return promoted;
}

/**
 * A record settled (terminal): wake the replacements and deletions waiting behind its documents (and
 * those waiting for the same predecessor, or the same deletion target, which may now take it over).
 */
export async function wakeSuccessors(
  deps: { readonly queue: DepositQueue; readonly store: SubmissionStore; readonly facts: LifecycleFacts },
  id: string,
): Promise<void> {
  const stored = await deps.store.get(id);
  if (!stored) return;
  const uids = new Set<string>();
  for (const d of stored.record.documents) {
    uids.add(d.uniqueId);
    if (d.replaces) uids.add(d.replaces);
  }
  if (stored.record.target) uids.add(stored.record.target);
  for (const uid of uids) await wakeWaiters(deps, 'after', uid);
}
