/**
 * Associations of one deposit [ITI TF-3 §4.2.2; DOMAIN.md §2.4]: HasMember
 * from the submission set to each entry (SubmissionSetStatus `Original`),
 * `signs` from the signature entry to the submission set (IHE DSG), and
 * `RPLC` from a new version to the entry it replaces.
 */
import type { DocumentEntry } from '../model/types.ts';
import { ASSOCIATION, SLOT, SUBMISSION_SET_STATUS } from '../model/vocabulary.ts';
import type { XmlElement } from '../xml/tree.ts';
import { association, type IdMinter, slot } from './ebrim-parts.ts';

/** HasMember submission set → entry, with `SubmissionSetStatus=Original`. */
export function hasMember(ids: IdMinter, submissionSetId: string, entryId: string): XmlElement {
  return association(
    ids,
    ASSOCIATION.hasMember,
    submissionSetId,
    entryId,
    slot(SLOT.submissionSetStatus, [SUBMISSION_SET_STATUS.original]),
  );
}

/** `signs`: signature entry → the submission set it signs. */
export function signs(ids: IdMinter, signatureEntryId: string, submissionSetId: string): XmlElement {
  return association(ids, ASSOCIATION.signs, signatureEntryId, submissionSetId);
}

/**
 * `RPLC` new entry → predecessor, or `undefined` for a new document. The
 * predecessor's entryUUID must be known: the caller looks it up (ITI-18 by
 * uniqueId) before building; without it this throws.
 */
export function replacement(ids: IdMinter, entry: DocumentEntry): XmlElement | undefined {
  if (!entry.replaces) return undefined;
  const target = entry.replaces.entryUUID;
  if (!target) {
    throw new Error(
      'RPLC needs the entryUUID of the replaced document: look it up in the registry (ITI-18 by uniqueId) before building the deposit',
    );
  }
  return association(ids, ASSOCIATION.replace, entry.entryUUID, target);
}
