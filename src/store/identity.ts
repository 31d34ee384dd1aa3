/**
 * Identity and content fingerprints of an inbound document, for idempotent
 * intake: the same document sent twice is recognised; the same identity with
 * other content is a conflict.
 */
import { createHash } from 'node:crypto';
import type { RecordedMapping } from '../mappings/submission.ts';
import type { Deletion, Submission } from '../model/types.ts';
import type { ReplyChannel, Source, SubmissionRecord } from './records.ts';

/** JSON with object keys sorted, so equal content gives equal bytes whatever the sender's key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The operator-visible record of a submission (identifiers and codes only). */
export function recordOf(
  id: string,
  source: Source,
  submission: Submission | Deletion,
  identity: string,
  contentHash: string,
  now: Date,
  reply?: ReplyChannel,
  mapping?: RecordedMapping,
): SubmissionRecord {
  const base = { id, source, createdAt: now.toISOString(), identity, contentHash, reply };
  if ('kind' in submission) {
    return {
      ...base,
      kind: 'deletion',
      submissionSet: { uniqueId: '', entryUUID: '' },
      documents: [],
      target: submission.documentUniqueId,
    };
  }
  return {
    ...base,
    kind: 'deposit',
    submissionSet: { uniqueId: submission.uniqueId, entryUUID: submission.entryUUID },
    documents: submission.documents.map((d) => ({
      uniqueId: d.id.root,
      entryUUID: d.entryUUID,
      setId: d.setId,
      versionNumber: d.versionNumber,
      typeCode: d.typeCode,
      replaces: d.replaces?.uniqueId,
      ...(d.confidentialityChange && { confidentialityChange: true }),
    })),
    ...(mapping && { mapping }),
    ...(submission.site && { site: submission.site }),
  };
}
