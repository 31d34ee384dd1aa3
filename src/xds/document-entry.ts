/**
 * The XDS DocumentEntry (`rim:ExtrinsicObject`) of one CDA document, with the
 * CI-SIS metadata (DOMAIN.md §3; ITI TF-3 §4.2.3.2 "Document Entry
 * attributes"; ANS VOLET-HL7 `mapping.md` "Fiche").
 */
import { createHash } from 'node:crypto';
import { documentUniqueId } from '../model/ids.ts';
import type { Code, DocumentEntry, Patient } from '../model/types.ts';
import {
  CDA_MIME_TYPE,
  CONFIDENTIALITY_DISPLAY,
  EXTERNAL_ID_NAME,
  OID,
  SLOT,
  VISIBILITY_CODE,
  VISIBILITY_DISPLAY,
  XDS,
} from '../model/vocabulary.ts';
import { el, type XmlElement } from '../xml/tree.ts';
import {
  authorClassification,
  codeClassification,
  externalIdentifier,
  type IdMinter,
  rimName,
  slot,
} from './ebrim-parts.ts';
import { cx, dtm, sourcePatientInfo, xcnPerson } from './hl7-types.ts';

const scheme = XDS.documentEntry;

/** SHA-1 of the exact bytes sent, lowercase hex [ITI TF-3 §4.2.3.2, hash]. */
export function sha1Hex(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/**
 * confidentialityCode occurrences, in order [DOMAIN.md §4; VOLET-HL7 mapping.md]:
 * FIRST the CDA's N/R/V (HL7 Confidentiality), THEN one TRE_A07 code per
 * visibility flag set.
 */
export function confidentialityCodes(entry: Pick<DocumentEntry, 'confidentiality' | 'visibility'>): Code[] {
  const codes: Code[] = [
    {
      code: entry.confidentiality,
      codeSystem: OID.hl7Confidentiality,
      displayName: CONFIDENTIALITY_DISPLAY[entry.confidentiality],
    },
  ];
  const flags = [
    [entry.visibility.maskedFromProfessionals, VISIBILITY_CODE.maskedFromProfessionals],
    [entry.visibility.hiddenFromPatient, VISIBILITY_CODE.hiddenFromPatient],
    [entry.visibility.hiddenFromLegalRepresentatives, VISIBILITY_CODE.hiddenFromLegalRepresentatives],
  ] as const;
  for (const [set, code] of flags) {
    if (set) codes.push({ code, codeSystem: OID.treA07Visibility, displayName: VISIBILITY_DISPLAY[code] });
  }
  return codes;
}

/** sourcePatientId: the local IPP (`^PI`), else the INS (`^NH`) [CI-SIS sourcePatientId]. */
export function sourcePatientId(patient: Patient): string {
  return patient.ipp ? cx(patient.ipp, 'PI') : cx(patient.ins, 'NH');
}

/**
 * Builds the ExtrinsicObject of `entry`, whose content is exactly `bytes`.
 * Throws INVALID_INPUT when the CDA id has an extension (the DMP rejects
 * `OID^extension` uniqueIds).
 */
export function buildDocumentEntry(
  ids: IdMinter,
  entry: DocumentEntry,
  patient: Patient,
  bytes: Uint8Array,
): XmlElement {
  const id = entry.entryUUID;
  const uniqueId = documentUniqueId(entry.id);
  return el(
    'rim:ExtrinsicObject',
    { id, mimeType: CDA_MIME_TYPE, objectType: scheme.stableObjectType },
    slot(SLOT.creationTime, [dtm(entry.creationTime)]),
    slot(SLOT.hash, [sha1Hex(bytes)]),
    slot(SLOT.languageCode, [entry.languageCode]),
    slot(SLOT.legalAuthenticator, entry.legalAuthenticator ? [xcnPerson(entry.legalAuthenticator)] : []),
    slot(SLOT.serviceStartTime, entry.serviceStartTime ? [dtm(entry.serviceStartTime)] : []),
    slot(SLOT.serviceStopTime, entry.serviceStopTime ? [dtm(entry.serviceStopTime)] : []),
    slot(SLOT.size, [String(bytes.length)]),
    slot(SLOT.sourcePatientId, [sourcePatientId(patient)]),
    slot(SLOT.sourcePatientInfo, sourcePatientInfo(patient)),
    slot(SLOT.referenceIdList, entry.referenceIds),
    rimName(entry.title),
    entry.authors.map((author) => authorClassification(ids, scheme.author, id, author)),
    codeClassification(ids, scheme.classCode, id, entry.classCode),
    confidentialityCodes(entry).map((code) => codeClassification(ids, scheme.confidentialityCode, id, code)),
    entry.eventCodes.map((code) => codeClassification(ids, scheme.eventCodeList, id, code)),
    codeClassification(ids, scheme.formatCode, id, entry.formatCode),
    codeClassification(ids, scheme.healthcareFacilityTypeCode, id, entry.healthcareFacilityTypeCode),
    codeClassification(ids, scheme.practiceSettingCode, id, entry.practiceSettingCode),
    codeClassification(ids, scheme.typeCode, id, entry.typeCode),
    externalIdentifier(
      ids,
      scheme.patientId,
      id,
      cx(patient.ins, 'NH'),
      EXTERNAL_ID_NAME.documentEntryPatientId,
    ),
    externalIdentifier(ids, scheme.uniqueId, id, uniqueId, EXTERNAL_ID_NAME.documentEntryUniqueId),
  );
}
