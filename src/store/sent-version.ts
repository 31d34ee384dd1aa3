/**
 * The version of a document actually sent. A sender's new version that
 * follows the gateway's own later version of the document (a release, a
 * visibility change) is re-targeted when it goes (src/queue/ordering-step.ts):
 * it replaces that version, with a higher versionNumber than the sender
 * gave. The record and the stored payload keep what the sender sent; what
 * went to the DMP is recorded beside the visibility sent (SentVisibility),
 * and everything that builds a later version (the sender's next one, an
 * operator's change, a release, the version chain) reads it from here.
 * Records written before it was kept have no such facts: theirs hold. Pure.
 */
import type { Submission } from '../model/types.ts';
import type { SentVisibility, StoredSubmission, SubmissionRecord } from './record-types.ts';

export type RecordedDocument = SubmissionRecord['documents'][number];

/**
 * What is recorded as sent for each document about to go: the visibility the policy computed (else the
 * flags as they go), with the version, entryUUID and replaced entry of the submission actually sent.
 */
export function sentFacts(
  submission: Submission,
  visibility: readonly SentVisibility[] | undefined,
  secretConnection: boolean,
): SentVisibility[] {
  return submission.documents.map((doc) => {
    const seen = visibility?.find((s) => s.uniqueId === doc.id.root) ?? {
      uniqueId: doc.id.root,
      flags: doc.visibility,
      secretConnection,
    };
    return {
      ...seen,
      versionNumber: doc.versionNumber,
      entryUUID: doc.entryUUID,
      ...(doc.replaces && {
        replaces: {
          uniqueId: doc.replaces.uniqueId,
          ...(doc.replaces.entryUUID && { entryUUID: doc.replaces.entryUUID }),
        },
      }),
    };
  });
}

/** The record's document as it was sent (its versionNumber and the document it replaced in the DMP). */
export function asSent(stored: Pick<StoredSubmission, 'sent'>, document: RecordedDocument): RecordedDocument {
  const sent = stored.sent?.find((s) => s.uniqueId === document.uniqueId);
  if (sent?.versionNumber === undefined) return document;
  const { replaces: _recorded, ...rest } = document;
  return {
    ...rest,
    versionNumber: sent.versionNumber,
    ...(sent.entryUUID && { entryUUID: sent.entryUUID }),
    ...(sent.replaces && { replaces: sent.replaces.uniqueId }),
  };
}

/** The document `uniqueId` of a record, as it was sent; undefined when the record does not hold it. */
export function sentDocument(
  stored: Pick<StoredSubmission, 'record' | 'sent'>,
  uniqueId: string,
): RecordedDocument | undefined {
  const document = stored.record.documents.find((d) => d.uniqueId === uniqueId);
  return document && asSent(stored, document);
}

/** The stored submission as it was sent: each document's versionNumber and replaced entry. */
export function submissionAsSent(
  submission: Submission,
  sent: readonly SentVisibility[] | undefined,
): Submission {
  if (!sent?.some((s) => s.versionNumber !== undefined)) return submission;
  const documents = submission.documents.map((doc) => {
    const s = sent.find((x) => x.uniqueId === doc.id.root);
    if (s?.versionNumber === undefined) return doc;
    const replaces =
      s.replaces && s.replaces.uniqueId !== doc.replaces?.uniqueId
        ? {
            uniqueId: s.replaces.uniqueId,
            ...(s.replaces.entryUUID && { entryUUID: s.replaces.entryUUID }),
            cdaId: { root: s.replaces.uniqueId },
          }
        : doc.replaces && {
            ...doc.replaces,
            ...(s.replaces?.entryUUID && { entryUUID: s.replaces.entryUUID }),
          };
    return { ...doc, versionNumber: s.versionNumber, ...(replaces && { replaces }) };
  });
  return { ...submission, documents };
}
