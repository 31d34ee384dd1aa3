/**
 * One attempt at depositing a submission (TD2.1, ITI-41): decide what to send
 * (./prepare-step.ts), build the deposit with the translation core (the VIHF
 * "connexion secrète" when the visibility asks for it), send it, and act on
 * the outcome class. A record that may already have landed (a previous
 * attempt was cut off, or ended ambiguous) is looked up with ITI-18 first, so
 * a crash never deposits twice. A deposit sent with INVISIBLE_PATIENT gets
 * its release scheduled before it is marked deposited.
 */

import { buildDeposit } from '../deposit/build-deposit.ts';
import type { DmpOutcome } from '../dmp/classify.ts';
import { GatewayError } from '../errors/catalogue.ts';
import { scheduleReleases } from '../lifecycle/schedule.ts';
import type { Submission } from '../model/types.ts';
import { STATUS } from '../model/vocabulary.ts';
import { LifecycleState } from '../store/lifecycle-state.ts';
import type { SentVisibility, StoredSubmission } from '../store/records.ts';
import { sentFacts, submissionAsSent } from '../store/sent-version.ts';
import { type Attempt, type DmpPort, type ProcessorDeps, reject, retryOrFail, succeed } from './attempt.ts';
import { prepare } from './prepare-step.ts';

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

/** Schedules the announcement releases of what was deposited (src/lifecycle), before it is marked deposited. */
async function scheduleAfterDeposit(
  id: string,
  stored: StoredSubmission,
  submission: Submission,
  sent: readonly SentVisibility[] | undefined,
  deps: ProcessorDeps,
): Promise<void> {
  if (!deps.lifecycle || !sent) return;
  await scheduleReleases(
    { ...deps.lifecycle, store: deps.store, log: deps.log },
    { id, source: stored.record.source, submission },
    sent,
  );
}

/** Marks the record deposited once its releases are scheduled (a failure there retries: ITI-18 first). */
async function deposited(
  id: string,
  stored: StoredSubmission,
  submission: Submission,
  sent: readonly SentVisibility[] | undefined,
  attempt: Attempt,
  deps: ProcessorDeps,
  event: { type: 'deposited' | 'recovered'; outcome: string },
): Promise<'deposited'> {
  try {
    await scheduleAfterDeposit(id, stored, submission, sent, deps);
  } catch (err) {
    return retryOrFail(
      id,
      attempt,
      deps,
      `deposited; scheduling its release failed: ${(err as Error).name}`,
      [],
    );
  }
  await succeed(id, 'deposited', { ...event, attempt: attempt.number }, deps);
  return 'deposited';
}

export async function depositStep(
  id: string,
  stored: StoredSubmission,
  submission: Submission,
  attempt: Attempt,
  mayHaveLanded: boolean,
  deps: ProcessorDeps,
): Promise<'deposited' | 'skipped' | 'cancelled'> {
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
    // What landed is the version recorded as sent (it may have followed the gateway's own version).
    if (landed)
      return deposited(id, stored, submissionAsSent(submission, stored.sent), stored.sent, attempt, deps, {
        type: 'recovered',
        outcome: 'found in the DMP (ITI-18)',
      });
    await store.clearLanding(id);
  }
  const prepared = await prepare(id, stored, submission, attempt, deps);
  if (prepared.kind === 'done') return prepared.result;
  const toSend = prepared.submission;
  // Recorded before the request goes: a later version, or the recovery of a deposit cut off, builds on it.
  const sent = sentFacts(toSend, prepared.sent, prepared.secretConnection);
  await new LifecycleState(store).setSent(id, sent);
  let outcome: DmpOutcome;
  try {
    const deposit = buildDeposit(toSend, deps.depositEnv(), { secretConnection: prepared.secretConnection });
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
      return deposited(id, stored, toSend, sent, attempt, deps, {
        type: 'deposited',
        outcome: 'success',
      });
    case 'permanent':
      await store.clearLanding(id);
      return reject(id, attempt, deps, outcome.reason, outcome.errors);
    case 'ambiguous': {
      const landed = await alreadyDeposited(submission, dmp);
      if (landed)
        return deposited(id, stored, toSend, sent, attempt, deps, {
          type: 'deposited',
          outcome: `${outcome.reason}; found in the DMP (ITI-18)`,
        });
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
