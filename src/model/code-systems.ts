/**
 * FHIR code-system URIs ↔ the OIDs XDS and CDA carry: the one place where
 * the two spellings meet (peer bugs come from `urn:oid:` prefixes and the
 * `https://mos.esante.gouv.fr/NOS/...` systems). Sources: ANS PDSm 3.1.1
 * ConceptMaps, the NOS terminology repository (each TRE's FHIR URL and OID),
 * HL7 terminology (v3 code systems).
 */
import { OID } from './vocabulary.ts';

const NOS = 'https://mos.esante.gouv.fr/NOS';

/** Known FHIR system URI → OID pairs. */
export const SYSTEM_OIDS: ReadonlyArray<readonly [uri: string, oid: string]> = [
  ['http://loinc.org', OID.loinc],
  ['http://snomed.info/sct', '2.16.840.1.113883.6.96'],
  ['http://terminology.hl7.org/CodeSystem/v3-Confidentiality', OID.hl7Confidentiality],
  ['http://terminology.hl7.org/CodeSystem/v3-AdministrativeGender', OID.hl7Gender],
  ['http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode', OID.formatCodeScheme],
  [`${NOS}/TRE_A11-IheFormatCode/FHIR/TRE-A11-IheFormatCode`, OID.formatCodeScheme],
  [`${NOS}/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument`, OID.treA03Class],
  [`${NOS}/TRE_A05-TypeDocComplementaire/FHIR/TRE-A05-TypeDocComplementaire`, OID.treA05Type],
  [`${NOS}/TRE_A07-StatusVisibiliteDocument/FHIR/TRE-A07-StatusVisibiliteDocument`, OID.treA07Visibility],
  [`${NOS}/TRE_A01-CadreExercice/FHIR/TRE-A01-CadreExercice`, OID.treA01PracticeSetting],
  [`${NOS}/TRE_R02-SecteurActivite/FHIR/TRE-R02-SecteurActivite`, OID.treR02FacilityType],
  [`${NOS}/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante`, '1.2.250.1.71.1.2.7'],
  [`${NOS}/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale`, '1.2.250.1.71.4.2.5'],
  // PDSm 3.1.1 constr-bind-format / constr-bind-ProducteurDoc and List designationType (JDV_J03) systems.
  [
    `${NOS}/TRE_A06-FormatCodeComplementaire/FHIR/TRE-A06-FormatCodeComplementaire`,
    OID.formatCodeComplementaryScheme,
  ],
  [`${NOS}/TRE_A00-ProducteurDocNonPS/FHIR/TRE-A00-ProducteurDocNonPS`, OID.authorSpecialtyAutomaton],
  [`${NOS}/TRE_R209-TypeActivite/FHIR/TRE-R209-TypeActivite`, OID.contentType],
  // HL7 FHIR terminology: CIM-10 (ICD-10) for context.event (PDSm constr-bind-context-event).
  ['http://hl7.org/fhir/sid/icd-10', '2.16.840.1.113883.6.3'],
];

/**
 * The CI-SIS code systems PDSm 3.1.1 allows for each DocumentReference / List
 * element (its invariants constr-bind-type, -category, -format,
 * -ProducteurDoc and the designationType definition, which have prose and no
 * FHIRPath), as OIDs; `ASTM` and `URN` are the CI-SIS pseudo-systems of
 * TRE_A12 and TRE_A10.
 */
export const PDSM_CODE_SYSTEMS = {
  type: [OID.treA05Type, OID.loinc, 'ASTM'],
  category: [OID.treA03Class, 'URN'],
  format: [OID.formatCodeComplementaryScheme, OID.formatCodeScheme, '1.2.840.10008.2.6.1', 'URN'],
  facilityType: [OID.authorSpecialtyAutomaton, OID.treR02FacilityType],
  practiceSetting: [OID.authorSpecialtyAutomaton, OID.treA01PracticeSetting],
  designationType: [OID.authorSpecialtyAutomaton, OID.contentType, OID.treR02FacilityType],
} as const satisfies Record<string, readonly string[]>;

/**
 * Identifier namespaces (FHIR `Identifier.system`) that stand for a prefixed
 * national id: FR Core's RPPS system carries the bare RPPS number, the
 * national person id (IDNPS, `1.2.250.1.71.4.2.1`) is `8` + RPPS [CI-SIS;
 * FR Core Practitioner identifier slices].
 */
export const IDENTIFIER_SYSTEMS: ReadonlyArray<readonly [uri: string, oid: string, prefix: string]> = [
  ['https://rpps.esante.gouv.fr', OID.personId, '8'],
  [`urn:oid:${OID.personId}`, OID.personId, ''],
  [`urn:oid:${OID.structureId}`, OID.structureId, ''],
];

/** The national id an identifier stands for (`{ oid, value }` with its type prefix), or undefined. */
export function nationalId(
  system: string | undefined,
  value: string | undefined,
): { oid: string; value: string } | undefined {
  const row = IDENTIFIER_SYSTEMS.find(([uri]) => uri === system);
  return row && value ? { oid: row[1], value: `${row[2]}${value}` } : undefined;
}

const BY_URI = new Map(SYSTEM_OIDS.map(([uri, oid]) => [uri, oid]));
const BY_OID = new Map(SYSTEM_OIDS.map(([uri, oid]) => [oid, uri]));

const OID_PATTERN = /^[0-2](\.(0|[1-9]\d*))+$/;

export function isOid(value: string): boolean {
  return OID_PATTERN.test(value);
}

/** The OID of a FHIR system URI (`urn:oid:` stripped, known URIs mapped), or undefined. */
export function systemToOid(system: string | undefined): string | undefined {
  if (!system) return undefined;
  if (system.startsWith('urn:oid:')) {
    const oid = system.slice('urn:oid:'.length);
    return isOid(oid) ? oid : undefined;
  }
  if (isOid(system)) return system;
  return BY_URI.get(system);
}

/** The FHIR system URI of an OID: a known URI, else `urn:oid:<oid>`. */
export function oidToSystem(oid: string): string {
  return BY_OID.get(oid) ?? `urn:oid:${oid}`;
}

/** The FHIR `Coding.system` of a canonical code system (an OID, or a CI-SIS pseudo-system such as `URN`). */
export function codingSystem(codeSystem: string): string {
  return isOid(codeSystem) ? oidToSystem(codeSystem) : codeSystem;
}
