/**
 * The rules PDSm 3.1.1 states in prose (invariants without FHIRPath) and the
 * DMP's narrower value sets, written as code with the FHIRPath of each
 * problem: code systems of type/category/format/facilityType/practiceSetting
 * (constr-bind-type, -category, -format, -ProducteurDoc; JDV_J66/J57/J60/J61/
 * J62 of the DMP) and of the SubmissionSet designationType (JDV_J03 / J59).
 */
import type { CodeableConcept } from '@medplum/fhirtypes';
import type { IssueCollector } from '../../errors/catalogue.ts';
import { PDSM_CODE_SYSTEMS, systemToOid } from '../../model/code-systems.ts';
import type { Code } from '../../model/types.ts';
import { OID } from '../../model/vocabulary.ts';

export type BoundElement = keyof typeof PDSM_CODE_SYSTEMS;

/** The subsets of the PDSm systems the DMP accepts (its JDV_J66, J57, J60, J61, J62 value sets). */
export const DMP_CODE_SYSTEMS: Readonly<Record<BoundElement, readonly string[]>> = {
  type: [OID.loinc, OID.treA05Type],
  category: [OID.treA03Class],
  format: [OID.formatCodeScheme, OID.formatCodeComplementaryScheme],
  facilityType: [OID.treR02FacilityType],
  practiceSetting: [OID.treA01PracticeSetting],
  designationType: PDSM_CODE_SYSTEMS.designationType,
};

const NAMES: Readonly<Record<string, string>> = {
  [OID.loinc]: 'LOINC',
  [OID.treA05Type]: 'TRE_A05',
  ASTM: 'TRE_A12 (ASTM)',
  URN: 'TRE_A10 (URN)',
  [OID.treA03Class]: 'TRE_A03',
  [OID.formatCodeScheme]: 'TRE_A11 IheFormatCode',
  [OID.formatCodeComplementaryScheme]: 'TRE_A06 FormatCodeComplementaire',
  '1.2.840.10008.2.6.1': 'TRE_A09 DICOM uid registry',
  [OID.authorSpecialtyAutomaton]: 'TRE_A00 ProducteurDocNonPS',
  [OID.treR02FacilityType]: 'TRE_R02 SecteurActivite',
  [OID.treA01PracticeSetting]: 'TRE_A01 CadreExercice',
  [OID.contentType]: 'TRE_R209 TypeActivite',
};

const names = (oids: readonly string[]) => oids.map((o) => NAMES[o] ?? o).join(', ');

/**
 * The coding of `concept` whose system PDSm allows for `element` and the DMP accepts. Problems are
 * reported on the offending coding; `required` (the profile's cardinality) is reported by the
 * structure validation, so an absent concept is silently undefined here.
 */
export function readBoundCode(
  concept: CodeableConcept | undefined,
  path: string,
  element: BoundElement,
  issues: IssueCollector,
  /** `path` is a Coding (DocumentReference.content.format), not a CodeableConcept. */
  isCoding = false,
): Code | undefined {
  const codings = Array.isArray(concept?.coding) ? concept.coding : [];
  const pdsm: readonly string[] = PDSM_CODE_SYSTEMS[element];
  const dmp = DMP_CODE_SYSTEMS[element];
  for (const coding of codings) {
    const oid = systemToOid(coding?.system);
    if (oid && dmp.includes(oid) && typeof coding.code === 'string' && coding.code)
      return { code: coding.code, codeSystem: oid, displayName: coding.display };
  }
  if (codings.length === 0) return undefined;
  const oid = systemToOid(codings[0]?.system);
  issues.add(
    'INVALID_INPUT',
    isCoding ? `${path}.system` : `${path}.coding[0].system`,
    oid && pdsm.includes(oid)
      ? `${names([oid])} is allowed by PDSm but not by the DMP, which accepts ${names(dmp)}`
      : `${codings[0]?.system ?? '(none)'} is not a code system PDSm allows here (${names(pdsm)})`,
  );
  return undefined;
}
