/**
 * CI-SIS metadata checks of one ITI-41 submission, object by object
 * (DOMAIN.md §2–§4; ITI TF-3 §4.2.3.2 DocumentEntry and §4.2.3.3
 * SubmissionSet attributes; CI-SIS "Volet partage de documents de santé"):
 * required slots, classifications and external identifiers, their formats
 * and coding schemes, DMP type codes (JDV_J66) and their class (ASS_X16).
 * Every problem is an `XDSRegistryMetadataError` naming the object and slot.
 */
import { classCodeForType, isDmpType } from '../model/document-types.ts';
import {
  CONFIDENTIALITY_DISPLAY,
  OID,
  SIGNATURE_DOCUMENT,
  SLOT,
  VISIBILITY_CODE,
  XDS,
} from '../model/vocabulary.ts';
import { insOfCx, parseCx } from '../xds/cx.ts';
import {
  classificationsIn,
  externalId,
  type RimClassification,
  type RimObject,
  slotValues,
} from '../xds/ebrim-reader.ts';
import { DTM, isUniqueIdOid, LANGUAGE, OID_PATTERN, SHA1_HEX, SIZE } from '../xds/metadata-values.ts';
import { type RegistryErrors, rimLocation, XDS_ERROR } from '../xds/registry-errors.ts';

/** Reports against one registry object. */
class ObjectChecker {
  readonly #errors: RegistryErrors;
  readonly #object: RimObject;
  readonly #label: string;

  constructor(errors: RegistryErrors, object: RimObject, label: string) {
    this.#errors = errors;
    this.#object = object;
    this.#label = label;
  }

  fail(part: string, message: string): void {
    this.#errors.add(
      XDS_ERROR.registryMetadataError,
      `${this.#label} ${this.#object.id ?? '(no id)'}: ${part} ${message}`,
      rimLocation(this.#object.kind, this.#object.id, part),
    );
  }

