/**
 * Small readers of FHIR R4 datatypes into canonical values, each reporting
 * problems with the FHIRPath of the offending element.
 */
import type { CodeableConcept, Coding, Identifier, Reference, Resource } from '@medplum/fhirtypes';
import type { IssueCollector } from '../../errors/catalogue.ts';
import { systemToOid } from '../../model/code-systems.ts';
import { uuidToOid } from '../../model/ids.ts';
import type { Code } from '../../model/types.ts';

/** The first coding of a CodeableConcept whose system maps to an OID. */
export function readCode(
  concept: CodeableConcept | undefined,
  path: string,
  issues: IssueCollector,
  required: boolean,
): Code | undefined {
  if (!concept?.coding?.length) {
    if (required) issues.add('INVALID_INPUT', path, 'required');
    return undefined;
  }
  return readCoding(concept.coding, path, issues);
}

export function readCoding(
  codings: readonly Coding[],
  path: string,
  issues: IssueCollector,
): Code | undefined {
  for (const [i, coding] of codings.entries()) {
    const oid = systemToOid(coding.system);
    if (oid && coding.code) return { code: coding.code, codeSystem: oid, displayName: coding.display };
    if (!coding.code) issues.add('INVALID_INPUT', `${path}.coding[${i}].code`, 'required');
    else
      issues.add(
        'INVALID_INPUT',
        `${path}.coding[${i}].system`,
        'unknown code system: give an OID (urn:oid:...) or a known URI',
      );
  }
  return undefined;
}

/** Resolves a local reference (`#id`) to a contained resource of the expected types. */
export function resolveContained<T extends Resource>(
  contained: readonly Resource[] | undefined,
  ref: Reference | undefined,
  types: readonly T['resourceType'][],
): T | undefined {
  const target = ref?.reference;
  if (!target?.startsWith('#')) return undefined;
  const found = contained?.find((r) => r.id === target.slice(1));
  return found && (types as readonly string[]).includes(found.resourceType) ? (found as T) : undefined;
}

/** The value of the identifier whose system is `urn:oid:<oid>` (or the bare OID). */
export function identifierWithOid(
  identifiers: readonly Identifier[] | undefined,
  oids: readonly string[],
): Identifier | undefined {
  return identifiers?.find((id) => {
    const oid = systemToOid(id.system);
    return oid !== undefined && oids.includes(oid) && !!id.value;
  });
}

/** FHIR dateTime/instant → ISO 8601 instant (UTC); undefined when not a full date-time. */
export function toInstant(
  value: string | undefined,
  path: string,
  issues: IssueCollector,
): string | undefined {
  if (!value) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value)) {
    issues.add('INVALID_INPUT', path, 'not a FHIR dateTime');
    return undefined;
  }
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) {
    issues.add('INVALID_INPUT', path, 'not a valid date');
    return undefined;
  }
  return date.toISOString();
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 decoding (whitespace tolerated); undefined + issue when malformed. */
export function decodeBase64(value: string, path: string, issues: IssueCollector): Uint8Array | undefined {
  const compact = value.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
    issues.add('INVALID_INPUT', path, 'not valid base64');
    return undefined;
  }
  return Buffer.from(compact, 'base64');
}

/** The contained resource a local reference (`#id`) points to, with its index in `contained`. */
export function containedTarget(
  contained: readonly Resource[] | undefined,
  ref: Reference | undefined,
): { resource: Resource; index: number } | undefined {
  const target = ref?.reference;
  if (!target?.startsWith('#') || !Array.isArray(contained)) return undefined;
  const index = contained.findIndex((r) => r?.id === target.slice(1));
  const resource = contained[index];
  return resource ? { resource, index } : undefined;
}

/**
 * The identifier a reference carries as a logical reference (`Reference.identifier`) or as a
 * FHIR conditional reference (`Patient?identifier=<system>|<value>`, FHIR R4 §3.1.0.3.2 transaction
 * conditional references, used by PDSm4DMP for the INS).
 */
export function referencedIdentifier(ref: Reference | undefined): Identifier | undefined {
  if (ref?.identifier?.value) return ref.identifier;
  const match = ref?.reference?.match(/^[A-Za-z]+\?identifier=([^|&]*)\|([^&]+)$/);
  if (!match) return undefined;
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return { system: decode(match[1] as string), value: decode(match[2] as string) };
}

/** The document OID of an RFC 3986 identifier value (`urn:oid:<OID>`, or `urn:uuid:` as a 2.25 OID). */
export function uniqueIdOf(value: string | undefined): string | undefined {
  if (value?.startsWith('urn:oid:')) {
    const oid = value.slice('urn:oid:'.length);
    return /^[0-2](\.(0|[1-9]\d*))+$/.test(oid) ? oid : undefined;
  }
  if (value?.startsWith('urn:uuid:')) {
    try {
      return uuidToOid(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
