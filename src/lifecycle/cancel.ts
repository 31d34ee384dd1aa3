/**
 * Cancelling a submission not sent yet (issue 6: held and delayed
 * submissions are cancellable): terminal `cancelled`, its job removed, the
 * replacements and deletions waiting behind it woken (they end with volet
 * error 900). Refused once a request may have reached the DMP, and for an
 * announcement release (the one-month limit of INVISIBLE_PATIENT is the
 * law, CSP R1111-53 via DOMAIN.md §4: delete the document instead).
 */
import { LifecycleState } from '../store/lifecycle-state.ts';
import { PENDING, type Refusal, refuse } from './refusal.ts';
import type { LifecycleDeps } from './schedule.ts';
import { wakeSuccessors } from './wake.ts';

export const CANCELLED_BY_OPERATOR = 'cancelled by the operator';

export async function cancelSubmission(
  deps: LifecycleDeps,
  id: string,
  now = new Date(),
): Promise<{ readonly kind: 'cancelled' } | Refusal> {
  const stored = await deps.store.get(id);
  if (!stored) return refuse(404, 'no such submission');
  if (stored.record.lifecycle?.kind === 'release')
    return refuse(
      409,
      'an announcement release cannot be cancelled (legal one-month limit); delete the document instead',
    );
  if (stored.mayHaveLanded)
    return refuse(409, 'a request may have reached the DMP: wait for the outcome, then delete the document');
  const result = await new LifecycleState(deps.store).transitionFrom(
    id,
    PENDING,
    'cancelled',
    { type: 'cancelled', outcome: CANCELLED_BY_OPERATOR },
    { reason: CANCELLED_BY_OPERATOR },
    now,
  );
  if (result !== 'ok') return refuse(409, `a ${result} submission cannot be cancelled`);
  if (stored.jobId) {
    try {
      await (await deps.queue.getJob(stored.jobId))?.remove();
    } catch {
      // taken by a worker meanwhile: it finds the record cancelled and sends nothing
    }
  }
  await wakeSuccessors(deps, id);
  deps.log.info({ submission: id }, 'submission cancelled');
  return { kind: 'cancelled' };
}
