/**
 * Shared pieces of one processing attempt: the dependencies, the DMP port the
 * steps use, and how a failed attempt ends (retry, or failed when it was the
 * last one; rejected for a permanent failure).
 */
import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import type { Deposit, DepositEnv } from '../deposit/build-deposit.ts';
import type { DmpOutcome } from '../dmp/classify.ts';
import type { LifecyclePorts } from '../lifecycle/schedule.ts';
import { wakeSuccessors } from '../lifecycle/wake.ts';
import type { Author, Code, Patient } from '../model/types.ts';
import { LifecycleState } from '../store/lifecycle-state.ts';
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
  /**
   * Document lifecycle (src/lifecycle): announcement releases, events, wake-ups and one successor per
   * document. Absent: nothing is released, and a replacement waiting for its predecessor only re-checks.
   */
  readonly lifecycle?: LifecyclePorts;
}

/** Longest a held job sleeps before the decision is taken again (a rule or an awaited event may change). */
export const MAX_PARK_MS = 24 * 3600_000;

/**
 * Calls the terminal hooks (notifier, then the replacements and deletions waiting behind the record's
 * documents) without letting their failure change the outcome of the attempt.
 */
export async function settle(deps: ProcessorDeps, id: string): Promise<void> {
  try {
    await deps.onTerminal?.(id);
  } catch (err) {
    deps.log.warn(
      { submission: id, err: (err as Error).message },
      'terminal hook failed; the outbox keeps the notification',
    );
  }
  if (!deps.lifecycle) return;
  try {
    await wakeSuccessors({ ...deps.lifecycle, store: deps.store }, id);
  } catch (err) {
    deps.log.warn({ submission: id, err: (err as Error).message }, 'waking successors failed; they re-check');
  }
}

/**
 * Parks the job until `until` (at most {@link MAX_PARK_MS}, then it decides again): the record is `held`
 * with `holdUntil` and `reason` shown. The delayed job survives restarts. Never returns.
 */
export async function park(
  id: string,
  attempt: Attempt,
  deps: ProcessorDeps,
  until: Date,
  reason: string,
): Promise<never> {
  await deps.store.transition(id, 'held', {
    type: 'held',
    attempt: attempt.number,
    detail: `until ${until.toISOString()} (${reason})`,
  });
  await new LifecycleState(deps.store).setHold(id, until, reason);
  if (!attempt.delayUntil)
    return retryOrFail(id, attempt, deps, `${reason}, but this worker cannot park jobs`, []);
  return attempt.delayUntil(new Date(Math.min(until.getTime(), Date.now() + MAX_PARK_MS)));
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

/**
 * Ends a transient failure: retry, or `failed` when this was the last attempt. A replacement the gateway
 * makes itself has no sender to send it again: past its attempts it waits and tries again (the legal
 * release limit, an operator's accepted change), its record `held` with the reason.
 */
export async function retryOrFail(
  id: string,
  attempt: Attempt,
  deps: ProcessorDeps,
  reason: string,
  codes: readonly string[],
): Promise<never> {
  if (attempt.number >= attempt.max && deps.lifecycle && attempt.delayUntil) {
    const stored = await deps.store.get(id);
    if (stored?.record.lifecycle) {
      const until = new Date(Date.now() + deps.lifecycle.config.queue.lifecycleRetryMs);
      return park(id, attempt, deps, until, `${reason}; tried ${attempt.number} times, trying again`);
    }
  }
  if (attempt.number >= attempt.max) {
    await deps.store.transition(
      id,
      'failed',
      { type: 'failed', attempt: attempt.number, outcome: reason, codes },
      { outcome: { reason } },
    );
    await settle(deps, id);
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
  await settle(deps, id);
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
  await settle(deps, id);
  return status;
}
