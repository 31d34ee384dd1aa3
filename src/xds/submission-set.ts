/**
 * The XDS SubmissionSet (`rim:RegistryPackage`) and its classification as a
 * submission set [ITI TF-3 §4.2.3.3 "SubmissionSet attributes"; CI-SIS "lot
 * de soumission"; VOLET-HL7 mapping.md "Lot de soumission"; DOMAIN.md §2.1].
 */
import type { Submission } from '../model/types.ts';
import { EXTERNAL_ID_NAME, OBJECT_TYPE, SLOT, XDS } from '../model/vocabulary.ts';
import { el, type XmlElement } from '../xml/tree.ts';
import {
  authorClassification,
  codeClassification,
  externalIdentifier,
  type IdMinter,
  rimName,
  slot,
} from './ebrim-parts.ts';
import { cx, dtm } from './hl7-types.ts';

const scheme = XDS.submissionSet;

/**
 * The RegistryPackage (submissionTime, author, contentTypeCode, patientId,
 * sourceId, uniqueId, optional title) followed by the Classification that
 * marks it as a submission set.
 */
export function buildSubmissionSet(ids: IdMinter, submission: Submission): [XmlElement, XmlElement] {
  const id = submission.entryUUID;
  const registryPackage = el(
    'rim:RegistryPackage',
    { id, objectType: OBJECT_TYPE.registryPackage },
    slot(SLOT.submissionTime, [dtm(submission.submissionTime)]),
    submission.title ? rimName(submission.title) : undefined,
    authorClassification(ids, scheme.author, id, submission.author),
    codeClassification(ids, scheme.contentTypeCode, id, submission.contentTypeCode),
    externalIdentifier(
      ids,
      scheme.patientId,
      id,
      cx(submission.patient.ins, 'NH'),
      EXTERNAL_ID_NAME.submissionSetPatientId,
    ),
    externalIdentifier(ids, scheme.sourceId, id, submission.sourceId, EXTERNAL_ID_NAME.submissionSetSourceId),
    externalIdentifier(ids, scheme.uniqueId, id, submission.uniqueId, EXTERNAL_ID_NAME.submissionSetUniqueId),
  );
  const marker = el('rim:Classification', {
    classifiedObject: id,
    classificationNode: scheme.classificationNode,
    objectType: OBJECT_TYPE.classification,
    id: ids.next('cl'),
  });
  return [registryPackage, marker];
}
