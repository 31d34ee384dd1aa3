/**
 * ITI-57 Update Document Set, availability-status change: how the DMP
 * deletes a document (TD3.3c, DOMAIN.md §1: status set to
 * `urn:asip:ci-sis:2010:StatusType:Deleted`; the DMP never deletes physically).
 *
 * IHE ITI TF-2b §3.57.4.1.3.3.2: an `lcm:SubmitObjectsRequest` holding a
 * submission set and one `UpdateAvailabilityStatus` association from the
 * submission set to the entry whose status changes, with the slots
 * `OriginalStatus` and `NewStatus`. No document entry, no HasMember: three
 * DMP clients send exactly this (ansforge/DRIM-M_DRIMbox `DeleteRequest`,
 * OpenXtrem Mediboard `generateXDS57`, the ANS TLSi sample kit), slots in
 * that order. The submission set carries the usual CI-SIS attributes
 * (submissionTime, author, contentTypeCode, patientId, sourceId, uniqueId).
 */
import type { Author, Code } from '../model/types.ts';
import {
  EXTERNAL_ID_NAME,
  METADATA_UPDATE,
  NS,
  OBJECT_TYPE,
  SLOT,
  STATUS,
  XDS,
} from '../model/vocabulary.ts';
import { el, type XmlElement } from '../xml/tree.ts';
import {
  association,
  authorClassification,
  codeClassification,
  externalIdentifier,
  idMinter,
  slot,
} from './ebrim-parts.ts';
import { dtm } from './hl7-types.ts';

export interface UpdateAvailabilityStatusInput {
  /** Registry id of the new submission set (`urn:uuid:...`). */
  readonly entryUUID: string;
  /** Submission set uniqueId (OID). */
  readonly uniqueId: string;
  /** OID of the sending system. */
  readonly sourceId: string;
  /** ISO 8601 instant. */
  readonly submissionTime: string;
  readonly author: Author;
  /** The patient's INS as CX (`matricule^^^&oid&ISO^NH`). */
  readonly patientCx: string;
  readonly contentTypeCode: Code;
  readonly target: {
    /** entryUUID of the document entry whose status changes. */
    readonly entryUUID: string;
    /** Current status (usually Approved). */
    readonly from: string;
    /** New status (the DMP's Deleted). */
    readonly to: string;
  };
}

/** The status change of a DMP deletion (TD3.3c): Approved → `urn:asip:ci-sis:2010:StatusType:Deleted`. */
export function deletionTarget(entryUUID: string): UpdateAvailabilityStatusInput['target'] {
  return { entryUUID, from: STATUS.approved, to: STATUS.deleted };
}

/** Builds the ITI-57 `lcm:SubmitObjectsRequest` of one availability-status change. */
export function buildUpdateAvailabilityStatus(input: UpdateAvailabilityStatusInput): XmlElement {
  const ids = idMinter();
  const scheme = XDS.submissionSet;
  const id = input.entryUUID;
  const registryPackage = el(
    'rim:RegistryPackage',
    { id, objectType: OBJECT_TYPE.registryPackage },
    slot(SLOT.submissionTime, [dtm(input.submissionTime)]),
    authorClassification(ids, scheme.author, id, input.author),
    codeClassification(ids, scheme.contentTypeCode, id, input.contentTypeCode),
    externalIdentifier(ids, scheme.patientId, id, input.patientCx, EXTERNAL_ID_NAME.submissionSetPatientId),
    externalIdentifier(ids, scheme.sourceId, id, input.sourceId, EXTERNAL_ID_NAME.submissionSetSourceId),
    externalIdentifier(ids, scheme.uniqueId, id, input.uniqueId, EXTERNAL_ID_NAME.submissionSetUniqueId),
  );
  const marker = el('rim:Classification', {
    classifiedObject: id,
    classificationNode: scheme.classificationNode,
    objectType: OBJECT_TYPE.classification,
    id: ids.next('cl'),
  });
  const update = association(
    ids,
    METADATA_UPDATE.updateAvailabilityStatus,
    id,
    input.target.entryUUID,
    slot(METADATA_UPDATE.originalStatusSlot, [input.target.from]),
    slot(METADATA_UPDATE.newStatusSlot, [input.target.to]),
  );
  return el(
    'lcm:SubmitObjectsRequest',
    { 'xmlns:lcm': NS.lcm, 'xmlns:rim': NS.rim },
    el('rim:RegistryObjectList', {}, registryPackage, marker, update),
  );
}
