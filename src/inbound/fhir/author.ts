/**
 * FHIR author/custodian references (contained Practitioner, PractitionerRole,
 * Device, Organization) → canonical Author / Organisation. A document with no
 * resolvable author is authored by the gateway itself (a system author).
 */
import type {
  CodeableConcept,
  Device,
  Identifier,
  Organization,
  Practitioner,
  PractitionerRole,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { IssueCollector } from '../../errors/catalogue.ts';
import { nationalId } from '../../model/code-systems.ts';
import type { Author, Code, Organisation } from '../../model/types.ts';
import { OID } from '../../model/vocabulary.ts';
import { readCode, resolveContained } from './fhir-values.ts';

export interface AuthorDefaults {
  readonly organisation: Organisation;
  readonly softwareName: string;
  readonly softwareVersion: string;
}

/** The national structure id (`1`+FINESS...) among identifiers. */
function structureId(identifiers: readonly Identifier[] | undefined): string | undefined {
  for (const id of identifiers ?? []) {
    const national = nationalId(id.system, id.value);
    if (national?.oid === OID.structureId) return national.value;
  }
  return undefined;
}

/** Organisation from a contained Organization or a logical reference (identifier + display). */
export function readOrganisation(
  contained: readonly Resource[] | undefined,
  ref: Reference | undefined,
  fallback: Organisation,
): Organisation {
  return findOrganisation(contained, ref) ?? fallback;
}

/** The organisation a reference designates, when it carries a national structure id. */
export function findOrganisation(
  contained: readonly Resource[] | undefined,
  ref: Reference | undefined,
): Organisation | undefined {
  const org = resolveContained<Organization>(contained, ref, ['Organization']);
  const id = org ? structureId(org.identifier) : structureId(ref?.identifier ? [ref.identifier] : []);
  return id ? { id, name: org?.name ?? ref?.display ?? '' } : undefined;
}

/** The gateway itself as author: `<structure id>/<software>` (DOMAIN.md §3). */
export function systemAuthor(defaults: AuthorDefaults): Author {
  return {
    kind: 'system',
    id: `${defaults.organisation.id}/${defaults.softwareName}`,
    name: defaults.softwareName,
    model: defaults.softwareVersion,
    organisation: defaults.organisation,
  };
}

/** The national person id (`8`+RPPS...) of a practitioner or of its role. */
function personId(...identifierLists: (readonly Identifier[] | undefined)[]): string | undefined {
  for (const id of identifierLists.flat()) {
    const national = nationalId(id?.system, id?.value);
    if (national?.oid === OID.personId) return national.value;
  }
  return undefined;
}

/** An optional role/specialty: kept when its system maps to an OID, dropped otherwise (it is not required metadata). */
function optionalCode(concept: CodeableConcept | undefined): Code | undefined {
  return readCode(concept, '', new IssueCollector(), false);
}

/** One author reference with the FHIRPath of the element holding it. */
export interface AuthorRef {
  readonly ref: Reference;
  readonly path: string;
}

/**
 * The first resolvable author. Lenient (`strict` false, POST /fhir/DocumentReference): references
 * that do not resolve to a contained resource are skipped and, without any, the gateway is the author.
 * Strict (ITI-65, MHD Comprehensive: author is contained): each must resolve; none → undefined.
 */
export function readAuthor(
  contained: readonly Resource[] | undefined,
  refs: readonly AuthorRef[],
  defaults: AuthorDefaults,
  issues: IssueCollector,
  options: { readonly strict?: boolean; readonly base?: string } = {},
): Author | undefined {
  const { strict = false, base = 'DocumentReference' } = options;
  let found: Author | undefined;
  for (const { ref, path } of refs) {
    const target = resolveContained<Practitioner | PractitionerRole | Device>(contained, ref, [
      'Practitioner',
      'PractitionerRole',
      'Device',
    ]);
    if (!target) {
      if (strict)
        issues.add(
          'INVALID_INPUT',
          path,
          'must reference a contained Practitioner, PractitionerRole or Device (#id): MHD Comprehensive authors are contained',
        );
      continue;
    }
    const author = readOneAuthor(contained, target, { ref: path, base }, defaults, issues);
    found ??= author;
  }
  return found ?? (strict ? undefined : systemAuthor(defaults));
}

function readOneAuthor(
  contained: readonly Resource[] | undefined,
  target: Practitioner | PractitionerRole | Device,
  paths: { readonly ref: string; readonly base: string },
  defaults: AuthorDefaults,
  issues: IssueCollector,
): Author | undefined {
  if (target.resourceType === 'Device') {
    const name = target.deviceName?.[0]?.name ?? defaults.softwareName;
    return {
      kind: 'system',
      id: `${defaults.organisation.id}/${name}`,
      name,
      model: target.modelNumber ?? '',
      organisation: defaults.organisation,
    };
  }
  const role = target.resourceType === 'PractitionerRole' ? target : undefined;
  const practitioner = role
    ? resolveContained<Practitioner>(contained, role.practitioner, ['Practitioner'])
    : (target as Practitioner);
  const at = (r: Resource | undefined) => `${paths.base}.contained[${contained?.indexOf(r as Resource)}]`;
  const id = personId(practitioner?.identifier, role?.identifier);
  if (!id) {
    issues.add(
      'INVALID_INPUT',
      paths.ref,
      'the author needs a national id: identifier urn:oid:1.2.250.1.71.4.2.1 (8+RPPS) or https://rpps.esante.gouv.fr (RPPS)',
    );
    return undefined;
  }
  const name = practitioner?.name?.[0];
  if (!name?.family)
    issues.add(
      'INVALID_INPUT',
      practitioner ? `${at(practitioner)}.name` : `${at(role)}.practitioner`,
      "the author's Practitioner with a family name is required",
    );
  return {
    kind: 'person',
    person: {
      id,
      familyName: name?.family ?? '',
      givenName: name?.given?.[0],
      prefix: name?.prefix?.[0],
    },
    role: role ? optionalCode(role.code?.[0]) : undefined,
    specialty: role ? optionalCode(role.specialty?.[0]) : undefined,
    organisation: readOrganisation(contained, role?.organization, defaults.organisation),
  };
}
