/**
 * The deposit processor: one attempt at depositing one submission. It loads
 * the record, builds the ITI-41 with the translation core, sends it, and
 * classifies the outcome (transient → retry, permanent → rejected,
 * ambiguous → ask the DMP with ITI-18 before resending). A record that may
 * already have landed (a previous attempt was cut off) is looked up first,
 * so a crash never causes a second deposit.
 */
import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import type { Deposit } from '../deposit/build-deposit.ts';
import { buildDeposit, type DepositEnv } from '../deposit/build-deposit.ts';
import type { DmpOutcome } from '../dmp/classify.ts';
import { GatewayError } from '../errors/catalogue.ts';
import type { Patient, Submission } from '../model/types.ts';
import { STATUS } from '../model/vocabulary.ts';
import { type SubmissionStore, TERMINAL } from '../store/records.ts';

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
}

export interface ProcessorDeps {
  readonly store: SubmissionStore;
  readonly dmp: DmpPort;
  /** Environment of the translation core (config, signing key, ids, clock) for one attempt. */
  readonly depositEnv: () => DepositEnv;
  readonly log: Logger;
}

export interface Attempt {
  /** 1-based number of this attempt. */
  readonly number: number;
  readonly max: number;
  /** The job running it: only the record's current job may act on it. */
  readonly jobId?: string;
}

export type ProcessResult = 'deposited' | 'already-terminal' | 'missing' | 'superseded';

/** Thrown for a transient failure: BullMQ retries the job after the backoff delay. */
export class RetryableDepositError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RetryableDepositError';
  }
}

/** Whether every document of the submission is already in the DMP (ITI-18 by uniqueId). */
async function alreadyDeposited(submission: Submission, dmp: DmpPort): Promise<boolean | undefined> {
  for (const doc of submission.documents) {
    const found = await dmp.findByUniqueId(submission.patient, doc.id.root);
    if (found.outcome.kind !== 'success') return undefined;
    if (!found.documents.some((d) => d.uniqueId === doc.id.root && d.status === STATUS.approved))
      return false;
  }
  return true;
}

export async function processDeposit(
  id: string,
  attempt: Attempt,
  deps: ProcessorDeps,
): Promise<ProcessResult> {
  const { store, dmp, log } = deps;
  const stored = await store.get(id);
  if (!stored) {
    log.error({ submission: id }, 'job for a submission that does not exist');
    return 'missing';
  }
  if (TERMINAL.has(stored.status)) return 'already-terminal';
  if (attempt.jobId && stored.jobId && attempt.jobId !== stored.jobId) return 'superseded';
  const submission = await store.payload(id);
  if (!submission) throw new UnrecoverableError('submission payload missing');
  const mayHaveLanded =
    stored.status === 'sending' || stored.outcome?.reason?.startsWith('ambiguous') === true;
  await store.countAttempt(id);
  await store.transition(id, 'sending', { type: 'attempt', attempt: attempt.number });

  if (mayHaveLanded && (await alreadyDeposited(submission, dmp))) {
    await store.transition(id, 'deposited', {
      type: 'recovered',
      attempt: attempt.number,
      outcome: 'found in the DMP (ITI-18)',
    });
    return 'deposited';
  }

  let outcome: DmpOutcome;
  try {
    outcome = await dmp.provideAndRegister(buildDeposit(submission, deps.depositEnv()));
  } catch (err) {
    if (err instanceof GatewayError && !err.retryable) {
      // The stored submission cannot be turned into a deposit: retrying will not change that.
      const errors = err.issues.map((i) => ({ errorCode: i.code, codeContext: i.message, location: i.path }));
      await store.transition(
        id,
        'rejected',
        { type: 'rejected', attempt: attempt.number, outcome: 'not translatable', codes: [err.code] },
        { outcome: { reason: 'the submission cannot be translated', errors } },
      );
      throw new UnrecoverableError(`not translatable: ${err.code}`);
    }
    return retryOrFail(id, attempt, deps, `internal error: ${(err as Error).name}`, []);
  }
  log.info(
    {
      submission: id,
      attempt: attempt.number,
      outcome: outcome.kind,
      reason: 'reason' in outcome ? outcome.reason : undefined,
    },
    'deposit attempt',
  );
  switch (outcome.kind) {
    case 'success':
      await store.transition(
        id,
        'deposited',
        { type: 'deposited', attempt: attempt.number, outcome: 'success' },
        { outcome: {} },
      );
      return 'deposited';
    case 'permanent': {
      const codes = outcome.errors.map((e) => e.errorCode);
      await store.transition(
        id,
        'rejected',
        { type: 'rejected', attempt: attempt.number, outcome: outcome.reason, codes },
        { outcome: { reason: outcome.reason, errors: outcome.errors } },
      );
      throw new UnrecoverableError(`rejected by the DMP: ${codes.join(', ') || outcome.reason}`);
    }
    case 'ambiguous': {
      const landed = await alreadyDeposited(submission, dmp);
      if (landed) {
        await store.transition(id, 'deposited', {
          type: 'deposited',
          attempt: attempt.number,
          outcome: `${outcome.reason}; found in the DMP (ITI-18)`,
        });
        return 'deposited';
      }
      return retryOrFail(
        id,
        attempt,
        deps,
        `ambiguous: ${outcome.reason}${landed === undefined ? '; ITI-18 lookup failed' : '; not in the DMP'}`,
        [],
      );
    }
    case 'transient':
      return retryOrFail(id, attempt, deps, outcome.reason, outcome.codes);
    default: {
      const never: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(never)}`);
    }
  }
}

async function retryOrFail(
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
