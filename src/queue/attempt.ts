/**
 * Shared pieces of one processing attempt: the dependencies, the DMP port the
 * steps use, and how a failed attempt ends (retry, or failed when it was the
 * last one; rejected for a permanent failure).
 */
import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import type { Deposit, DepositEnv } from '../deposit/build-deposit.ts';
import type { DmpOutcome } from '../dmp/classify.ts';
import type { Author, Code, Patient } from '../model/types.ts';
import type { SubmissionStore, XdsErrorView } from '../store/records.ts';
import type { FeedingPolicy } from './decision-step.ts';

/** What the processor needs of a DMP client. */
export interface DmpPort {
  provideAndRegister(deposit: Deposit): Promise<DmpOutcome>;
  findByUniqueId(
    patient: Patient,
    uniqueId: string,
  ): Promise<{
    outcome: DmpOutcome;
    documents: readonly { uniqueId: string; entryUUID: string; status: string }[];
  }>;
  deleteDocument(
    patient: Patient,
    request: { entryUUID: string; contentTypeCode: Code; author?: Author },
  ): Promise<DmpOutcome>;
}

export interface ProcessorDeps {
  readonly store: SubmissionStore;
  readonly dmp: DmpPort;
  /** Environment of the translation core (config, signing key, ids, clock) for one attempt. */
  readonly depositEnv: () => DepositEnv;
  readonly log: Logger;
  /**
   * Called once a record reaches a terminal status: a wake-up for the notifier. Best effort: the
   * terminal status itself puts the record in the store's outbox, which the notifier drains anyway.
   */
  readonly onTerminal?: (id: string) => Promise<void>;
  /** The establishment's feeding rules and visibility policy; absent: documents are fed as sent. */
  readonly feeding?: FeedingPolicy;
}

/** Calls the terminal hook without letting its failure change the outcome of the attempt. */
async function wake(deps: ProcessorDeps, id: string): Promise<void> {
  try {
    await deps.onTerminal?.(id);
  } catch (err) {
    deps.log.warn(
      { submission: id, err: (err as Error).message },
      'terminal hook failed; the outbox keeps the notification',
    );
  }
}

export interface Attempt {
  /** 1-based number of this attempt. */
  readonly number: number;
  readonly max: number;
  /** The job running it: only the record's current job may act on it. */
  readonly jobId?: string;
  /** Parks the job until `until` (a rule's hold); never returns. */
  readonly delayUntil?: (until: Date) => Promise<never>;
}

/** Thrown for a transient failure: BullMQ retries the job after the backoff delay. */
export class RetryableDepositError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RetryableDepositError';
  }
}

/** Ends a transient failure: retry, or `failed` when this was the last attempt. */
export async function retryOrFail(
  id: string,
  attempt: Attempt,
  deps: ProcessorDeps,
  reason: string,
  codes: readonly string[],
): Promise<never> {
  if (attempt.number >= attempt.max) {
    await deps.store.transition(
      id,
      'failed',
      { type: 'failed', attempt: attempt.number, outcome: reason, codes },
      { outcome: { reason } },
    );
    await wake(deps, id);
    throw new UnrecoverableError(`gave up after ${attempt.number} attempts: ${reason}`);
  }
  await deps.store.transition(
    id,
    'retrying',
    { type: 'retry', attempt: attempt.number, outcome: reason, codes },
    { outcome: { reason } },
  );
  throw new RetryableDepositError(reason);
}

/** Ends a permanent failure: `rejected` with the errors, no retry. */
export async function reject(
  id: string,
  attempt: Attempt,
  deps: ProcessorDeps,
  reason: string,
  errors: readonly XdsErrorView[],
): Promise<never> {
  const codes = errors.map((e) => e.errorCode);
  await deps.store.transition(
    id,
    'rejected',
    { type: 'rejected', attempt: attempt.number, outcome: reason, codes },
    { outcome: { reason, errors } },
  );
  await wake(deps, id);
  throw new UnrecoverableError(`rejected: ${codes.join(', ') || reason}`);
}

/** Ends a success. */
export async function succeed(
  id: string,
  status: 'deposited' | 'deleted',
  event: { type: 'deposited' | 'deleted' | 'recovered'; attempt: number; outcome: string },
  deps: ProcessorDeps,
): Promise<'deposited' | 'deleted'> {
  await deps.store.transition(id, status, event, { outcome: {} });
  await wake(deps, id);
  return status;
}
