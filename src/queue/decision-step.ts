/**
 * The establishment's feeding decision for a submission about to be sent
 * (DOMAIN.md §9): the CME rules (src/rules) with the hard blocks, given the
 * patient's known opposition (PAM-FR), the DMP state (TD0.2, cached) and
 * the document; then the visibility policy (./visibility-step.ts) for each
 * document. The decision and its reasons are stored on the record; a `skip`
 * ends the submission, a `hold` parks the job until the hold ends (then
 * decides again: an opposition may have arrived meanwhile). A hold for an
 * event (`untilEvent`) ends when the event was received for the document,
 * else at its deadline; without a deadline it waits for the event only.
 */

import type { FeedingFacts } from '../mappings/submission.ts';
import type { Patient, Submission } from '../model/types.ts';
import { decisionContext } from '../rules/context.ts';
import { decide, IMPLICIT_RULES, type RulesInput } from '../rules/decide.ts';
import type { Decision, DmpStatus } from '../rules/types.ts';
import {
  applyVisibility,
  NO_FACTS,
  type SubmissionVisibility,
  type VisibilityFacts,
  visibilityOptions,
} from './visibility-step.ts';

/** What the worker needs to decide; absent = every document is fed as sent. */
export interface FeedingPolicy {
  /**
   * The rules of the geographic site `finess`, else the establishment's; undefined when neither has a
   * rules file: the implicit ones apply (feed, hard blocks only).
   */
  rules(finess?: string): RulesInput | undefined;
  /** PAM-FR facts: the patient's opposition, when an ADT told the gateway. */
  patientFacts(patient: Patient): Promise<{ readonly opposedToFeeding?: boolean } | undefined>;
  /** TD0.2 state (cached by the implementation); `error` when the DMP could not say. */
  dmpStatus(patient: Patient): Promise<DmpStatus | 'error'>;
}

export type Verdict =
  | ({ readonly kind: 'feed'; readonly decisions: readonly Decision[] } & SubmissionVisibility)
  | { readonly kind: 'skip'; readonly reason: string; readonly decisions: readonly Decision[] }
  | {
      readonly kind: 'hold';
      /** End of the hold; undefined: until the awaited event only. */
      readonly until?: Date;
      /** The event awaited, and the documents it must name. */
      readonly event?: { readonly type: string; readonly uniqueIds: readonly string[] };
      readonly decisions: readonly Decision[];
    }
  | { readonly kind: 'retry'; readonly reason: string };

/** Each document's decision under `rulesOf(i)`, with the patient's and the DMP's state; retry when TD0.2 failed. */
async function decideEach(
  submission: Submission,
  policy: FeedingPolicy,
  now: Date,
  feeding: readonly FeedingFacts[],
  rulesOf: (i: number) => RulesInput,
  withPatientFacts = true,
): Promise<Decided> {
  const dmp = await policy.dmpStatus(submission.patient);
  if (dmp === 'error') return { kind: 'retry', reason: 'TD0.2: the DMP state of the patient is unknown' };
  const patient = withPatientFacts ? await policy.patientFacts(submission.patient) : undefined;
  const decisions = submission.documents.map((doc, i) => {
    const { site: _site, ...mapped } = feeding[i] ?? {};
    return decide(
      decisionContext(submission, doc, {
        now,
        dmp,
        patientFacts:
          patient?.opposedToFeeding === undefined
            ? undefined
            : { opposedToFeeding: patient.opposedToFeeding },
        mapped,
      }),
      rulesOf(i),
    );
  });
  return { kind: 'decided', decisions };
}

type Decided = { readonly kind: 'decided'; readonly decisions: readonly Decision[] } | Retry;
type Retry = Extract<Verdict, { kind: 'retry' }>;
type Ended = Extract<Verdict, { kind: 'skip' | 'retry' }>;

/** The verdict of decisions one of which skips, or the retry of a failed TD0.2; undefined when none skips. */
function ended(decided: Decided): Ended | undefined {
  if (decided.kind === 'retry') return decided;
  const skipped = decided.decisions.find((d) => d.action === 'skip');
  if (!skipped) return undefined;
  const why = skipped.reasons.filter(
    (r) => r.effect === 'block' || r.effect === 'exclude' || r.effect === 'default',
  );
  const reason = why.map((r) => r.text).join('; ') || 'not fed by the rules';
  return { kind: 'skip', reason, decisions: decided.decisions };
}

/**
 * The hard blocks that still apply to a replacement the gateway makes itself (an announcement release,
 * an operator's visibility change) of a document already in the DMP: the CME rules, the identity and the
 * confidentiality were decided when it was first sent, and an opposition to feeding since is about new
 * documents, not about who may see one already there (a release carries out the legal limit; a mask or
 * a minor's secrecy only narrows who sees it). A DMP closed or absent (TD0.2) receives nothing.
 * `undefined`: nothing blocks it.
 */
export async function hardBlocked(
  submission: Submission,
  policy: FeedingPolicy,
  now: Date,
): Promise<Ended | undefined> {
  return ended(await decideEach(submission, policy, now, [], () => IMPLICIT_RULES, false));
}

/**
 * Decides every document of the submission; all must be fed for the deposit to go. `feeding[i]`: the
 * facts the mapping gave document i at intake (its site selects the rules; its unit, unit specialty and
 * local type are matched by them).
 */
export async function judge(
  submission: Submission,
  policy: FeedingPolicy,
  now: Date,
  facts: VisibilityFacts = NO_FACTS,
  feeding: readonly FeedingFacts[] = [],
): Promise<Verdict> {
  const rulesOf = (i: number) => policy.rules(feeding[i]?.site) ?? IMPLICIT_RULES;
  const decided = await decideEach(submission, policy, now, feeding, rulesOf);
  const stop = ended(decided);
  if (stop) return stop;
  const { decisions } = decided as Extract<Decided, { kind: 'decided' }>;
  let until = -Infinity;
  let event: { type: string; uniqueIds: string[] } | undefined;
  for (const [i, d] of decisions.entries()) {
    if (d.action !== 'hold') continue;
    if (d.holdUntil) until = Math.max(until, Date.parse(d.holdUntil));
    const uid = submission.documents[i]!.id.root;
    if (d.holdEvent && !(await facts.hasEvent(d.holdEvent, [uid]))) {
      until = Math.max(until, d.holdEventDeadline ? Date.parse(d.holdEventDeadline) : Infinity);
      if (!event) event = { type: d.holdEvent, uniqueIds: [] };
      if (event.type === d.holdEvent) event.uniqueIds.push(uid);
    }
  }
  if (until > now.getTime())
    return {
      kind: 'hold',
      ...(Number.isFinite(until) && { until: new Date(until) }),
      ...(event && { event }),
      decisions,
    };
  const applied = await applyVisibility(submission, {
    ruleDefaults: decisions.map((d) => d.visibilityDefaults),
    facts,
    options: visibilityOptions(rulesOf(0)),
    now,
  });
  return { kind: 'feed', decisions, ...applied };
}
