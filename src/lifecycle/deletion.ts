/**
 * Deleting a document through the API (`DELETE /api/documents/{uniqueId}`,
 * TD3.3c): a Deletion submission through the ordinary intake, only for a
 * document this gateway deposited (or is depositing: the deletion then
 * waits behind it). The patient and the update's author and activity come
 * from the stored deposit, so nothing about the patient travels in the
 * request. Idempotent: one deletion per document. A deposit that ended
 * `failed` after a request that may have landed is deleted too: the worker
 * looks the document up by ITI-18 (absent: volet error 900).
 */
import { acceptSubmission, type IntakeDeps } from '../intake/accept.ts';
import type { Deletion } from '../model/types.ts';
import { sha256Hex } from '../store/identity.ts';
import { neverReachedDmp, type Refusal, refuse } from './refusal.ts';

export async function requestDeletion(
  deps: IntakeDeps,
  uniqueId: string,
  now = new Date(),
): Promise<{ readonly kind: 'created' | 'duplicate'; readonly id: string } | Refusal> {
  const owner = await deps.store.byDocumentUniqueId(uniqueId);
  const stored = owner ? await deps.store.get(owner) : undefined;
  if (!owner || !stored || stored.record.kind !== 'deposit')
    return refuse(404, 'no document with this uniqueId was deposited through this gateway');
  // A failed deposit whose last request went unanswered may be in the DMP: the deletion looks it up.
  if (neverReachedDmp(stored))
    return refuse(409, `the document never reached the DMP (${stored.status}): nothing to delete`);
  const original = await deps.store.payload(owner);
  if (!original || 'kind' in original)
    return refuse(
      410,
      'the deposit is no longer kept (retention period over): delete it from the source system',
    );
  const deletion: Deletion = {
    kind: 'deletion',
    patient: original.patient,
    documentUniqueId: uniqueId,
    contentTypeCode: original.contentTypeCode,
    author: original.author,
  };
  const identity = `delete:${uniqueId}`;
  const result = await acceptSubmission(
    deps,
    { source: stored.record.source, submission: deletion, identity, contentHash: sha256Hex(identity) },
    now,
  );
  if (result.kind === 'conflict')
    return refuse(409, `a deletion of this document exists: submission ${result.id}`);
  return { kind: result.kind, id: result.id };
}
