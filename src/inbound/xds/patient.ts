/**
 * The patient of an ITI-41 request (DOMAIN.md §3; ITI TF-3 §4.2.3.2.16,
 * §4.2.3.2.22–23, §4.2.3.3.7): the INS from the submission set patientId
 * (`matricule^^^&1.2.250.1.213.1.4.8&ISO^NH`, or the NIA / test / demo OIDs),
 * the same on every DocumentEntry; the local IPP from sourcePatientId
 * (`^PI`); the INS traits from the CDA recordTarget when the document is a
 * CDA (the traits the DMP reads in the document; sourcePatientInfo carries
 * the first given name only), else from sourcePatientInfo (PID-5 birth name
 * type L, used name type D, PID-7, PID-8), which also completes the CDA.
 *
 * A patientId that is not an INS is `XDSUnknownPatientId`: the DMP knows its
 * patients by INS only, so such a patient is unknown to this recipient
 * (ITI TF-3 Table 4.2.4.1-2). An INS sent by an XDS source is a qualified
 * identity (the CI-SIS forbids sending an unqualified one), hence `VALI`.
 */
import type { CdaPatient } from '../../cda/header.ts';
import type { Patient, Sex } from '../../model/types.ts';
import { SLOT, XDS } from '../../model/vocabulary.ts';
import { type InsId, insOfCx, parseCx, sameIns } from '../../xds/cx.ts';
import { type RimObject, slotValues } from '../../xds/ebrim-reader.ts';
import { parseSourcePatientInfo } from '../../xds/hl7-read.ts';
import { XDS_ERROR } from '../../xds/registry-errors.ts';
import { type ObjectReader, part } from './rim-reader.ts';

const BIRTH_DATE = /^\d{4}(\d{2}(\d{2})?)?$/;
const SEXES: readonly string[] = ['F', 'M', 'U'];

/** The INS of the submission set; undefined (with an error) when absent or not an INS. */
export function readSubmissionSetIns(ss: ObjectReader): { ins?: InsId; cx?: string } {
  const cx = ss.external(XDS.submissionSet.patientId);
  if (cx === undefined) return {};
  const ins = insOfCx(cx);
  if (!ins) {
    ss.fail(
      part.external(XDS.submissionSet.patientId),
      'is not an INS (<matricule>^^^&<INS OID>&ISO^NH): the DMP knows patients by INS only',
      XDS_ERROR.unknownPatientId,
    );
    return { cx };
  }
  return { ins, cx };
}

/** Every DocumentEntry patientId must be the submission set's (ITI TF-3 §4.2.3.2.16). */
export function checkEntryPatient(entry: ObjectReader, ssCx: string | undefined): void {
  const cx = entry.external(XDS.documentEntry.patientId);
  if (cx !== undefined && ssCx !== undefined && cx !== ssCx) {
    entry.fail(
      part.external(XDS.documentEntry.patientId),
      "(patientId) differs from the submission set's",
      XDS_ERROR.patientIdDoesNotMatch,
    );
  }
}

/**
 * The canonical patient: INS, IPP (sourcePatientId `^PI`), traits from `cda`
 * (recordTarget of the first document, when a CDA) completed by the first
 * entry's sourcePatientInfo.
 */
export function readPatient(
  ins: InsId,
  entry: ObjectReader,
  cda: CdaPatient | undefined,
): Patient | undefined {
  const object: RimObject = entry.object;
  const sourcePatientId = slotValues(object, SLOT.sourcePatientId)[0];
  const source = sourcePatientId === undefined ? undefined : parseCx(sourcePatientId.trim());
  if (sourcePatientId !== undefined && !source) {
    entry.fail(part.slot(SLOT.sourcePatientId), 'must be a CX id^^^&<OID>&ISO^type');
  }
  const sourceIns = source && insOfCx(sourcePatientId as string);
  if (sourceIns && !sameIns(sourceIns, ins)) {
    entry.fail(
      part.slot(SLOT.sourcePatientId),
      'is an INS other than the patientId',
      XDS_ERROR.patientIdDoesNotMatch,
    );
  }
  const info = parseSourcePatientInfo(slotValues(object, SLOT.sourcePatientInfo));
  const birthFamilyName = cda?.birthFamilyName ?? info.birthFamilyName;
  const givenNames = cda && cda.givenNames.length > 0 ? cda.givenNames : info.givenNames;
  const birthDate = cda?.birthDate ?? info.birthDate;
  const sex = cda?.sex ?? info.sex;
  const where = part.slot(SLOT.sourcePatientInfo);
  if (!birthFamilyName || givenNames.length === 0) {
    entry.fail(where, 'needs the INS birth name and given name (PID-5 …^L)');
  }
  if (!birthDate || !BIRTH_DATE.test(birthDate)) entry.fail(where, 'needs the birth date (PID-7 YYYYMMDD)');
  if (!sex || !SEXES.includes(sex)) entry.fail(where, 'needs the sex (PID-8 F, M or U)');
  if (!birthFamilyName || givenNames.length === 0 || !birthDate || !BIRTH_DATE.test(birthDate))
    return undefined;
  if (!sex || !SEXES.includes(sex)) return undefined;
  const usedFamilyName = cda ? cda.usedFamilyName : info.usedFamilyName;
  return {
    ins,
    ...(source && source.type === 'PI' ? { ipp: { root: source.root, extension: source.extension } } : {}),
    birthFamilyName,
    ...(usedFamilyName ? { usedFamilyName } : {}),
    givenNames,
    birthDate,
    sex: sex as Sex,
    ...(cda?.birthPlaceCode ? { birthPlaceCode: cda.birthPlaceCode } : {}),
    identityStatus: 'VALI',
  };
}
