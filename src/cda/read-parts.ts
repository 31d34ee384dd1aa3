/**
 * Readers of CDA header parts from the plain objects of src/xml/parse.ts
 * (namespace prefixes removed, attributes under `@_`). Each reader returns
 * undefined where the element is absent or null (`nullFlavor`) and reports
 * missing required parts to an {@link IssueCollector} with an XPath-like path.
 */
import type { IssueCollector } from '../errors/catalogue.ts';
import type { Author, Code, InstanceId, Organisation, Person } from '../model/types.ts';
import { OID } from '../model/vocabulary.ts';
import { asArray, attr, textOf, type XmlObject } from '../xml/parse.ts';

/** Child elements named `name` (always an array). */
export function kids(node: unknown, name: string): unknown[] {
  return node !== null && typeof node === 'object' ? asArray((node as XmlObject)[name]) : [];
}

/** The first element along `path` (first occurrence at each step). */
export function first(node: unknown, ...path: string[]): unknown {
  let current = node;
  for (const step of path) current = kids(current, step)[0];
  return current;
}

/** Trimmed text content, undefined when empty. */
export function text(node: unknown): string | undefined {
  const value = textOf(node)?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** An II (`root` + optional `extension`), undefined without root. */
export function instanceId(node: unknown): InstanceId | undefined {
  const root = attr(node, 'root');
  if (root === undefined || root === '') return undefined;
  const extension = attr(node, 'extension');
  return extension === undefined || extension === '' ? { root } : { root, extension };
}

/** A coded value (`code` + `codeSystem`, `displayName` when given). */
export function code(node: unknown): Code | undefined {
  const value = attr(node, 'code');
  const codeSystem = attr(node, 'codeSystem');
  if (!value || !codeSystem) return undefined;
  const displayName = attr(node, 'displayName');
  return displayName ? { code: value, codeSystem, displayName } : { code: value, codeSystem };
}

/** An id whose extension is the national identifier; `idSystem` kept only when not `defaultRoot`. */
function nationalId(node: unknown, defaultRoot: string): { id: string; idSystem?: string } | undefined {
  const ii = instanceId(node);
  if (ii?.extension === undefined) return undefined;
  return ii.root === defaultRoot ? { id: ii.extension } : { id: ii.extension, idSystem: ii.root };
}

/** An organisation (`id` with extension, `name`); issues at `path/id`, `path/name`. */
export function organisation(node: unknown, path: string, issues: IssueCollector): Organisation | undefined {
  const id = nationalId(first(node, 'id'), OID.structureId);
  const name = text(first(node, 'name'));
  if (!id)
    issues.add('INVALID_INPUT', `${path}/id`, 'organisation identifier (root and extension) is missing');
  if (name === undefined) issues.add('INVALID_INPUT', `${path}/name`, 'organisation name is missing');
  return id && name !== undefined ? { ...id, name } : undefined;
}

/** A person from an assigned entity (`id`, `assignedPerson/name`); issues under `path`. */
export function person(entity: unknown, path: string, issues: IssueCollector): Person | undefined {
  const id = nationalId(first(entity, 'id'), OID.personId);
  const name = first(entity, 'assignedPerson', 'name');
  const familyName = text(first(name, 'family'));
  if (!id) issues.add('INVALID_INPUT', `${path}/id`, 'person identifier (root and extension) is missing');
  if (familyName === undefined)
    issues.add('INVALID_INPUT', `${path}/assignedPerson/name/family`, 'family name is missing');
  if (!id || familyName === undefined) return undefined;
  const givenName = text(first(name, 'given'));
  const prefix = text(first(name, 'prefix'));
  return {
    ...id,
    familyName,
    ...(givenName !== undefined && { givenName }),
    ...(prefix !== undefined && { prefix }),
  };
}

/**
 * One `author`: a software (`assignedAuthoringDevice`: softwareName → name,
 * manufacturerModelName → model) or a person (`functionCode` → role,
 * `assignedAuthor/code` → specialty), with its `representedOrganization`.
 */
export function author(node: unknown, path: string, issues: IssueCollector): Author | undefined {
  const assigned = first(node, 'assignedAuthor');
  const base = `${path}/assignedAuthor`;
  const org = organisation(
    first(assigned, 'representedOrganization'),
    `${base}/representedOrganization`,
    issues,
  );
  const device = first(assigned, 'assignedAuthoringDevice');
  if (device !== undefined) {
    const id = nationalId(first(assigned, 'id'), OID.personId);
    const name = text(first(device, 'softwareName'));
    const model = text(first(device, 'manufacturerModelName'));
    if (!id)
      issues.add('INVALID_INPUT', `${base}/id`, 'system author identifier (root and extension) is missing');
    if (name === undefined)
      issues.add('INVALID_INPUT', `${base}/assignedAuthoringDevice/softwareName`, 'software name is missing');
    if (model === undefined) {
      issues.add(
        'INVALID_INPUT',
        `${base}/assignedAuthoringDevice/manufacturerModelName`,
        'model name is missing',
      );
    }
    if (!id || !org || name === undefined || model === undefined) return undefined;
    return { kind: 'system', ...id, name, model, organisation: org };
  }
  const who = person(assigned, base, issues);
  if (!who || !org) return undefined;
  const role = code(first(node, 'functionCode'));
  const specialty = code(first(assigned, 'code'));
  return {
    kind: 'person',
    person: who,
    ...(role && { role }),
    ...(specialty && { specialty }),
    organisation: org,
  };
}

/** Patient identity traits of `recordTarget/patientRole/patient` (all optional). */
export interface PatientTraits {
  /** `family qualifier="BR"` (else the first unqualified `family`). */
  readonly birthFamilyName?: string;
  /** `family qualifier="CL"` or `"SP"`, when it differs from the birth name. */
  readonly usedFamilyName?: string;
  /** Unqualified `given` (the INS list of birth given names, space separated), else `given qualifier="BR"`. */
  readonly givenNames: readonly string[];
  /** `birthTime/@value` as written (`YYYYMMDD`). */
  readonly birthDate?: string;
  readonly sex?: 'F' | 'M' | 'U';
  /** INSEE code of the birth place (`birthplace/place/addr/county`). */
  readonly birthPlaceCode?: string;
}

function byQualifier(parts: unknown[], ...qualifiers: (string | undefined)[]): string | undefined {
  for (const q of qualifiers) {
    const found = parts.find((p) => attr(p, 'qualifier') === q && text(p) !== undefined);
    if (found !== undefined) return text(found);
  }
  return undefined;
}

/** Reads the INS traits of a `patient` element [CI-SIS en-tête, FrPatient]. */
export function patientTraits(patient: unknown): PatientTraits {
  const name = first(patient, 'name');
  const families = kids(name, 'family');
  const givens = kids(name, 'given');
  const birthFamilyName = byQualifier(families, 'BR', undefined);
  const used = byQualifier(families, 'CL', 'SP');
  const list = givens
    .filter((g) => attr(g, 'qualifier') === undefined)
    .flatMap((g) => (text(g) ?? '').split(/\s+/))
    .filter((g) => g !== '');
  const firstGiven = byQualifier(givens, 'BR', 'CL');
  const sex = attr(first(patient, 'administrativeGenderCode'), 'code');
  const birthDate = attr(first(patient, 'birthTime'), 'value');
  const birthPlaceCode = text(first(patient, 'birthplace', 'place', 'addr', 'county'));
  return {
    ...(birthFamilyName !== undefined && { birthFamilyName }),
    ...(used !== undefined && used !== birthFamilyName && { usedFamilyName: used }),
    givenNames: list.length > 0 ? list : firstGiven !== undefined ? [firstGiven] : [],
    ...(birthDate && { birthDate }),
    ...((sex === 'F' || sex === 'M' || sex === 'U') && { sex }),
    ...(birthPlaceCode !== undefined && { birthPlaceCode }),
  };
}
