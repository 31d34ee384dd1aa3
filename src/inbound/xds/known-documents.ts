/**
 * What the gateway already holds about the documents of an ITI-41 request,
 * looked up in the submission store before accepting it:
 * - the replaced documents (RPLC targets, by entryUUID), through a small
 *   index `<prefix>:xds:entry:<entryUUID>` → submission id written for every
 *   document accepted at this door (the store indexes uniqueIds, not
 *   entryUUIDs);
 * - documents whose uniqueId was already accepted in another submission:
 *   same bytes → already accepted (a resend under a new submission set);
 *   other bytes → `XDSNonIdenticalHash` (ITI TF-3 Table 4.2.4.1-2). A
 *   submission that ended rejected or failed does not count: a corrected
 *   document may be sent again.
 * Every function may throw a Redis error; callers wrap them (storeCall).
 */
import type { Submission } from '../../model/types.ts';
import type { SubmissionStore } from '../../store/records.ts';
import { asSent } from '../../store/sent-version.ts';
import { sha1Hex } from '../../xds/document-entry.ts';
import type { PredecessorFacts } from './to-submission.ts';

function entryKey(store: SubmissionStore, entryUUID: string): string {
  return `${store.prefix}:xds:entry:${entryUUID}`;
}

/** Facts of the documents with these entryUUIDs, for those the gateway accepted. */
export async function resolvePredecessors(
  store: SubmissionStore,
  entryUUIDs: Iterable<string>,
): Promise<Map<string, PredecessorFacts>> {
  const out = new Map<string, PredecessorFacts>();
  const wanted = [...new Set(entryUUIDs)];
  if (wanted.length === 0) return out;
  const ids = await store.redis.mget(...wanted.map((e) => entryKey(store, e)));
  for (const [i, entryUUID] of wanted.entries()) {
    const id = ids[i];
    const stored = id ? await store.get(id) : undefined;
    const found = stored?.record.documents.find((d) => d.entryUUID === entryUUID);
    // The version the DMP holds, which may be higher than the record's (it followed the gateway's own).
    const doc = stored && found && asSent(stored, found);
    if (doc)
      out.set(entryUUID, { uniqueId: doc.uniqueId, setId: doc.setId, versionNumber: doc.versionNumber });
  }
  return out;
}

/** Indexes the entryUUIDs of an accepted submission (idempotent). */
export async function rememberEntries(
  store: SubmissionStore,
  submissionId: string,
  submission: Submission,
): Promise<void> {
  const pairs = submission.documents.flatMap((d) => [entryKey(store, d.entryUUID), submissionId]);
  if (pairs.length > 0) await store.redis.mset(...pairs);
}

export interface KnownDocuments {
  /** uniqueIds accepted earlier with the same bytes. */
  readonly identical: readonly string[];
  /** uniqueIds accepted earlier with other bytes. */
  readonly different: readonly string[];
  /** The submission that holds the identical documents, when all are in one. */
  readonly acceptedIn?: string;
}

/** Compares each document with an earlier accepted one of the same uniqueId (other requests only). */
export async function knownDocuments(
  store: SubmissionStore,
  submission: Submission,
  identity: string,
): Promise<KnownDocuments> {
  const identical: string[] = [];
  const different: string[] = [];
  const holders = new Set<string>();
  for (const doc of submission.documents) {
    const uniqueId = doc.id.root;
    const id = await store.byDocumentUniqueId(uniqueId);
    const stored = id ? await store.get(id) : undefined;
    if (!id || !stored || stored.record.identity === identity) continue;
    if (stored.status === 'rejected' || stored.status === 'failed') continue;
    const payload = await store.payload(id);
    const earlier =
      payload && !('kind' in payload) ? payload.documents.find((d) => d.id.root === uniqueId) : undefined;
    if (!earlier) continue;
    if (sha1Hex(earlier.content.bytes) === sha1Hex(doc.content.bytes)) {
      identical.push(uniqueId);
      holders.add(id);
    } else different.push(uniqueId);
  }
  return holders.size === 1
    ? { identical, different, acceptedIn: [...holders][0] }
    : { identical, different };
}
