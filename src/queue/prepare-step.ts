/**
 * What to send, decided just before sending: for a submission from a
 * sender, the feeding decision and visibility (./decision-step.ts); for a
 * gateway-made replacement (src/lifecycle), its own hold (an announcement
 * release waits for the event or its release time) and the visibility of
 * its flags; then, for both, the order behind the predecessors
 * (./ordering-step.ts). A skip, hold, cancellation or rejection ends here.
 */

import { hasEventOnChain, waitOnChain } from '../lifecycle/chain.ts';
import { keptFor } from '../lifecycle/kept.ts';
import { NEEDS_SENDER, needsSender } from '../lifecycle/replacement.ts';
import { ANNOUNCEMENT } from '../lifecycle/schedule.ts';
import type { Submission } from '../model/types.ts';
import type { Decision } from '../rules/types.ts';
import type { SentVisibility, StoredSubmission } from '../store/records.ts';
import {
  type Attempt,
  MAX_PARK_MS,
  type ProcessorDeps,
  park,
  reject,
  retryOrFail,
  settle,
} from './attempt.ts';
import { hardBlocked, judge } from './decision-step.ts';
import { orderReplacements } from './ordering-step.ts';
import { applyVisibility, type VisibilityFacts, visibilityOptions } from './visibility-step.ts';

export type Prepared =
  | {
      readonly kind: 'send';
      readonly submission: Submission;
      readonly secretConnection: boolean;
      /** The visibility sent, when the policy computed it. */
      readonly sent?: readonly SentVisibility[];
    }
  | { readonly kind: 'done'; readonly result: 'skipped' | 'cancelled' };

/**
 * Facts for the decision and the visibility; an event counts for any earlier version too
 * (src/lifecycle/chain.ts). A sender's new version keeps what its earlier versions say (a minor's
 * secrecy, an operator's mask: src/lifecycle/kept.ts); the gateway's own carries its flags already.
 */
function visibilityFacts(stored: StoredSubmission, deps: ProcessorDeps): VisibilityFacts {
  const facts = deps.lifecycle?.facts;
  return {
    secrecyRequested: stored.secrecyRequested === true,
    hasEvent: async (type, uids) =>
      facts ? hasEventOnChain({ store: deps.store, facts }, type, uids) : false,
    ...(facts &&
      !stored.record.lifecycle && {
        kept: (doc) => keptFor({ store: deps.store, facts }, stored.record.id, doc),
      }),
  };
}

/** Ends the submission `skipped` by its decision (rules or hard blocks), recorded with its reasons. */
async function skip(
  id: string,
  attempt: Attempt,
  deps: ProcessorDeps,
  verdict: { readonly reason: string; readonly decisions: readonly Decision[] },
): Promise<Prepared> {
  await deps.store.setDecision(id, verdict.decisions);
  await deps.store.transition(
    id,
    'skipped',
    { type: 'skipped', attempt: attempt.number, outcome: verdict.reason },
    { outcome: { reason: verdict.reason } },
  );
  await settle(deps, id);
  return { kind: 'done', result: 'skipped' };
}

async function prepareLifecycle(
  id: string,
  stored: StoredSubmission,
  submission: Submission,
  attempt: Attempt,
  deps: ProcessorDeps,
  now: Date,
): Promise<Prepared> {
  const tag = stored.record.lifecycle!;
  const facts = deps.lifecycle?.facts;
  if (tag.kind === 'release' && tag.holdUntil && Date.parse(tag.holdUntil) > now.getTime() && facts) {
    // The announcement may name this version or any earlier one (the hospital knows its own document).
    const chain = { store: deps.store, facts };
    const announced = () => hasEventOnChain(chain, ANNOUNCEMENT, [tag.replaces]);
    if (!(await announced())) {
      await waitOnChain(chain, `event:${ANNOUNCEMENT}`, tag.replaces, id);
      if (!(await announced()))
        return park(id, attempt, deps, new Date(tag.holdUntil), 'INVISIBLE_PATIENT until the announcement');
    }
  }
  if (submission.documents.some(needsSender))
    return reject(id, attempt, deps, NEEDS_SENDER, [
      { errorCode: 'release-needs-sender', codeContext: NEEDS_SENDER, location: tag.replaces },
    ]);
  const blocked = deps.feeding && (await hardBlocked(submission, deps.feeding, now));
  if (blocked?.kind === 'retry') return retryOrFail(id, attempt, deps, blocked.reason, []);
  if (blocked) return skip(id, attempt, deps, blocked);
  const ordered = await orderReplacements(id, stored, submission, attempt, deps);
  if (ordered.kind === 'cancelled') return { kind: 'done', result: 'cancelled' };
  const applied = await applyVisibility(ordered.value, {
    facts: visibilityFacts(stored, deps),
    // The rules of the site that deposited the document (its VIHF structure `1<FINESS>`), else the establishment's.
    options: visibilityOptions(deps.feeding?.rules(stored.record.site?.structureId.slice(1))),
    now,
    released: tag.kind === 'release',
  });
  return {
    kind: 'send',
    submission: applied.submission,
    secretConnection: applied.secretConnection,
    sent: applied.sent,
  };
}

export async function prepare(
  id: string,
  stored: StoredSubmission,
  submission: Submission,
  attempt: Attempt,
  deps: ProcessorDeps,
): Promise<Prepared> {
  const now = new Date();
  if (stored.record.lifecycle) return prepareLifecycle(id, stored, submission, attempt, deps, now);
  let toSend = submission;
  let secretConnection = false;
  let sent: readonly SentVisibility[] | undefined;
  if (deps.feeding) {
    const facts = visibilityFacts(stored, deps);
    const feeding = stored.record.mapping?.documents;
    let verdict = await judge(submission, deps.feeding, now, facts, feeding);
    if (verdict.kind === 'hold' && verdict.event && deps.lifecycle) {
      const chain = { store: deps.store, facts: deps.lifecycle.facts };
      for (const uid of verdict.event.uniqueIds)
        await waitOnChain(chain, `event:${verdict.event.type}`, uid, id);
      verdict = await judge(submission, deps.feeding, now, facts, feeding); // registered first, then looked again
    }
    if (verdict.kind === 'retry') return retryOrFail(id, attempt, deps, verdict.reason, []);
    if (verdict.kind === 'skip') return skip(id, attempt, deps, verdict);
    await deps.store.setDecision(id, verdict.decisions);
    if (verdict.kind === 'hold') {
      const reason = verdict.event
        ? `waiting for event ${verdict.event.type}${verdict.until ? '' : ' (no deadline)'}`
        : 'held by a rule';
      return park(id, attempt, deps, verdict.until ?? new Date(now.getTime() + MAX_PARK_MS), reason);
    }
    toSend = verdict.submission;
    secretConnection = verdict.secretConnection;
    sent = verdict.sent;
  }
  const ordered = await orderReplacements(id, stored, toSend, attempt, deps);
  if (ordered.kind === 'cancelled') return { kind: 'done', result: 'cancelled' };
  return { kind: 'send', submission: ordered.value, secretConnection, ...(sent && { sent }) };
}
