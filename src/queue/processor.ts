/**
 * The job processor: one attempt at one record. It loads the record (only
 * the record's current job may act; a terminal record is left alone, and a
 * record cancelled meanwhile is not sent), decrypts its payload and runs the
 * deposit or the deletion step.
 */
import { UnrecoverableError } from 'bullmq';
import { TERMINAL } from '../store/records.ts';
import type { Attempt, ProcessorDeps } from './attempt.ts';
import { deletionStep } from './deletion-step.ts';
import { depositStep } from './deposit-step.ts';

export type { Attempt, DmpPort, ProcessorDeps } from './attempt.ts';
export { RetryableDepositError } from './attempt.ts';

export type ProcessResult =
  | 'deposited'
  | 'deleted'
  | 'skipped'
  | 'already-terminal'
  | 'missing'
  | 'superseded'
  | 'cancelled';

export async function processJob(id: string, attempt: Attempt, deps: ProcessorDeps): Promise<ProcessResult> {
  const { store, log } = deps;
  const stored = await store.get(id);
  if (!stored) {
    log.error({ submission: id }, 'job for a submission that does not exist');
    return 'missing';
  }
  if (TERMINAL.has(stored.status)) return 'already-terminal';
  if (attempt.jobId && stored.jobId && attempt.jobId !== stored.jobId) return 'superseded';
  let payload: Awaited<ReturnType<typeof store.payload>>;
  try {
    payload = await store.payload(id);
  } catch (err) {
    log.error({ submission: id, err: (err as Error).name }, 'payload unreadable');
  }
  if (!payload) {
    // Decryption failed (wrong key) or the payload expired: no attempt can succeed.
    const reason = 'payload unreadable or expired';
    await store.transition(
      id,
      'failed',
      { type: 'failed', attempt: attempt.number, outcome: reason },
      { outcome: { reason } },
    );
    throw new UnrecoverableError(reason);
  }
  const mayHaveLanded = stored.mayHaveLanded || stored.status === 'sending';
  await store.countAttempt(id);
  // Refused when the record was cancelled since it was read: then nothing is sent.
  if (!(await store.transition(id, 'sending', { type: 'attempt', attempt: attempt.number })))
    return 'already-terminal';
  if ('kind' in payload) return deletionStep(id, stored, payload, attempt, deps);
  return depositStep(id, stored, payload, attempt, mayHaveLanded, deps);
}
