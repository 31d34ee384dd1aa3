/**
 * The patient of a DocumentReference → canonical Patient with the INS, the IPP
 * and the INS identity traits (FR Core Patient, INS guide).
 */
import type {
  DocumentReference,
  Extension,
  Patient as FhirPatient,
  HumanName,
  Identifier,
  Reference,
} from '@medplum/fhirtypes';
import type { IssueCollector } from '../../errors/catalogue.ts';
import { systemToOid } from '../../model/code-systems.ts';
import { own } from '../../model/own.ts';
import type { IdentityStatus, InstanceId, Patient, Sex } from '../../model/types.ts';
import { INS_OIDS } from '../../model/vocabulary.ts';
import { containedTarget, identifierWithOid, referencedIdentifier } from './fhir-values.ts';

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
  const ext = Array.isArray(extensions)
    ? extensions.find((e: Extension) => e?.url === IDENTITY_RELIABILITY_URL)
    : undefined;
  // Without the extension, an identifier with an INS OID is the sender's statement of a qualified identity.
  if (!ext) return 'VALI';
  const parts: Extension[] = Array.isArray(ext.extension) ? ext.extension : [];
  const code = parts.find((e) => e?.url === 'identityStatus')?.valueCoding?.code;
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

/** The INS among a resource's identifiers, as `{ root, extension }`. */
function insOf(
  identifiers: readonly Identifier[] | undefined,
): (InstanceId & { extension: string }) | undefined {
  const ins = identifierWithOid(identifiers, INS_OIDS);
  return ins?.value ? { root: systemToOid(ins.system) as string, extension: ins.value } : undefined;
}

interface Located {
  readonly patient: FhirPatient;
  readonly path: string;
}

function containedPatient(
  doc: DocumentReference,
  ref: Reference | undefined,
  base: string,
): Located | undefined {
  const found = containedTarget(doc.contained, ref);
  return found?.resource.resourceType === 'Patient'
    ? { patient: found.resource as FhirPatient, path: `${base}.contained[${found.index}]` }
    : undefined;
}

/**
 * The identity status a contained Patient (subject, else context.sourcePatientInfo) states, when the
 * document carries one: a ready-made CDA cannot say it, and an identity that is not qualified must not
 * be sent with its INS (DOMAIN.md §3).
 */
export function statedIdentityStatus(
  doc: DocumentReference,
  base: string,
  issues: IssueCollector,
): IdentityStatus | undefined {
  const located =
    containedPatient(doc, doc.subject, base) ?? containedPatient(doc, doc.context?.sourcePatientInfo, base);
  return located && identityStatus(located.patient.extension, located.path, issues);
}

/**
 * The patient of a DocumentReference (XDS patientId = INS, sourcePatientInfo = the INS identity
 * traits). The INS comes from `subject`: a contained Patient (`#id`), a logical reference
 * (`subject.identifier`) or a conditional reference `Patient?identifier=urn:oid:<INS OID>|<matricule>`
 * (PDSm4DMP). The traits come from the contained subject, else from the contained
 * `context.sourcePatientInfo` (IHE MHD; PDSm: "cette même ressource est référencée depuis
 * context.sourcePatientInfo"), whose INS, when present, must be the same. `base` is the FHIRPath of the
 * DocumentReference.
 */
export function readSubject(
  doc: DocumentReference,
  base: string,
  ippAuthority: string,
  issues: IssueCollector,
  needTraits = true,
): { readonly ins?: InstanceId & { readonly extension: string }; readonly patient?: Patient } {
  const subject = containedPatient(doc, doc.subject, base);
  const info = containedPatient(doc, doc.context?.sourcePatientInfo, base);
  const referenced = referencedIdentifier(doc.subject);
  const ins = subject ? insOf(subject.patient.identifier) : referenced && insOf([referenced]);
  if (!doc.subject) {
    issues.add(
      'MISSING_INS',
      `${base}.subject`,
      'required: a contained Patient (#id) or a reference by INS (Patient?identifier=urn:oid:<INS OID>|<matricule>)',
    );
  } else if (!ins) {
    issues.add(
      'MISSING_INS',
      subject ? `${subject.path}.identifier` : `${base}.subject`,
      subject || referenced
        ? `no INS (${INS_OIDS.join('/')})`
        : 'the gateway holds no Patient resources: give the INS in the reference (identifier, or Patient?identifier=urn:oid:<INS OID>|<matricule>) or as a contained Patient',
    );
  }
  const infoIns = info && insOf(info.patient.identifier);
  if (ins && infoIns && (infoIns.root !== ins.root || infoIns.extension !== ins.extension))
    issues.add('INS_MISMATCH', `${info.path}.identifier`, 'the INS differs from the one of subject');
  if (!needTraits) return { ins };
  const traits = subject?.patient.name || !info ? subject : info;
  if (!traits) {
    issues.add(
      'INS_INCOMPLETE',
      `${base}.context.sourcePatientInfo`,
      'the INS identity traits (birth name, given names, birth date, sex) are required: give them in a contained Patient (subject or context.sourcePatientInfo)',
    );
    return { ins };
  }
  return { ins, patient: readTraits(traits, ins, ippAuthority, issues) };
}

function readTraits(
  { patient, path }: Located,
  ins: (InstanceId & { extension: string }) | undefined,
  ippAuthority: string,
  issues: IssueCollector,
): Patient | undefined {
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
  return {
    ins,
    ipp: ipp?.value ? { root: ippAuthority, extension: ipp.value } : undefined,
    birthFamilyName: official.family,
    usedFamilyName: usual?.family && usual.family !== official.family ? usual.family : undefined,
    givenNames: official.given,
    birthDate: patient.birthDate.replace(/-/g, ''),
    sex: own(SEX, patient.gender) ?? 'U',
    birthPlaceCode: birthPlaceCode(patient.extension),
    identityStatus: status,
  };
}
