/**
 * The DocumentEntry of the XAdES document that signs the submission set
 * (IHE DSG style, DOMAIN.md §2.3). Its metadata are fixed
 * ({@link SIGNATURE_DOCUMENT}); it is always confidentiality `N` +
 * `MASQUE_PS` + `INVISIBLE_PATIENT` so that nobody sees it, and shares the
 * patient, facility type and practice setting of the documents it signs.
 */
import type { DocumentEntry, Submission } from '../model/types.ts';
import { EXTERNAL_ID_NAME, SIGNATURE_DOCUMENT, SLOT, XDS } from '../model/vocabulary.ts';
import { el, type XmlElement } from '../xml/tree.ts';
import { confidentialityCodes, sha1Hex } from './document-entry.ts';
import {
  authorClassification,
  codeClassification,
  externalIdentifier,
  type IdMinter,
  rimName,
  slot,
} from './ebrim-parts.ts';
import { cx, dtm, xcnPerson, xcnSystem } from './hl7-types.ts';

/** The signature document as sent: its registry ids, exact bytes and creation instant. */
export interface SignatureDocument {
  readonly entryUUID: string;
  /** OID of the signature document. */
  readonly uniqueId: string;
  readonly bytes: Uint8Array;
  /** MIME part Content-ID (without `cid:` and angle brackets). */
  readonly contentId: string;
  /** ISO 8601 instant of signing. */
  readonly creationTime: string;
}

const scheme = XDS.documentEntry;

/** The signature entry is hidden from everybody: N + MASQUE_PS + INVISIBLE_PATIENT [DOMAIN.md §2.3]. */
const HIDDEN = {
  confidentiality: 'N',
  visibility: {
    maskedFromProfessionals: true,
    hiddenFromPatient: true,
    hiddenFromLegalRepresentatives: false,
  },
} as const;

/**
 * Builds the signature ExtrinsicObject. Author and legalAuthenticator are the
 * submission-set author (the sender who signs); facility type and practice
 * setting come from the first signed document.
 */
export function buildSignatureEntry(
  ids: IdMinter,
  submission: Submission,
  signed: DocumentEntry,
  signature: SignatureDocument,
): XmlElement {
  const id = signature.entryUUID;
  const time = dtm(signature.creationTime);
  const sender = submission.author;
  const legalAuthenticator = sender.kind === 'person' ? xcnPerson(sender.person) : xcnSystem(sender);
  const ins = cx(submission.patient.ins, 'NH');
  return el(
    'rim:ExtrinsicObject',
    { id, mimeType: SIGNATURE_DOCUMENT.mimeType, objectType: scheme.stableObjectType },
    slot(SLOT.creationTime, [time]),
    slot(SLOT.hash, [sha1Hex(signature.bytes)]),
    slot(SLOT.languageCode, [SIGNATURE_DOCUMENT.languageCode]),
    slot(SLOT.legalAuthenticator, [legalAuthenticator]),
    slot(SLOT.serviceStartTime, [time]),
    slot(SLOT.serviceStopTime, [time]),
    slot(SLOT.size, [String(signature.bytes.length)]),
    slot(SLOT.sourcePatientId, [ins]),
    rimName(SIGNATURE_DOCUMENT.title),
    authorClassification(ids, scheme.author, id, sender),
    codeClassification(ids, scheme.classCode, id, SIGNATURE_DOCUMENT.classCode),
    confidentialityCodes(HIDDEN).map((code) => codeClassification(ids, scheme.confidentialityCode, id, code)),
    codeClassification(ids, scheme.eventCodeList, id, SIGNATURE_DOCUMENT.eventCode),
    codeClassification(ids, scheme.formatCode, id, SIGNATURE_DOCUMENT.formatCode),
    codeClassification(ids, scheme.healthcareFacilityTypeCode, id, signed.healthcareFacilityTypeCode),
    codeClassification(ids, scheme.practiceSettingCode, id, signed.practiceSettingCode),
    codeClassification(ids, scheme.typeCode, id, SIGNATURE_DOCUMENT.typeCode),
    externalIdentifier(ids, scheme.patientId, id, ins, EXTERNAL_ID_NAME.documentEntryPatientId),
    externalIdentifier(ids, scheme.uniqueId, id, signature.uniqueId, EXTERNAL_ID_NAME.documentEntryUniqueId),
  );
}
