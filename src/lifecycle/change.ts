/**
 * Changing the visibility of a deposited document (DOMAIN.md §4; issue 6
 * "Changing any flag after deposit = replacement with MODIF_CONF_CODE
 * semantics"): a gateway-made replacement with the new flags
 * (./replacement.ts, ./schedule.ts). Also the minor's secrecy asked after
 * deposit (INVISIBLE_REPRESENTANTS_LEGAUX added). Only the current version
 * of a document the gateway can re-wrap (N1) can be changed here; a
 * ready-made CDA needs its sender.
 *
 * One change of a document version at a time: the change takes the
 * document's successor slot when it is accepted, so two changes asked at
 * once (or a change and the sender's new version) cannot both be accepted
 * and one then silently superseded. The loser is answered 409; the one
 * accepted is carried out, and a later version follows it.
 */
import type { Visibility } from '../model/types.ts';
import { sameVisibility } from '../policy/visibility.ts';
import { isMinorAt } from '../rules/age.ts';
import { sha256Hex } from '../store/identity.ts';
import { submissionAsSent } from '../store/sent-version.ts';
import { neverReachedDmp, type Refusal, refuse } from './refusal.ts';
import { NEEDS_SENDER, needsSender } from './replacement.ts';
import { createReplacement, flagsKey, type LifecycleDeps } from './schedule.ts';

export type ChangeResult =
  | { readonly kind: 'created' | 'duplicate'; readonly id: string }
  | { readonly kind: 'unchanged'; readonly flags: Visibility }
  | Refusal;

export interface ChangeRequest {
  /** The document of the submission (required when it has several). */
  readonly documentUniqueId?: string;
  /** The new flags, from the current ones. */
  readonly flags: (current: Visibility) => Visibility;
  /** A secrecy request: only for a patient who was a minor at the document date. */
  readonly minorsOnly?: boolean;
}

export async function changeVisibility(
  deps: LifecycleDeps,
  submissionId: string,
  request: ChangeRequest,
  now = new Date(),
): Promise<ChangeResult> {
  const stored = await deps.store.get(submissionId);
  if (!stored) return refuse(404, 'no such submission');
  if (stored.record.kind !== 'deposit') return refuse(409, 'a deletion has no visibility');
  if (stored.status !== 'deposited')
    return refuse(409, `the submission is ${stored.status}: only a deposited document is replaced`);
  const docs = stored.record.documents;
  const uid = request.documentUniqueId ?? (docs.length === 1 ? docs[0]!.uniqueId : undefined);
  if (!uid) return refuse(422, 'documentUniqueId is required: the submission holds several documents');
  const entry = docs.find((d) => d.uniqueId === uid);
  if (!entry) return refuse(404, 'no such document in this submission');
  const next = await deps.facts.successor(uid);
  const rival = next ? await deps.store.get(next) : undefined;
  if (rival && !neverReachedDmp(rival))
    return refuse(409, `a newer version or a deletion of the document exists: submission ${next}`);
  const payload = await deps.store.payload(submissionId);
  if (!payload || 'kind' in payload)
    return refuse(
      410,
      'the document is no longer kept (retention period over); its sender must send the new version',
    );
  // The version in the DMP, which may be higher than the sender's (it followed the gateway's own version).
  const original = submissionAsSent(payload, stored.sent);
  const doc = original.documents.find((d) => d.id.root === uid);
  if (!doc) return refuse(404, 'no such document in this submission');
  if (needsSender(doc)) return refuse(409, NEEDS_SENDER, 'release-needs-sender');
  if (request.minorsOnly && isMinorAt(original.patient.birthDate, doc.creationTime) === false)
    return refuse(
      422,
      'the patient was not a minor at the document date: secrecy from legal representatives does not apply',
    );
  const current = stored.sent?.find((s) => s.uniqueId === uid)?.flags ?? doc.visibility;
  const flags = request.flags(current);
  if (sameVisibility(current, flags)) return { kind: 'unchanged', flags };
  const result = await createReplacement(
    deps,
    {
      tag: { kind: 'visibility', replaces: uid },
      originalId: submissionId,
      source: stored.record.source,
      original,
      entryUUID: entry.entryUUID,
      visibility: flags,
      // One change per document version; the same flags asked again are the same change, unless the
      // version that held the document meanwhile ended (a new change is then made after it).
      identity: { key: `visibility:${uid}`, contentHash: sha256Hex(`${flagsKey(flags)}|${next ?? ''}`) },
      takeOverNow: true,
    },
    now,
  );
  if (!result) return refuse(404, 'no such document in this submission');
  if (result.kind === 'conflict')
    return refuse(409, `another change of this document is under way: submission ${result.id}`);
  if (result.kind === 'taken')
    return refuse(409, `a newer version or a deletion of the document exists: submission ${result.by}`);
  if (result.kind === 'duplicate') {
    // The same change asked twice at once, when the first lost the document to another version.
    const earlier = await deps.store.get(result.id);
    if (earlier?.status === 'cancelled')
      return refuse(409, `the change was not made: ${earlier.outcome?.reason}`);
  }
  return { kind: result.kind, id: result.id };
}
