/**
 * Order per document [ARCHITECTURE.md "Order per document"; DOMAIN.md §1
 * TD2.1 replacement, TD3.1 lookup]: a replacement or a deletion never
 * overtakes its predecessor. Known locally and not deposited yet → the job
 * parks (registered as a waiter, woken when the predecessor settles, and
 * re-checked every {@link RECHECK_MS}); the predecessor ended without reaching
 * the DMP → volet error 900 (version chain broken). Unknown locally, or
 * failed after a request that may have landed → ITI-18 by uniqueId gives its
 * entryUUID; absent → 900.
 *
 * One successor per deposited document: the first submission about to send
 * a new version (or a deletion) of it takes its successor slot. A sender's
 * unstructured new version that finds the gateway's own replacement there
 * (an announcement release) follows it: it replaces that version instead.
 * A successor still on its way is waited for; a gateway-made replacement
 * that finds another successor in the DMP is cancelled (superseded).
 */

import { neverReachedDmp } from '../lifecycle/refusal.ts';
import { needsSender } from '../lifecycle/replacement.ts';
import type { DocumentEntry, Submission } from '../model/types.ts';
import { STATUS } from '../model/vocabulary.ts';
import { type StoredSubmission, TERMINAL } from '../store/records.ts';
import { sentDocument } from '../store/sent-version.ts';
import { type Attempt, type ProcessorDeps, park, reject, retryOrFail, settle } from './attempt.ts';
import { settleMaybeLanded } from './settle-landed.ts';

/** How often a waiting replacement looks at its predecessor again when no wake-up came. */
export const RECHECK_MS = 30_000;

/** Volet HL7 consumer error 900: version mismatch on replace/delete (DOMAIN.md §7). */
const CHAIN_BROKEN = '900';

export type Ordered<T> = { readonly kind: 'go'; readonly value: T } | { readonly kind: 'cancelled' };

function chainBroken(id: string, attempt: Attempt, deps: ProcessorDeps, text: string, uid: string) {
  return reject(id, attempt, deps, `version chain broken: ${text}`, [
    { errorCode: CHAIN_BROKEN, codeContext: text, location: uid },
  ]);
}

/** Ends a gateway-made replacement that another version or a deletion, already in the DMP, superseded. */
async function cancelSuperseded(id: string, attempt: Attempt, deps: ProcessorDeps, by: string) {
  const reason = `superseded: submission ${by} took over the document first`;
  await deps.store.transition(
    id,
    'cancelled',
    { type: 'cancelled', attempt: attempt.number, outcome: reason },
    { outcome: { reason } },
  );
  await settle(deps, id);
  return { kind: 'cancelled' } as const;
}

/** The predecessor's entryUUID once it is deposited (parks, rejects or retries otherwise). */
async function predecessorEntry(
  id: string,
  patient: Submission['patient'],
  uid: string,
  attempt: Attempt,
  deps: ProcessorDeps,
): Promise<string> {
  const localId = await deps.store.byDocumentUniqueId(uid);
  let local = localId && localId !== id ? await deps.store.get(localId) : undefined;
  if (local && !TERMINAL.has(local.status)) {
    if (deps.lifecycle) {
      await deps.lifecycle.facts.addWaiter('after', uid, id);
      local = await deps.store.get(localId!); // registered first, then looked again: no wake-up is lost
    }
    if (local && !TERMINAL.has(local.status))
      return park(id, attempt, deps, new Date(Date.now() + RECHECK_MS), `waiting for ${uid} to be deposited`);
  }
  if (local?.status === 'deposited') {
    const entry = local.record.documents.find((d) => d.uniqueId === uid)?.entryUUID;
    if (entry) return entry;
  }
  // A deposit that failed after a request that may have landed: only the DMP knows (ITI-18 below).
  if (local && local.status !== 'deposited' && neverReachedDmp(local))
    return chainBroken(id, attempt, deps, `the document was not deposited (${local.status})`, uid);
  const found = await deps.dmp.findByUniqueId(patient, uid);
  if (found.outcome.kind !== 'success')
    return retryOrFail(id, attempt, deps, 'ITI-18 lookup of the replaced document failed', []);
  const entries = found.documents.filter((d) => d.uniqueId === uid);
  const approved = entries.find((d) => d.status === STATUS.approved);
  if (approved) return approved.entryUUID;
  return chainBroken(
    id,
    attempt,
    deps,
    entries.length > 0 ? 'the replaced document is no longer current in the DMP' : 'not in the DMP (ITI-18)',
    uid,
  );
}

/** The versionNumber the DMP holds for `uid`, when this gateway sent it (undefined otherwise). */
async function sentVersionNumber(deps: ProcessorDeps, uid: string): Promise<number | undefined> {
  const owner = await deps.store.byDocumentUniqueId(uid);
  const stored = owner ? await deps.store.get(owner) : undefined;
  return stored && sentDocument(stored, uid)?.versionNumber;
}

/**
 * The versionNumber of a new version of a document the DMP holds as `replaced`: above it. The sender's
 * own number may lag behind when an earlier version of its own went with a higher one than the sender
 * gave (it followed the gateway's version), or when its number was worked out while that one was on its way.
 */
export function nextVersionNumber(own: number, replaced: number | undefined): number {
  return replaced === undefined ? own : Math.max(own, replaced + 1);
}

