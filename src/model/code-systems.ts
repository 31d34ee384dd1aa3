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
];

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
