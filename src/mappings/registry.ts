/**
 * The establishment's mapping and rules files, loaded together from one
 * folder (default `mappings/`; every `*.yaml`/`*.yml` directly in it, each
 * saying `kind: mapping` or `kind: rules`). Validated at start with every
 * problem listed as `file:line: path: message`; `reload()` re-reads the
 * folder without a restart and, when anything is wrong, keeps serving the
 * previous good snapshot.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type LoadedRules, loadRules } from '../rules/load.ts';
import { type LoadedMapping, loadMapping } from './load.ts';
import { type FileIssue, formatFileIssue, formatPath, readYaml } from './yaml-source.ts';

/** One consistent set of files. */
export interface Snapshot {
  /** Hash of every file's content (12 hex): changes when any file changes. */
  readonly version: string;
  readonly loadedAt: string;
  readonly mappings: readonly LoadedMapping[];
  readonly rules: readonly LoadedRules[];
}

export interface ReloadResult {
  /** True when the folder was valid and is now in use. */
  readonly ok: boolean;
  /** Every problem, formatted `file:line: path: message`. */
  readonly errors: readonly string[];
  readonly issues: readonly FileIssue[];
  /** Version in use after the call (the previous one when `ok` is false; undefined when none ever loaded). */
  readonly version?: string;
}

/** Which mapping serves a message: the sending application and facility, as the mapping's `appliesTo` names them. */
export interface MappingSelector {
  readonly application?: string;
  readonly facility?: string;
}

/** Reads and checks every file of `dir` (named `<dir>/<file>` in messages). */
export function loadFolder(dir: string, now = new Date()): { snapshot?: Snapshot; issues: FileIssue[] } {
  const issues: FileIssue[] = [];
  const mappings: LoadedMapping[] = [];
  const rules: LoadedRules[] = [];
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort();
  } catch (err) {
    return { issues: [{ file: dir, line: 0, path: '', message: `cannot read: ${(err as Error).message}` }] };
  }
  for (const name of names) {
    const file = join(dir, name);
    let text: string;
    let mtime: Date;
    try {
      [text, mtime] = [readFileSync(file, 'utf8'), statSync(file).mtime];
    } catch (err) {
      issues.push({ file, line: 0, path: '', message: `cannot read: ${(err as Error).message}` });
      continue;
    }
    const kind = (readYaml(file, text).data as { kind?: unknown } | undefined)?.kind;
    if (kind === 'rules') {
      const loaded = loadRules(file, text, mtime);
      if (loaded.ok) rules.push(loaded.value);
      else issues.push(...loaded.issues);
    } else {
      const loaded = loadMapping(file, text, mtime);
      if (loaded.ok) mappings.push(loaded.value);
      else issues.push(...loaded.issues);
    }
  }
  issues.push(...crossCheck(mappings, rules));
  if (issues.length > 0) return { issues };
  const version = createHash('sha256')
    .update([...mappings, ...rules].map((f) => `${f.file}:${f.hash}`).join('\n'))
    .digest('hex')
    .slice(0, 12);
  return { snapshot: { version, loadedAt: now.toISOString(), mappings, rules }, issues };
}

/** Checks across files: unique ids, one default mapping, no claim served twice, one rules file per site. */
function crossCheck(mappings: readonly LoadedMapping[], rules: readonly LoadedRules[]): FileIssue[] {
  const issues: FileIssue[] = [];
  const seen = new Map<string, string>();
  const claim = (key: string, f: LoadedMapping | LoadedRules, path: (string | number)[], what: string) => {
    const other = seen.get(key);
    if (other)
      issues.push({
        file: f.file,
        line: f.lineOf(path),
        path: formatPath(path),
        message: `${what} also in ${other}`,
      });
    else seen.set(key, f.file);
  };
  for (const m of mappings) {
    claim(`mapping-id:${m.data.id}`, m, ['id'], `mapping id ${m.data.id} is`);
    const { applications, facilities, default: isDefault } = m.data.appliesTo;
    if (isDefault) claim('default-mapping', m, ['appliesTo', 'default'], 'default: true is');
    const facilityKey = facilities?.length ? [...facilities].sort().join(',') : '*';
    for (const app of applications ?? [])
      claim(`app:${app}|${facilityKey}`, m, ['appliesTo', 'applications'], `application ${app} is claimed`);
    if (!applications?.length)
      for (const f of facilities ?? [])
        claim(`facility:${f}`, m, ['appliesTo', 'facilities'], `facility ${f} is claimed`);
  }
  for (const r of rules) {
    claim(`rules-id:${r.data.id}`, r, ['id'], `rules id ${r.data.id} is`);
    for (const [i, site] of r.data.sites.entries())
      claim(`site:${site}`, r, ['sites', i], `site ${site} is governed`);
  }
  if (rules.length === 0) return issues; // no CME rules at all: every site is fed under the implicit rules
  // A site the mappings can attribute documents to, that no rules file governs, would be fed under the
  // implicit rules (every document, hard blocks only): the CME's exclusions would not reach it.
  const governed = new Set(rules.flatMap((r) => r.data.sites));
  for (const m of mappings)
    for (const [key, facility] of Object.entries(m.data.facilities))
      if (!governed.has(facility.finess))
        issues.push({
          file: m.file,
          line: m.lineOf(['facilities', key, 'finess']),
          path: formatPath(['facilities', key, 'finess']),
          message: `site ${facility.finess} (${key}) is governed by no rules file: list it in the sites of one`,
        });
  return issues;
}

/** The mapping for `selector`: application and facility both named > application > facility > the default. */
export function selectMapping(
  mappings: readonly LoadedMapping[],
  selector: MappingSelector,
): LoadedMapping | undefined {
  const score = (m: LoadedMapping): number => {
    const { applications, facilities } = m.data.appliesTo;
    const app = selector.application !== undefined && applications?.includes(selector.application);
    const fac = selector.facility !== undefined && facilities?.includes(selector.facility);
    if (applications?.length && !app) return 0;
    if (facilities?.length && !fac) return 0;
    return (app ? 2 : 0) + (fac ? 1 : 0);
  };
  let best: LoadedMapping | undefined;
  let bestScore = 0;
  for (const m of mappings) {
    const s = score(m);
    if (s > bestScore) [best, bestScore] = [m, s];
  }
  return best ?? mappings.find((m) => m.data.appliesTo.default);
}

export class MappingRegistry {
  readonly dir: string;
  #current: Snapshot | undefined;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** The snapshot in use; undefined until a first successful load. */
  get current(): Snapshot | undefined {
    return this.#current;
  }

  /** (Re)reads the folder; on any problem keeps the previous snapshot and returns every error. */
  reload(now = new Date()): ReloadResult {
    const { snapshot, issues } = loadFolder(this.dir, now);
    if (snapshot) this.#current = snapshot;
    return {
      ok: snapshot !== undefined,
      errors: issues.map(formatFileIssue),
      issues,
      ...(this.#current ? { version: this.#current.version } : {}),
    };
  }

  mappingFor(selector: MappingSelector): LoadedMapping | undefined {
    return selectMapping(this.#current?.mappings ?? [], selector);
  }

  /** The rules file governing the site `finess`, if any (else the caller uses IMPLICIT_RULES or refuses). */
  rulesFor(finess: string): LoadedRules | undefined {
    return this.#current?.rules.find((r) => r.data.sites.includes(finess));
  }
}
