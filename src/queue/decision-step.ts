/**
 * The establishment's feeding decision for a submission about to be sent
 * (DOMAIN.md §9): the CME rules (src/rules) with the hard blocks, given the
 * patient's known opposition (PAM-FR), the DMP state (TD0.2, cached) and
 * the document; then the visibility policy (src/policy) for each document.
 * The decision and its reasons are stored on the record; a `skip` ends the
 * submission, a `hold` parks the job until the hold ends (then decides
 * again: an opposition may have arrived meanwhile).
 */

import type { Patient, Submission } from '../model/types.ts';
import { visibility } from '../policy/visibility.ts';
import { isMinorAt } from '../rules/age.ts';
import { decisionContext } from '../rules/context.ts';
import { decide, IMPLICIT_RULES, type RulesInput } from '../rules/decide.ts';
import type { Decision, DmpStatus } from '../rules/types.ts';

/** What the worker needs to decide; absent = every document is fed as sent. */
export interface FeedingPolicy {
  /** The rules of the establishment's site (else the implicit ones: feed, hard blocks only). */
  rules(): RulesInput | undefined;
  /** PAM-FR facts: the patient's opposition, when an ADT told the gateway. */
  patientFacts(patient: Patient): Promise<{ readonly opposedToFeeding?: boolean } | undefined>;
  /** TD0.2 state (cached by the implementation); `error` when the DMP could not say. */
  dmpStatus(patient: Patient): Promise<DmpStatus | 'error'>;
}

export type Verdict =
  | { readonly kind: 'feed'; readonly submission: Submission; readonly decisions: readonly Decision[] }
  | { readonly kind: 'skip'; readonly reason: string; readonly decisions: readonly Decision[] }
  | { readonly kind: 'hold'; readonly until: Date; readonly decisions: readonly Decision[] }
  | { readonly kind: 'retry'; readonly reason: string };

function latest(dates: readonly (string | undefined)[]): Date | undefined {
  const times = dates.filter((d): d is string => d !== undefined).map((d) => Date.parse(d));
  return times.length > 0 ? new Date(Math.max(...times)) : undefined;
}

/** Decides every document of the submission; all must be fed for the deposit to go. */
export async function judge(submission: Submission, policy: FeedingPolicy, now: Date): Promise<Verdict> {
  const rules = policy.rules() ?? IMPLICIT_RULES;
  const dmp = await policy.dmpStatus(submission.patient);
  if (dmp === 'error') return { kind: 'retry', reason: 'TD0.2: the DMP state of the patient is unknown' };
  const facts = await policy.patientFacts(submission.patient);
  const decisions = submission.documents.map((doc) =>
    decide(
      decisionContext(submission, doc, {
        now,
        dmp,
        patientFacts:
          facts?.opposedToFeeding === undefined ? undefined : { opposedToFeeding: facts.opposedToFeeding },
      }),
      rules,
    ),
  );
  const skipped = decisions.find((d) => d.action === 'skip');
  if (skipped) {
    const why = skipped.reasons.filter(
      (r) => r.effect === 'block' || r.effect === 'exclude' || r.effect === 'default',
    );
    return { kind: 'skip', reason: why.map((r) => r.text).join('; ') || 'not fed by the rules', decisions };
  }
  const until = latest(
    decisions.flatMap((d) => (d.action === 'hold' ? [d.holdUntil, d.holdEventDeadline] : [])),
  );
  if (until && until > now) return { kind: 'hold', until, decisions };
  const options = {
    releaseAfterDays: 'data' in rules ? rules.data.announcement?.releaseAfterDays : undefined,
    secretConnectionForMinorSecrecy:
      ('data' in rules ? rules.data.minors?.secretConnection : undefined) ?? true,
  };
  const documents = submission.documents.map((doc, i) => {
    const result = visibility({
      confidentiality: doc.confidentiality,
      sender: doc.visibility,
      senderSecretConnection: false,
      secrecyRequested: false,
      rules: decisions[i]!.visibilityDefaults,
      minor: isMinorAt(submission.patient.birthDate, doc.creationTime) ?? true,
      announcementReleased: false,
      creationTime: doc.creationTime,
      now: now.toISOString(),
      options,
    });
    return { ...doc, visibility: result.flags };
  });
  return { kind: 'feed', submission: { ...submission, documents }, decisions };
}
