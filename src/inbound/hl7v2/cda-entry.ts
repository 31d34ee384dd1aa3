/**
 * A ready-made CDA carried in a document OBX → DocumentEntry: the header gives
 * the XDS metadata (VOLET-HL7 mapping.md "Fiche": CDA id@root, code, title,
 * effectiveTime...), the bytes are deposited as received, the visibility
 * comes from the MetaDMPMSS OBX. The message must agree with the document:
 * "Le PID-3 doit être identique aux identifiants de patient portés par le
 * document CDA" (profils-messages.md), OBX-3 = the CDA code, TXA-12 = the CDA
 * id, TXA-13 = the replaced id; INS errors carry the volet codes 903 (no INS
 * in the CDA), 904 (INS or traits differ), 905 (INS traits incomplete)
 * [VOLET-HL7 error-codes.md].
 */
import { type CdaHeader, readCdaHeader } from '../../cda/header.ts';
import { GatewayError, type IssueCollector } from '../../errors/catalogue.ts';
import { classCodeForType, isDmpType } from '../../model/document-types.ts';
import { type IdSource, newEntryUUID } from '../../model/ids.ts';
import type { Code, DocumentEntry, Patient, Visibility } from '../../model/types.ts';
import { path, type Segment } from './message.ts';
import type { Action } from './trigger.ts';

export interface CdaEntryContext {
  readonly obx: Segment;
  readonly pid: Segment;
  readonly patient: Patient;
  readonly visibility: Visibility;
  readonly action: Action;
  readonly ids: IdSource;
  /** OBX-3 type code, when readable. */
  readonly typeCode?: Code;
  /** MDM: TXA-12 / TXA-13 as uniqueIds, with their locations. */
  readonly uniqueId?: { readonly value: string; readonly path: string };
  readonly parentId?: { readonly value: string; readonly path: string };
}

/** readCdaHeader, its issues relocated to OBX-5.5 (the CDA path kept in the message). */
export function readCarriedHeader(
  bytes: Uint8Array,
  obx: Segment,
  issues: IssueCollector,
): CdaHeader | undefined {
  try {
    return readCdaHeader(bytes);
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    for (const issue of err.issues)
      issues.add(issue.code, path(obx, 5, 5), `CDA ${issue.path}: ${issue.message}`);
    return undefined;
  }
}

const same = (a: string | undefined, b: string | undefined): boolean =>
  (a ?? '').trim().toUpperCase() === (b ?? '').trim().toUpperCase();

/** PID-3 / PID-5 / PID-7 / PID-8 against the CDA recordTarget (903 is raised by the header reader). */
function checkPatient(header: CdaHeader, ctx: CdaEntryContext, issues: IssueCollector): void {
  const cda = header.patient;
  const { patient, pid, obx } = ctx;
  if (cda.ins.root !== patient.ins.root || cda.ins.extension !== patient.ins.extension) {
    issues.add('INS_MISMATCH', path(pid, 3), 'the INS differs from the INS of the CDA recordTarget');
    return;
  }
  const cdaPath = 'ClinicalDocument/recordTarget/patientRole/patient';
  const incomplete = (part: string, what: string) =>
    issues.add('INS_INCOMPLETE', path(obx, 5, 5), `CDA ${cdaPath}/${part}: ${what} required with an INS`);
  if (!cda.birthFamilyName) incomplete('name/family[@qualifier="BR"]', 'birth family name');
  if (cda.givenNames.length === 0) incomplete('name/given', 'birth given names');
  if (!cda.birthDate) incomplete('birthTime', 'birth date');
  if (!cda.sex) incomplete('administrativeGenderCode', 'sex');
  const differs = (field: number, what: string) =>
    issues.add('INS_MISMATCH', path(pid, field), `${what} differs from the CDA recordTarget`);
  if (cda.birthFamilyName && !same(cda.birthFamilyName, patient.birthFamilyName))
    differs(5, 'birth family name');
  if (cda.givenNames[0] && !same(cda.givenNames[0], patient.givenNames[0])) differs(5, 'first given name');
  if (cda.birthDate && cda.birthDate !== patient.birthDate) differs(7, 'birth date');
  if (cda.sex && cda.sex !== patient.sex) differs(8, 'sex');
  const ipp = patient.ipp;
  const cdaIpp = ipp && cda.ids.find((id) => id.root === ipp.root);
  if (ipp && cdaIpp && cdaIpp.extension !== ipp.extension) {
    issues.add(
      'INVALID_INPUT',
      path(pid, 3),
      'the IPP differs from the CDA recordTarget id of the same authority',
    );
  }
}