/**
 * Takes the successor slot of `uid`; answers the uniqueId finally replaced (the gateway's own later
 * version when `follow` allows it), or ends the submission.
 *
 * A rival still on its way (not terminal) is waited for, by everyone, the gateway's own replacements
 * included: it may still end without reaching the DMP, and then the slot is free again. A gateway-made
 * replacement (a release, a visibility change) gives way only to a rival that reached the DMP: that new
 * version carries its own visibility (and its own release while it is hidden). Giving way to a version
 * still in flight would leave the document hidden past its release if that version then failed.
 */
async function takeOver(
  id: string,
  stored: StoredSubmission,
  uid: string,
  patient: Submission['patient'],
  attempt: Attempt,
  deps: ProcessorDeps,
  follow: boolean,
): Promise<Ordered<{ uid: string; entryUUID?: string; versionNumber?: number }>> {
  const facts = deps.lifecycle!.facts;
  let target: { uid: string; entryUUID?: string; versionNumber?: number } = { uid };
  for (let hops = 0; hops < 16; hops++) {
    const claim = await facts.claimSuccessor(target.uid, id);
    if (claim.ok) return { kind: 'go', value: target };
    let rival = await deps.store.get(claim.by);
    if (rival?.status === 'failed' && rival.mayHaveLanded) {
      // The newer version's last request may have reached the DMP: nothing goes over it before it is known.
      const landing = await settleMaybeLanded(deps, claim.by, patient);
      if (landing === 'unknown')
        return park(
          id,
          attempt,
          deps,
          new Date(Date.now() + RECHECK_MS),
          `${target.uid}: its newer version may be in the DMP; ITI-18 could not say yet`,
        );
      continue; // recorded deposited, or free: claim again
    }
    if (rival && !TERMINAL.has(rival.status)) {
      await facts.addWaiter('after', rival.record.documents[0]?.uniqueId ?? target.uid, id);
      rival = await deps.store.get(claim.by); // registered first, then looked again: no wake-up is lost
      if (rival && !TERMINAL.has(rival.status))
        return park(id, attempt, deps, new Date(Date.now() + RECHECK_MS), `${target.uid} is being replaced`);
      continue; // it ended meanwhile: claim again (free now, unless it reached the DMP)
    }
    if (stored.record.lifecycle) return cancelSuperseded(id, attempt, deps, claim.by);
    const next = rival?.record.documents[0];
    if (!(follow && rival?.record.lifecycle && rival.status === 'deposited' && next))
      return chainBroken(id, attempt, deps, `${target.uid} was already replaced or deleted`, target.uid);
    const sent = sentDocument(rival, next.uniqueId) ?? next;
    target = { uid: next.uniqueId, entryUUID: sent.entryUUID, versionNumber: sent.versionNumber };
  }
  return chainBroken(id, attempt, deps, 'too many versions', uid);
}

/** Resolves (and orders) the predecessor of every replacing document of a submission about to be sent. */
export async function orderReplacements(
  id: string,
  stored: StoredSubmission,
  submission: Submission,
  attempt: Attempt,
  deps: ProcessorDeps,
): Promise<Ordered<Submission>> {
  const documents: DocumentEntry[] = [];
  for (const doc of submission.documents) {
    if (!doc.replaces) {
      documents.push(doc);
      continue;
    }
    const entryUUID = await predecessorEntry(id, submission.patient, doc.replaces.uniqueId, attempt, deps);
    let next: DocumentEntry = { ...doc, replaces: { ...doc.replaces, entryUUID } };
    if (deps.lifecycle) {
      const taken = await takeOver(
        id,
        stored,
        doc.replaces.uniqueId,
        submission.patient,
        attempt,
        deps,
        !needsSender(doc),
      );
      if (taken.kind === 'cancelled') return taken;
      const t = taken.value;
      if (t.uid !== doc.replaces.uniqueId)
        next = { ...next, replaces: { uniqueId: t.uid, entryUUID: t.entryUUID, cdaId: { root: t.uid } } };
      // The gateway writes the header of an unstructured document only; a ready-made CDA keeps its bytes,
      // so one numbered at or below the version the DMP holds cannot go (its sender must renumber it).
      const replaced = t.versionNumber ?? (await sentVersionNumber(deps, t.uid));
      if (!needsSender(doc))
        next = { ...next, versionNumber: nextVersionNumber(doc.versionNumber, replaced) };
      else if (replaced !== undefined && doc.versionNumber <= replaced)
        return chainBroken(
          id,
          attempt,
          deps,
          `the CDA's versionNumber ${doc.versionNumber} is not above the version the DMP holds (${replaced})`,
          t.uid,
        );
    }
    documents.push(next);
  }
  return { kind: 'go', value: { ...submission, documents } };
}

/** The document a deletion removes: its target, or the gateway's later version of it; ordered like a replacement. */
export async function orderDeletion(
  id: string,
  stored: StoredSubmission,
  patient: Submission['patient'],
  uid: string,
  attempt: Attempt,
  deps: ProcessorDeps,
): Promise<string> {
  const localId = await deps.store.byDocumentUniqueId(uid);
  if (!localId || !deps.lifecycle) return uid; // not deposited through this gateway: ITI-18 decides
  await predecessorEntry(id, patient, uid, attempt, deps);
  const taken = await takeOver(id, stored, uid, patient, attempt, deps, true);
  return taken.kind === 'go' ? taken.value.uid : uid;
}
