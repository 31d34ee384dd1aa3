/**
 * Puts a mapping's values into a canonical Submission (pure). A ready-made
 * CDA keeps its document-level codes (typeCode, classCode, practiceSetting,
 * facilityType): it is deposited byte for byte and its header is the truth
 * the DMP compares them with [DOMAIN.md §6]. The submission-set
 * contentTypeCode is mapped for every document kind.
 */
import type { DocumentEntry, Submission } from '../model/types.ts';
import type { MappedValues } from './result.ts';

function mapDocument(doc: DocumentEntry, values: MappedValues): DocumentEntry {
  if (doc.content.kind === 'cda') return doc;
  return {
    ...doc,
    ...(values.typeCode && values.classCode
      ? { typeCode: values.typeCode, classCode: values.classCode }
      : {}),
    ...(values.practiceSettingCode ? { practiceSettingCode: values.practiceSettingCode } : {}),
    ...(values.healthcareFacilityTypeCode
      ? { healthcareFacilityTypeCode: values.healthcareFacilityTypeCode }
      : {}),
  };
}

/** `submission` with the mapped codes of `values` (absent values leave the submission's own). */
export function applyValues(submission: Submission, values: MappedValues): Submission {
  return {
    ...submission,
    ...(values.contentTypeCode ? { contentTypeCode: values.contentTypeCode } : {}),
    documents: submission.documents.map((doc) => mapDocument(doc, values)),
  };
}
