/**
 * FHIR Patient (contained in the DocumentReference) → canonical Patient with
 * the INS, the IPP and the INS identity traits (FR Core Patient, INS guide).
 */
import type { Extension, Patient as FhirPatient, HumanName } from '@medplum/fhirtypes';
import type { IssueCollector } from '../../errors/catalogue.ts';
import type { IdentityStatus, Patient, Sex } from '../../model/types.ts';
import { INS_OIDS } from '../../model/vocabulary.ts';
import { identifierWithOid } from './fhir-values.ts';

/** FR Core identity reliability extension (sub-extension `identityStatus`, codes of TRE_R305). */
export const IDENTITY_RELIABILITY_URL =
  'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability';
/** HL7 core extension for the birth place; the INSEE (COG) code travels in `address.extension` or `postalCode`. */
export const BIRTH_PLACE_URL = 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace';
/** FR Core INSEE code of an address. */
export const INSEE_CODE_URL = 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code';

const STATUSES: readonly IdentityStatus[] = ['VALI', 'QUAL', 'RECUP', 'PROV', 'VIDE'];
const SEX: Readonly<Record<string, Sex>> = { female: 'F', male: 'M', other: 'U', unknown: 'U' };

function identityStatus(
  extensions: readonly Extension[] | undefined,
  path: string,
  issues: IssueCollector,
): IdentityStatus {
  const ext = extensions?.find((e) => e.url === IDENTITY_RELIABILITY_URL);
  // Without the extension, an identifier with an INS OID is the sender's statement of a qualified identity.
  if (!ext) return 'VALI';
  const code = ext.extension?.find((e) => e.url === 'identityStatus')?.valueCoding?.code;
  if (code && (STATUSES as readonly string[]).includes(code)) return code as IdentityStatus;
  issues.add(
    'INVALID_INPUT',
    `${path}.extension('${IDENTITY_RELIABILITY_URL}')`,
    `identityStatus must be one of ${STATUSES.join(', ')}`,
  );
  return 'VIDE';
}

function birthPlaceCode(extensions: readonly Extension[] | undefined): string | undefined {
  const address = extensions?.find((e) => e.url === BIRTH_PLACE_URL)?.valueAddress;
  return address?.extension?.find((e) => e.url === INSEE_CODE_URL)?.valueCoding?.code ?? address?.postalCode;
}

function pickName(names: readonly HumanName[] | undefined, use: HumanName['use']): HumanName | undefined {
  return names?.find((n) => n.use === use);
}

/** Maps the contained Patient; `path` is its FHIRPath (e.g. `DocumentReference.contained[0]`). */
export function readPatient(
  patient: FhirPatient | undefined,
  path: string,
  ippAuthority: string,
  issues: IssueCollector,
): Patient | undefined {
  if (!patient) {
    issues.add(
      'MISSING_INS',
      'DocumentReference.subject',
      'must reference a contained Patient (#id) carrying the INS and identity traits',
    );
    return undefined;
  }
  const ins = identifierWithOid(patient.identifier, INS_OIDS);
  if (!ins) issues.add('MISSING_INS', `${path}.identifier`, `no INS (${INS_OIDS.join('/')})`);
  const ipp = identifierWithOid(patient.identifier, [ippAuthority]);
  const official = pickName(patient.name, 'official') ?? patient.name?.[0];
  if (!official?.family)
    issues.add(
      'INS_INCOMPLETE',
      `${path}.name`,
      'birth family name (use=official) required for an INS identity',
    );
  if (!official?.given?.length)
    issues.add('INS_INCOMPLETE', `${path}.name.given`, 'birth given names required for an INS identity');
  if (!patient.birthDate) issues.add('INS_INCOMPLETE', `${path}.birthDate`, 'required for an INS identity');
  if (!patient.gender) issues.add('INS_INCOMPLETE', `${path}.gender`, 'required for an INS identity');
  const status = identityStatus(patient.extension, path, issues);
  if (!ins || !official?.family || !official.given?.length || !patient.birthDate || !patient.gender)
    return undefined;
  const usual = pickName(patient.name, 'usual');
  const insOid = ins.system?.replace(/^urn:oid:/, '') as string;
  return {
    ins: { root: insOid, extension: ins.value as string },
    ipp: ipp?.value ? { root: ippAuthority, extension: ipp.value } : undefined,
    birthFamilyName: official.family,
    usedFamilyName: usual?.family && usual.family !== official.family ? usual.family : undefined,
    givenNames: official.given,
    birthDate: patient.birthDate.replace(/-/g, ''),
    sex: SEX[patient.gender] ?? 'U',
    birthPlaceCode: birthPlaceCode(patient.extension),
    identityStatus: status,
  };
}