  /** The single value of a required slot, when it matches `pattern`. */
  slot(name: string, pattern?: RegExp, what = 'is not well-formed'): string | undefined {
    const values = slotValues(this.#object, name);
    const part = `Slot[@name='${name}']`;
    if (values.length !== 1 || values[0] === '') {
      this.fail(part, values.length === 0 ? 'is required' : 'must have exactly one value');
      return undefined;
    }
    const value = values[0] as string;
    if (pattern && !pattern.test(value)) {
      this.fail(part, what);
      return undefined;
    }
    return value;
  }

  /** Coded classifications in `scheme`: count in [min, max], each with a code and one codingScheme. */
  coded(scheme: string, name: string, min: number, max: number): RimClassification[] {
    const found = [...classificationsIn(this.#object, scheme)];
    const part = `Classification[@classificationScheme='${scheme}']`;
    if (found.length < min) this.fail(part, `(${name}) is required`);
    if (found.length > max) this.fail(part, `(${name}) may occur at most ${max} time(s)`);
    for (const c of found) {
      if (!c.nodeRepresentation) this.fail(part, `(${name}) has no code (nodeRepresentation)`);
      if (slotValues(c, SLOT.codingScheme).length !== 1)
        this.fail(part, `(${name}) needs one codingScheme slot`);
    }
    return found;
  }

  /** One coded value whose code system is one of `systems`. */
  code(
    scheme: string,
    name: string,
    systems?: readonly string[],
  ): { code: string; system: string } | undefined {
    const c = this.coded(scheme, name, 1, 1)[0];
    const system = c && slotValues(c, SLOT.codingScheme)[0];
    if (!c?.nodeRepresentation || !system) return undefined;
    if (systems && !systems.includes(system)) {
      this.fail(
        `Classification[@classificationScheme='${scheme}']`,
        `(${name}) code system must be ${systems.join(' or ')}`,
      );
      return undefined;
    }
    return { code: c.nodeRepresentation, system };
  }

  /** Author classifications: at least one, each with authorInstitution and authorPerson. */
  authors(scheme: string): void {
    const authors = classificationsIn(this.#object, scheme);
    const part = `Classification[@classificationScheme='${scheme}']`;
    if (authors.length === 0) this.fail(part, '(author) is required');
    for (const a of authors) {
      if (slotValues(a, SLOT.authorPerson).length === 0)
        this.fail(part, '(author) needs an authorPerson slot');
      if (slotValues(a, SLOT.authorInstitution).length === 0)
        this.fail(part, '(author) needs an authorInstitution slot');
    }
  }

  /** A required external identifier. */
  external(scheme: string, name: string, valid: (v: string) => boolean, what: string): string | undefined {
    const value = externalId(this.#object, scheme);
    const part = `ExternalIdentifier[@identificationScheme='${scheme}']`;
    if (!value) this.fail(part, `(${name}) is required`);
    else if (!valid(value)) this.fail(part, `(${name}) ${what}`);
    else return value;
    return undefined;
  }
}

const INS_CX = 'must be an INS: <matricule>^^^&<INS OID>&ISO^NH';

/** Submission set attributes (ITI TF-3 Table 4.2.3.3-1, CI-SIS "lot de soumission"). */
export function checkSubmissionSet(ss: RimObject, errors: RegistryErrors): void {
  const c = new ObjectChecker(errors, ss, 'SubmissionSet');
  const s = XDS.submissionSet;
  c.slot(SLOT.submissionTime, DTM, 'must be a DTM (YYYYMMDDhhmmss)');
  c.authors(s.author);
  c.code(s.contentTypeCode, 'contentTypeCode');
  c.external(s.patientId, 'patientId', (v) => insOfCx(v) !== undefined, INS_CX);
  c.external(s.sourceId, 'sourceId', (v) => OID_PATTERN.test(v), 'must be an OID');
  c.external(s.uniqueId, 'uniqueId', isUniqueIdOid, 'must be a bare OID (at most 64 characters)');
}

const VISIBILITY: ReadonlySet<string> = new Set(Object.values(VISIBILITY_CODE));

/** confidentialityCode: first N/R/V (HL7 Confidentiality), then TRE_A07 visibility codes (DOMAIN.md §4). */
function checkConfidentiality(c: ObjectChecker): void {
  const scheme = XDS.documentEntry.confidentialityCode;
  const codes = c.coded(scheme, 'confidentialityCode', 1, 4);
  const part = `Classification[@classificationScheme='${scheme}']`;
  codes.forEach((code, i) => {
    const system = slotValues(code, SLOT.codingScheme)[0];
    const value = code.nodeRepresentation ?? '';
    const nrv = value in CONFIDENTIALITY_DISPLAY && system === OID.hl7Confidentiality;
    if (i === 0 && !nrv)
      c.fail(part, `(confidentialityCode) first must be N, R or V in ${OID.hl7Confidentiality}`);
    if (i > 0 && (system !== OID.treA07Visibility || !VISIBILITY.has(value))) {
      c.fail(
        part,
        `(confidentialityCode) ${value} must be a TRE_A07 visibility code (${OID.treA07Visibility})`,
      );
    }
  });
}

/**
 * DocumentEntry attributes (ITI TF-3 Table 4.2.3.2-1 with the CI-SIS
 * requirements). A `signature` entry carries the fixed IHE DSG codes
 * ({@link SIGNATURE_DOCUMENT}) and no sourcePatientInfo.
 */
export function checkDocumentEntry(
  entry: RimObject,
  kind: 'document' | 'signature',
  errors: RegistryErrors,
): void {
  const c = new ObjectChecker(
    errors,
    entry,
    kind === 'document' ? 'DocumentEntry' : 'Signature DocumentEntry',
  );
  const s = XDS.documentEntry;
  if (entry.objectType !== s.stableObjectType) c.fail('@objectType', 'must be the stable DocumentEntry type');
  if (!entry.mimeType) c.fail('@mimeType', 'is required');
  c.slot(SLOT.creationTime, DTM, 'must be a DTM (YYYYMMDDhhmmss)');
  c.slot(SLOT.languageCode, LANGUAGE, 'must be a language tag such as fr-FR');
  c.slot(SLOT.hash, SHA1_HEX, 'must be the SHA-1 of the document, 40 hexadecimal digits');
  c.slot(SLOT.size, SIZE, 'must be the size of the document in bytes');
  const sourcePatientId = c.slot(SLOT.sourcePatientId);
  if (sourcePatientId && !parseCx(sourcePatientId))
    c.fail(`Slot[@name='${SLOT.sourcePatientId}']`, 'must be a CX id^^^&oid&ISO^type');
  c.authors(s.author);
  checkConfidentiality(c);
  c.code(s.healthcareFacilityTypeCode, 'healthcareFacilityTypeCode', [OID.treR02FacilityType]);
  c.code(s.practiceSettingCode, 'practiceSettingCode', [OID.treA01PracticeSetting]);
  c.external(s.patientId, 'patientId', (v) => insOfCx(v) !== undefined, INS_CX);
  c.external(
    s.uniqueId,
    'uniqueId',
    isUniqueIdOid,
    'must be a bare OID (at most 64 characters): the DMP rejects OID^extension',
  );
  if (kind === 'signature') {
    checkSignatureCodes(c);
    return;
  }
  if (!entry.name) c.fail('Name', '(title) is required');
  const info = slotValues(entry, SLOT.sourcePatientInfo);
  if (info.length === 0 || info.some((v) => !/^PID-\d+\|/.test(v))) {
    c.fail(`Slot[@name='${SLOT.sourcePatientInfo}']`, 'is required, as PID-n|value lines');
  }
  c.code(s.formatCode, 'formatCode', [OID.formatCodeScheme, OID.formatCodeComplementaryScheme]);
  const type = c.code(s.typeCode, 'typeCode', [OID.loinc, OID.treA05Type]);
  const klass = c.code(s.classCode, 'classCode', [OID.treA03Class]);
  const typeCode = type && { code: type.code, codeSystem: type.system };
  if (typeCode && !isDmpType(typeCode))
    c.fail(
      `Classification[@classificationScheme='${s.typeCode}']`,
      `(typeCode) ${type.code} is not a DMP document type (JDV_J66)`,
    );
  else if (typeCode && klass && classCodeForType(typeCode)?.code !== klass.code) {
    c.fail(
      `Classification[@classificationScheme='${s.classCode}']`,
      `(classCode) ${klass.code} is not the class of type ${type.code} (ASS_X16)`,
    );
  }
}

function checkSignatureCodes(c: ObjectChecker): void {
  const s = XDS.documentEntry;
  const expect = [
    [s.classCode, 'classCode', SIGNATURE_DOCUMENT.classCode],
    [s.typeCode, 'typeCode', SIGNATURE_DOCUMENT.typeCode],
    [s.formatCode, 'formatCode', SIGNATURE_DOCUMENT.formatCode],
  ] as const;
  for (const [scheme, name, code] of expect) {
    const found = c.code(scheme, name);
    if (found && (found.code !== code.code || found.system !== code.codeSystem)) {
      c.fail(
        `Classification[@classificationScheme='${scheme}']`,
        `(${name}) must be ${code.code} (${code.codeSystem}) for a signature`,
      );
    }
  }
}
