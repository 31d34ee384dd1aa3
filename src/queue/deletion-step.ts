/**
 * One attempt at deleting a deposited document (TD3.3c: ITI-57 to the DMP's
 * Deleted status). It waits behind the document's deposit when that is still
 * on its way, and deletes the gateway's own later version of it (an
 * announcement release) when there is one (./ordering-step.ts). The registry
 * entry is the one this gateway deposited when it knows it, else the one
 * ITI-18 finds by uniqueId; a document the DMP does not hold is a permanent
 * failure (volet error 900).
 */
import type { Deletion, Submission } from '../model/types.ts';
import { STATUS } from '../model/vocabulary.ts';
import type { StoredSubmission } from '../store/records.ts';
import { type Attempt, type ProcessorDeps, reject, retryOrFail, succeed } from './attempt.ts';
import { orderDeletion } from './ordering-step.ts';

/**
 * The registry entry of the document as this gateway deposited it (when it did), and the site its deposit
 * was signed for: also for a deposit that ended failed but may have landed, which only ITI-18 found.
 */
async function localDeposit(
  deps: ProcessorDeps,
  uniqueId: string,
): Promise<{ entryUUID?: string; site?: Submission['site'] }> {
  const owner = await deps.store.byDocumentUniqueId(uniqueId);
  const stored = owner ? await deps.store.get(owner) : undefined;
  const site = stored?.record.site && { site: stored.record.site };
  if (stored?.status !== 'deposited') return { ...site };
  return { entryUUID: stored.record.documents.find((d) => d.uniqueId === uniqueId)?.entryUUID, ...site };
}

export async function deletionStep(
  id: string,
  stored: StoredSubmission,
  deletion: Deletion,
  attempt: Attempt,
  deps: ProcessorDeps,
): Promise<'deleted'> {
  const { dmp } = deps;
  const uid = await orderDeletion(id, stored, deletion.patient, deletion.documentUniqueId, attempt, deps);
  const found = await dmp.findByUniqueId(deletion.patient, uid);
  if (found.outcome.kind !== 'success') {
    return retryOrFail(
      id,
      attempt,
      deps,
      `ITI-18 lookup: ${'reason' in found.outcome ? found.outcome.reason : 'failed'}`,
      [],
    );
  }
  const entries = found.documents.filter((d) => d.uniqueId === uid);
  if (entries.some((d) => d.status === STATUS.deleted)) {
    await succeed(
      id,
      'deleted',
      { type: 'deleted', attempt: attempt.number, outcome: 'already deleted in the DMP' },
      deps,
    );
    return 'deleted';
  }
  const local = await localDeposit(deps, uid);
  const target =
    entries.find((d) => d.entryUUID === local.entryUUID) ?? entries.find((d) => d.status === STATUS.approved);
  if (!target) {
    return reject(id, attempt, deps, 'the document to delete is not in the DMP', [
      {
        errorCode: '900',
        codeContext: 'no approved entry with this uniqueId',
        location: uid,
      },
    ]);
  }
  const outcome = await dmp.deleteDocument(deletion.patient, {
    entryUUID: target.entryUUID,
    contentTypeCode: deletion.contentTypeCode,
    author: deletion.author,
    ...(local.site && { site: local.site }),
  });
  deps.log.info({ submission: id, attempt: attempt.number, outcome: outcome.kind }, 'deletion attempt');
  switch (outcome.kind) {
    case 'success':
      await succeed(id, 'deleted', { type: 'deleted', attempt: attempt.number, outcome: 'success' }, deps);
      return 'deleted';
    case 'permanent':
      return reject(id, attempt, deps, outcome.reason, outcome.errors);
    case 'ambiguous':
      // Re-running the deletion is harmless: the next attempt first looks the entry up again.
      return retryOrFail(id, attempt, deps, `ambiguous: ${outcome.reason}`, []);
    case 'transient':
      return retryOrFail(id, attempt, deps, outcome.reason, outcome.codes);
    default: {
      const never: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(never)}`);
    }
  }
}
