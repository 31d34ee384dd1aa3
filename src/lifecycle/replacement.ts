/**
 * A gateway-made replacement of a deposited document: the same content with
 * other visibility flags. The establishment certificate cannot change
 * visibility with ITI-57 (DOMAIN.md §1: TD3.3a/b are not allowed in
 * indirect authentication), so a change after deposit is a new version
 * [VOLET-HL7 profils-messages "Modification Confidentiality Code"
 * (MODIF_CONF_CODE: an update of the masking / visibility metadata, sent as
 * a replacement, OBX-11 = C); IHE ITI TF-3 §4.2.2.2.3 RPLC]: a new document
 * id (OID) and entryUUID, the same setId, versionNumber + 1, an RPLC
 * association to the deposited entryUUID, and in the CDA
 * `relatedDocument typeCode="RPLC"` naming the old id.
 *
 * Only an unstructured document (N1) can be re-versioned here: the gateway
 * wraps it, so it writes the new header. A ready-made CDA (N3) carries its
 * own id, version and relatedDocument in bytes the gateway deposits
 * unchanged; only its sender can make the new version
 * ({@link needsSender}). The creationTime is kept: the content and its date
 * do not change, so the one-month limit of INVISIBLE_PATIENT still counts
 * from the original document. Pure: ids and time are given.
 */
import { type IdSource, newEntryUUID, newOid } from '../model/ids.ts';
import type { DocumentEntry, Submission, Visibility } from '../model/types.ts';

/** Why the gateway cannot make the new version of a ready-made CDA itself. */
export const NEEDS_SENDER =
  'a ready-made CDA (N3) is deposited byte for byte: only its sender can send the new version (replacement with MODIF_CONF_CODE=Y and the new flags)';

/** True when the document's new version must come from its sender (ready-made CDA). */
export function needsSender(document: DocumentEntry): boolean {
  return document.content.kind === 'cda';
}

export interface ReplacementInput {
  /** The deposited submission holding the document. */
  readonly original: Submission;
  /** uniqueId of the deposited document. */
  readonly uniqueId: string;
  /** Its entryUUID in the DMP registry. */
  readonly entryUUID: string;
  /** The flags of the new version. */
  readonly visibility: Visibility;
  readonly ids: IdSource;
  readonly oidRoot?: string;
  readonly now: Date;
}

/** The one-document submission that replaces `uniqueId` with new flags; undefined when it is not in `original`. */
export function replacementSubmission(input: ReplacementInput): Submission | undefined {
  const { original, ids, oidRoot } = input;
  const document = original.documents.find((d) => d.id.root === input.uniqueId);
  if (!document) return undefined;
  const next: DocumentEntry = {
    ...document,
    id: { root: newOid(ids, oidRoot) },
    entryUUID: newEntryUUID(ids),
    versionNumber: document.versionNumber + 1,
    visibility: input.visibility,
    replaces: { uniqueId: document.id.root, entryUUID: input.entryUUID, cdaId: document.id },
  };
  return {
    ...original,
    entryUUID: newEntryUUID(ids),
    uniqueId: newOid(ids, oidRoot),
    submissionTime: input.now.toISOString(),
    documents: [next],
  };
}