function checkDocument(header: CdaHeader, ctx: CdaEntryContext, issues: IssueCollector): void {
  const data = path(ctx.obx, 5, 5);
  if (!isDmpType(header.typeCode)) {
    issues.add('INVALID_INPUT', data, 'CDA ClinicalDocument/code: not a DMP document type (JDV_J66)');
  }
  if (ctx.typeCode && ctx.typeCode.code !== header.typeCode.code) {
    issues.add(
      'INVALID_INPUT',
      path(ctx.obx, 3, 1),
      'the document type differs from the CDA ClinicalDocument/code',
    );
  }
  if (!header.formatCode) {
    issues.add(
      'INVALID_INPUT',
      data,
      'CDA ClinicalDocument/templateId: unknown document model, no XDS formatCode',
    );
  }
  if (header.id.extension) {
    issues.add(
      'INVALID_INPUT',
      data,
      'CDA ClinicalDocument/id: the DMP accepts a bare OID only (no extension)',
    );
  }
  if (ctx.uniqueId && ctx.uniqueId.value !== header.id.root) {
    issues.add('INVALID_INPUT', ctx.uniqueId.path, 'the unique document number differs from the CDA id');
  }
  const replaced = header.replaces?.root;
  if (ctx.action === 'replace' && !replaced) {
    issues.add(
      'INVALID_INPUT',
      data,
      'CDA ClinicalDocument/relatedDocument: a replacement must name the replaced document (RPLC)',
    );
  } else if (ctx.action === 'replace' && ctx.parentId && ctx.parentId.value !== replaced) {
    issues.add(
      'INVALID_INPUT',
      ctx.parentId.path,
      'the parent document number differs from the CDA relatedDocument',
    );
  } else if (ctx.action === 'new' && replaced) {
    issues.add(
      'HL7_INCONSISTENT_TRIGGER',
      path(ctx.obx, 11),
      'the CDA replaces a document but the request is a new document',
    );
  }
}

/** The DocumentEntry of a carried CDA, or undefined with issues. */
export function cdaEntry(
  bytes: Uint8Array,
  ctx: CdaEntryContext,
  issues: IssueCollector,
): DocumentEntry | undefined {
  const header = readCarriedHeader(bytes, ctx.obx, issues);
  if (!header) return undefined;
  const before = issues.issues.length;
  checkPatient(header, ctx, issues);
  checkDocument(header, ctx, issues);
  const classCode = classCodeForType(header.typeCode);
  if (issues.issues.length > before || !classCode || !header.formatCode) return undefined;
  return {
    id: header.id,
    entryUUID: newEntryUUID(ctx.ids),
    setId: header.setId,
    versionNumber: header.versionNumber,
    title: header.title,
    typeCode: header.typeCode,
    classCode,
    formatCode: header.formatCode,
    healthcareFacilityTypeCode: header.healthcareFacilityTypeCode,
    practiceSettingCode: header.practiceSettingCode,
    confidentiality: header.confidentiality,
    visibility: ctx.visibility,
    creationTime: header.creationTime,
    ...(header.serviceStartTime && { serviceStartTime: header.serviceStartTime }),
    ...(header.serviceStopTime && { serviceStopTime: header.serviceStopTime }),
    languageCode: header.languageCode,
    authors: header.authors,
    ...(header.legalAuthenticator && { legalAuthenticator: header.legalAuthenticator }),
    custodian: header.custodian,
    eventCodes: header.eventCodes,
    referenceIds: [],
    content: { kind: 'cda', bytes },
    ...(header.replaces && { replaces: { uniqueId: header.replaces.root, cdaId: header.replaces } }),
  };
}
