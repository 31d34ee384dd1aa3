/**
 * One attempt at depositing a submission (TD2.1, ITI-41): build the deposit
 * with the translation core, send it, and act on the outcome class. A record
 * that may already have landed (a previous attempt was cut off, or ended
 * ambiguous) is looked up with ITI-18 first, so a crash never deposits twice.
 */

import { buildDeposit } from '../deposit/build-deposit.ts';
import type { DmpOutcome } from '../dmp/classify.ts';
import { GatewayError } from '../errors/catalogue.ts';
import type { Submission } from '../model/types.ts';
import { STATUS } from '../model/vocabulary.ts';
import { type Attempt, type DmpPort, type ProcessorDeps, reject, retryOrFail, succeed } from './attempt.ts';
import { judge } from './decision-step.ts';

/** Whether every document of the submission is already in the DMP (ITI-18 by uniqueId); undefined when unknown. */
async function alreadyDeposited(submission: Submission, dmp: DmpPort): Promise<boolean | undefined> {
  for (const doc of submission.documents) {
    const found = await dmp.findByUniqueId(submission.patient, doc.id.root);
    if (found.outcome.kind !== 'success') return undefined;
    if (!found.documents.some((d) => d.uniqueId === doc.id.root && d.status === STATUS.approved))
      return false;
  }
  return true;
}

export async function depositStep(
  id: string,
  submission: Submission,
  attempt: Attempt,
  mayHaveLanded: boolean,
  deps: ProcessorDeps,
): Promise<'deposited' | 'skipped'> {
  const { dmp, store } = deps;
  if (mayHaveLanded) {
    const landed = await alreadyDeposited(submission, dmp);
    if (landed === undefined) {
      return retryOrFail(
        id,
        attempt,
        deps,
        'an earlier request may have reached the DMP; ITI-18 lookup failed',
        [],
      );
    }
    if (landed) {
      await succeed(
        id,
        'deposited',
        { type: 'recovered', attempt: attempt.number, outcome: 'found in the DMP (ITI-18)' },
        deps,
      );
      return 'deposited';
    }
    await store.clearLanding(id);
  }
  let toSend = submission;
  if (deps.feeding) {
    const verdict = await judge(submission, deps.feeding, new Date());
    if (verdict.kind === 'retry') return retryOrFail(id, attempt, deps, verdict.reason, []);
    await store.setDecision(id, verdict.decisions);
    if (verdict.kind === 'skip') {
      await store.transition(
        id,
        'skipped',
        { type: 'skipped', attempt: attempt.number, outcome: verdict.reason },
        { outcome: { reason: verdict.reason } },
      );
      await deps.onTerminal?.(id).catch(() => undefined);
      return 'skipped';
    }
    if (verdict.kind === 'hold') {
      await store.transition(id, 'held', {
        type: 'held',
        attempt: attempt.number,
        detail: `until ${verdict.until.toISOString()}`,
      });
      if (!attempt.delayUntil)
        return retryOrFail(id, attempt, deps, 'held by a rule, but this worker cannot park jobs', []);
      return attempt.delayUntil(verdict.until);
    }
    toSend = verdict.submission;
  }
  let outcome: DmpOutcome;
  try {
    const deposit = buildDeposit(toSend, deps.depositEnv());
    await store.markLanding(id);
    outcome = await dmp.provideAndRegister(deposit);
  } catch (err) {
    if (err instanceof GatewayError && !err.retryable) {
      // The stored submission cannot be turned into a deposit: retrying will not change that.
      const errors = err.issues.map((i) => ({ errorCode: i.code, codeContext: i.message, location: i.path }));
      return reject(id, attempt, deps, 'the submission cannot be translated', errors);
    }
    return retryOrFail(id, attempt, deps, `internal error: ${(err as Error).name}`, []);
  }
  deps.log.info(
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
      await succeed(
        id,
        'deposited',
        { type: 'deposited', attempt: attempt.number, outcome: 'success' },
        deps,
      );
      return 'deposited';
    case 'permanent':
      await store.clearLanding(id);
      return reject(id, attempt, deps, outcome.reason, outcome.errors);
    case 'ambiguous': {
      const landed = await alreadyDeposited(submission, dmp);
      if (landed) {
        await succeed(
          id,
          'deposited',
          {
            type: 'deposited',
            attempt: attempt.number,
            outcome: `${outcome.reason}; found in the DMP (ITI-18)`,
          },
          deps,
        );
        return 'deposited';
      }
      if (landed === false) await store.clearLanding(id);
      const why = landed === undefined ? 'ITI-18 lookup failed' : 'not in the DMP';
      return retryOrFail(id, attempt, deps, `ambiguous: ${outcome.reason}; ${why}`, []);
    }
    case 'transient':
      await store.clearLanding(id);
      return retryOrFail(id, attempt, deps, outcome.reason, outcome.codes);
    default: {
      const never: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(never)}`);
    }
  }
}
