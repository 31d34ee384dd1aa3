/**
 * FHIR author/custodian references (contained Practitioner, PractitionerRole,
 * Device, Organization) → canonical Author / Organisation. A document with no
 * resolvable author is authored by the gateway itself (a system author).
 */
import type {
  Device,
  Organization,
  Practitioner,
  PractitionerRole,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import type { IssueCollector } from '../../errors/catalogue.ts';
import { systemToOid } from '../../model/code-systems.ts';
import type { Author, Organisation } from '../../model/types.ts';
import { OID } from '../../model/vocabulary.ts';
import { identifierWithOid, readCode, resolveContained } from './fhir-values.ts';

export interface AuthorDefaults {
  readonly organisation: Organisation;
  readonly softwareName: string;
  readonly softwareVersion: string;
}

/** Organisation from a contained Organization or a logical reference (identifier + display). */
export function readOrganisation(
  contained: readonly Resource[] | undefined,
  ref: Reference | undefined,
  fallback: Organisation,
): Organisation {
  const org = resolveContained<Organization>(contained, ref, ['Organization']);
  const identifier = org ? identifierWithOid(org.identifier, [OID.structureId]) : ref?.identifier;
  const id =
    identifier?.value && systemToOid(identifier.system) === OID.structureId ? identifier.value : undefined;
  if (!id) return fallback;
  return { id, name: org?.name ?? ref?.display ?? fallback.name };
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

export function readAuthor(
  contained: readonly Resource[] | undefined,
  refs: readonly Reference[] | undefined,
  defaults: AuthorDefaults,
  issues: IssueCollector,
): Author {
  for (const [i, ref] of (refs ?? []).entries()) {
    const path = `DocumentReference.author[${i}]`;
    const target = resolveContained<Practitioner | PractitionerRole | Device>(contained, ref, [
      'Practitioner',
      'PractitionerRole',
      'Device',
    ]);
    if (!target) continue;
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
    const nationalId = identifierWithOid(practitioner?.identifier, [OID.personId]);
    if (!practitioner || !nationalId?.value) {
      issues.add(
        'INVALID_INPUT',
        `${path}`,
        'the author Practitioner needs an identifier with system urn:oid:1.2.250.1.71.4.2.1 (8+RPPS)',
      );
      continue;
    }
    const name = practitioner.name?.[0];
    if (!name?.family) issues.add('INVALID_INPUT', `${path}: Practitioner.name.family`, 'required');
    return {
      kind: 'person',
      person: {
        id: nationalId.value,
        familyName: name?.family ?? '',
        givenName: name?.given?.[0],
        prefix: name?.prefix?.[0],
      },
      role: role ? readCode(role.code?.[0], `${path}: PractitionerRole.code`, issues, false) : undefined,
      specialty: role
        ? readCode(role.specialty?.[0], `${path}: PractitionerRole.specialty`, issues, false)
        : undefined,
      organisation: readOrganisation(contained, role?.organization, defaults.organisation),
    };
  }
  return systemAuthor(defaults);
}
