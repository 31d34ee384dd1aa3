/**
 * A ready-made CDA R2 document (N3, or N1 produced by the sender) → canonical
 * Submission. The header gives the XDS metadata (DOMAIN.md §6); the CDA is
 * deposited byte for byte. What the header cannot say (identity status,
 * visibility flags, the registry id of a replaced document) comes from the
 * caller.
 */
import { readCdaHeader } from '../../cda/header.ts';
import type { Config } from '../../config/schema.ts';
import { type GatewayError, IssueCollector } from '../../errors/catalogue.ts';
import { classCodeForType, isDmpType } from '../../model/document-types.ts';
import { documentUniqueId, type IdSource, newEntryUUID, newOid } from '../../model/ids.ts';
import type { Code, IdentityStatus, Patient, Submission, Visibility } from '../../model/types.ts';
import { VISIBILITY_CODE } from '../../model/vocabulary.ts';
import { DEFAULT_CONTENT_TYPE } from '../fhir/document-reference.ts';

export interface CdaIntakeOptions {
  readonly config: Pick<Config, 'establishment' | 'software' | 'ids'>;
  readonly ids: IdSource;
  readonly now: Date;
  readonly identityStatus: IdentityStatus;
  /** Local patient id when the CDA recordTarget has none under the configured IPP authority. */
  readonly ipp?: string;
  /** TRE_A07 flags (`INVISIBLE_PATIENT`, `INVISIBLE_REPRESENTANTS_LEGAUX` or its HL7 v2 spelling, `MASQUE_PS`). */
  readonly visibility?: readonly string[];
  /** entryUUID of the replaced document, required when the CDA replaces one (RPLC). */
  readonly replacesEntryUUID?: string;
  readonly contentType?: Code;
}

const PATH = 'ClinicalDocument';

/** Visibility flags from TRE_A07 codes; unknown codes are reported at `path`. */
export function visibilityFromCodes(
  codes: readonly string[],
  path: string,
  issues: IssueCollector,
): Visibility {
  const flags = new Set(
    codes.map((c) => (c === 'INVISIBLE_REP_LEGAUX' ? VISIBILITY_CODE.hiddenFromLegalRepresentatives : c)),
  );
  const known = new Set<string>(Object.values(VISIBILITY_CODE));
  for (const flag of flags)
    if (!known.has(flag)) issues.add('INVALID_INPUT', path, `unknown visibility code ${flag}`);
  return {
    hiddenFromPatient: flags.has(VISIBILITY_CODE.hiddenFromPatient),
    hiddenFromLegalRepresentatives: flags.has(VISIBILITY_CODE.hiddenFromLegalRepresentatives),
    maskedFromProfessionals: flags.has(VISIBILITY_CODE.maskedFromProfessionals),
  };
}

export function cdaToSubmission(bytes: Uint8Array, options: CdaIntakeOptions): Submission {
  const header = readCdaHeader(bytes);
  const issues = new IssueCollector();
  const { config } = options;
  const p = header.patient;
  const traitsPath = `${PATH}/recordTarget/patientRole/patient`;
  if (!p.birthFamilyName)
    issues.add(
      'INS_INCOMPLETE',
      `${traitsPath}/name/family[@qualifier="BR"]`,
      'birth family name required with an INS',
    );
  if (p.givenNames.length === 0)
    issues.add('INS_INCOMPLETE', `${traitsPath}/name/given`, 'birth given names required with an INS');
  if (!p.birthDate) issues.add('INS_INCOMPLETE', `${traitsPath}/birthTime`, 'required with an INS');
  if (!p.sex) issues.add('INS_INCOMPLETE', `${traitsPath}/administrativeGenderCode`, 'required with an INS');
  const classCode = classCodeForType(header.typeCode);
  if (!isDmpType(header.typeCode) || !classCode) {
    issues.add(
      'INVALID_INPUT',
      `${PATH}/code`,
      `${header.typeCode.code} (${header.typeCode.codeSystem}) is not a DMP document type (JDV_J66)`,
    );
  }
  if (!header.formatCode)
    issues.add('INVALID_INPUT', `${PATH}/templateId`, 'unknown document model: no XDS formatCode for it');
  if (header.replaces && !options.replacesEntryUUID) {
    issues.add(
      'INVALID_INPUT',
      `${PATH}/relatedDocument/parentDocument/id`,
      'replacement: the entryUUID of the replaced document is required',
    );
  }
  const visibility = visibilityFromCodes(options.visibility ?? [], 'visibility', issues);
  checkUniqueId(header.id, issues);
  issues.throwIfAny();

  const ippId = p.ids.find((id) => id.root === config.ids.ippAuthority && id.extension);
  const ipp = ippId?.extension ?? options.ipp;
  const patient: Patient = {
    ins: p.ins,
    ipp: ipp ? { root: config.ids.ippAuthority, extension: ipp } : undefined,
    birthFamilyName: p.birthFamilyName as string,
    usedFamilyName: p.usedFamilyName,
    givenNames: p.givenNames,
    birthDate: p.birthDate as string,
    sex: p.sex ?? 'U',
    birthPlaceCode: p.birthPlaceCode,
    identityStatus: options.identityStatus,
  };
  const author = header.authors[0]!;
  return {
    entryUUID: newEntryUUID(options.ids),
    uniqueId: newOid(options.ids, config.ids.oidRoot),
    sourceId: config.ids.sourceId,
    submissionTime: options.now.toISOString(),
    contentTypeCode: options.contentType ?? DEFAULT_CONTENT_TYPE,
    author,
    patient,
    documents: [
      {
        id: header.id,
        entryUUID: newEntryUUID(options.ids),
        setId: header.setId,
        versionNumber: header.versionNumber,
        title: header.title,
        typeCode: header.typeCode,
        classCode: classCode!,
        formatCode: header.formatCode!,
        healthcareFacilityTypeCode: header.healthcareFacilityTypeCode,
        practiceSettingCode: header.practiceSettingCode,
        confidentiality: header.confidentiality,
        visibility,
        creationTime: header.creationTime,
        serviceStartTime: header.serviceStartTime,
        serviceStopTime: header.serviceStopTime,
        languageCode: header.languageCode,
        authors: header.authors,
        legalAuthenticator: header.legalAuthenticator,
        custodian: header.custodian,
        eventCodes: header.eventCodes,
        referenceIds: [],
        content: { kind: 'cda', bytes },
        replaces: header.replaces
          ? { uniqueId: header.replaces.root, cdaId: header.replaces, entryUUID: options.replacesEntryUUID }
          : undefined,
      },
    ],
  };
}

function checkUniqueId(id: { root: string; extension?: string }, issues: IssueCollector): void {
  try {
    documentUniqueId(id, `${PATH}/id`);
  } catch (err) {
    for (const issue of (err as GatewayError).issues) issues.add('INVALID_INPUT', issue.path, issue.message);
  }
}
