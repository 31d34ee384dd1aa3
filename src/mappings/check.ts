/**
 * Semantic checks of a mapping file, beyond its schema: every typeCode is a
 * DMP document type (JDV_J66, LOINC or TRE_A05) so its classCode follows
 * from ASS_X16 [DOMAIN.md §3]; every facility a unit or the defaults name
 * exists; the file says which messages it applies to.
 */
import { classCodeForType, isDmpType } from '../model/document-types.ts';
import type { Code } from '../model/types.ts';
import { OID } from '../model/vocabulary.ts';
import type { CodeRef } from './schema.ts';
import { entries, prop } from './validate.ts';
import type { FileIssue, YamlSource } from './yaml-source.ts';

/** Default code systems of the coded fields of mapping files. */
export const DEFAULT_SYSTEM = {
  practiceSetting: OID.treA01PracticeSetting,
  facilityType: OID.treR02FacilityType,
  /** TRE_R38 specialités ordinales [NOS TRE_R38-SpecialiteOrdinale]. */
  specialty: '1.2.250.1.71.4.2.5',
  /** TRE_G15 professions de santé [NOS TRE_G15-ProfessionSante]. */
  role: '1.2.250.1.71.1.2.7',
} as const;

/** A mapping-file code as a canonical Code, with the field's default system. */
export function toCode(ref: CodeRef, defaultSystem: string): Code {
  const code: Code = { code: ref.code, codeSystem: ref.system ?? defaultSystem };
  return ref.displayName ? { ...code, displayName: ref.displayName } : code;
}

/**
 * The DMP type a `types` entry names: with its system when given, else
 * looked up in JDV_J66 as LOINC, then as TRE_A05. Undefined when the code is
 * not a DMP document type. The displayName is the JDV_J66 label (ASS_X16 row).
 */
export function resolveTypeCode(code: string, system?: 'LOINC' | 'TRE_A05'): Code | undefined {
  const systems =
    system === 'LOINC' ? [OID.loinc] : system === 'TRE_A05' ? [OID.treA05Type] : [OID.loinc, OID.treA05Type];
  for (const codeSystem of systems) {
    const candidate = { code, codeSystem };
    if (isDmpType(candidate) && classCodeForType(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Every semantic problem of a mapping file, with its line. Reads the raw
 * data defensively: values of the wrong shape are the schema's to report.
 */
export function checkMapping(data: unknown, source: YamlSource): FileIssue[] {
  const issues: FileIssue[] = [];
  const appliesTo = prop(data, 'appliesTo');
  const listed = (key: string) => {
    const list = prop(appliesTo, key);
    return Array.isArray(list) && list.length > 0;
  };
  if (
    appliesTo !== undefined &&
    prop(appliesTo, 'default') !== true &&
    !listed('applications') &&
    !listed('facilities')
  )
    issues.push(
      source.issue(['appliesTo'], 'name the applications or facilities it applies to, or set default: true'),
    );
  const facilities = new Set(entries(prop(data, 'facilities')).map(([key]) => key));
  const facility = prop(prop(data, 'defaults'), 'facility');
  if (typeof facility === 'string' && !facilities.has(facility))
    issues.push(source.issue(['defaults', 'facility'], `${facility} is not a key of facilities`));
  for (const [key, entry] of entries(prop(data, 'types'))) {
    const typeCode = prop(entry, 'typeCode');
    const system = prop(entry, 'system');
    if (typeof typeCode !== 'string' || (system !== undefined && system !== 'LOINC' && system !== 'TRE_A05'))
      continue;
    if (!resolveTypeCode(typeCode, system)) {
      const where = system ? ` (${system})` : '';
      issues.push(
        source.issue(['types', key, 'typeCode'], `${typeCode}${where} is not a DMP document type (JDV_J66)`),
      );
    }
  }
  for (const [key, unit] of entries(prop(data, 'units'))) {
    const site = prop(unit, 'facility');
    if (typeof site === 'string' && !facilities.has(site))
      issues.push(source.issue(['units', key, 'facility'], `${site} is not a key of facilities`));
  }
  return issues;
}
