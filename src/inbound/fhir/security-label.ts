/**
 * DocumentReference.securityLabel → confidentiality (N/R/V) and the TRE_A07
 * visibility flags (DOMAIN.md §4). PDSm 3.1.1 slices securityLabel into
 * `confidentiality` 1..1 (v3-ConfidentialityClassification) and
 * `visibilityStatus` 0..* (JDV_J110-StatutVisibiliteDocument-CISIS).
 */
import type { DocumentReference } from '@medplum/fhirtypes';
import type { IssueCollector } from '../../errors/catalogue.ts';
import { systemToOid } from '../../model/code-systems.ts';
import type { Confidentiality, Visibility } from '../../model/types.ts';
import { OID, VISIBILITY_CODE } from '../../model/vocabulary.ts';

const LEVELS: readonly string[] = ['N', 'R', 'V'];

/** Reads every label; `strict` (PDSm) requires exactly one N/R/V, else N is the default. */
export function readSecurity(
  doc: DocumentReference,
  base: string,
  issues: IssueCollector,
  strict = false,
): { confidentiality: Confidentiality; visibility: Visibility } {
  const levels: Confidentiality[] = [];
  const flags = new Set<string>();
  const labels = Array.isArray(doc.securityLabel) ? doc.securityLabel : [];
  for (const [i, label] of labels.entries()) {
    for (const [j, coding] of (label?.coding ?? []).entries()) {
      const path = `${base}.securityLabel[${i}].coding[${j}]`;
      const system = systemToOid(coding?.system);
      const code = coding?.code ?? '';
      if ((system === OID.hl7Confidentiality || system === OID.treA07Visibility) && LEVELS.includes(code)) {
        levels.push(code as Confidentiality);
      } else if (system === OID.treA07Visibility && code) {
        const flag = code === 'INVISIBLE_REP_LEGAUX' ? VISIBILITY_CODE.hiddenFromLegalRepresentatives : code;
        if ((Object.values(VISIBILITY_CODE) as string[]).includes(flag)) flags.add(flag);
        else issues.add('INVALID_INPUT', `${path}.code`, `unknown visibility code ${code} (TRE_A07)`);
      } else {
        issues.add('INVALID_INPUT', path, 'expected N/R/V (v3-Confidentiality) or a TRE_A07 visibility code');
      }
    }
  }
  if (strict && levels.length !== 1)
    issues.add(
      'INVALID_INPUT',
      `${base}.securityLabel`,
      `exactly one confidentiality level (N, R or V of v3-Confidentiality) is required (PDSm securityLabel:confidentiality 1..1); found ${levels.length}`,
    );
  return {
    confidentiality: levels[0] ?? 'N',
    visibility: {
      hiddenFromPatient: flags.has(VISIBILITY_CODE.hiddenFromPatient),
      hiddenFromLegalRepresentatives: flags.has(VISIBILITY_CODE.hiddenFromLegalRepresentatives),
      maskedFromProfessionals: flags.has(VISIBILITY_CODE.maskedFromProfessionals),
    },
  };
}
