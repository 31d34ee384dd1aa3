/**
 * Loading one feeding-rules file: YAML → schema → semantic checks (unique
 * rule ids, DMP document types, holds and age bounds that mean something),
 * every problem reported with `file:line`.
 */
import { resolveTypeCode } from '../mappings/check.ts';
import { fileVersion, type LoadedFileInfo, type LoadResult } from '../mappings/load.ts';
import { parseChecked, prop } from '../mappings/validate.ts';
import type { FileIssue, YamlSource } from '../mappings/yaml-source.ts';
import { type RulesFile, rulesFileSchema } from './schema.ts';

export interface LoadedRules extends LoadedFileInfo {
  readonly data: RulesFile;
}

const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/**
 * Every semantic problem of a rules file, with its line. Reads the raw data
 * defensively: values of the wrong shape are the schema's to report.
 */
export function checkRules(data: unknown, source: YamlSource): FileIssue[] {
  const issues: FileIssue[] = [];
  const seen = new Map<string, number>();
  const rules = prop(data, 'rules');
  for (const [i, rule] of (Array.isArray(rules) ? rules : []).entries()) {
    const at = (...path: (string | number)[]) => ['rules', i, ...path];
    const id = prop(rule, 'id');
    const first = typeof id === 'string' ? seen.get(id) : undefined;
    if (first !== undefined)
      issues.push(source.issue(at('id'), `${id} is already the id of rules[${first}]`));
    else if (typeof id === 'string') seen.set(id, i);
    const when = prop(rule, 'when');
    const types = prop(when, 'documentTypes');
    for (const [j, code] of (Array.isArray(types) ? types : []).entries())
      if (typeof code === 'string' && !resolveTypeCode(code))
        issues.push(
          source.issue(at('when', 'documentTypes', j), `${code} is not a DMP document type (JDV_J66)`),
        );
    const age = prop(when, 'age');
    const [under, atLeast] = [num(prop(age, 'under')), num(prop(age, 'atLeast'))];
    if (age !== undefined && under === undefined && atLeast === undefined)
      issues.push(source.issue(at('when', 'age'), 'give under, atLeast or both'));
    if (under !== undefined && atLeast !== undefined && under <= atLeast)
      issues.push(source.issue(at('when', 'age'), `no age is both ≥ ${atLeast} and < ${under}`));
    const effect = prop(rule, 'effect');
    if (effect === 'exclude') continue;
    const hold = prop(rule, 'hold');
    if (hold !== undefined && prop(hold, 'hours') === undefined && prop(hold, 'untilEvent') === undefined)
      issues.push(source.issue(at('hold'), 'give hours, untilEvent or both'));
    if (prop(hold, 'atMostHours') !== undefined && prop(hold, 'untilEvent') === undefined)
      issues.push(source.issue(at('hold', 'atMostHours'), 'only means something with untilEvent'));
    if (effect === 'modify' && hold === undefined && prop(rule, 'visibility') === undefined)
      issues.push(source.issue(at('effect'), 'a modify rule needs a hold or a visibility'));
  }
  return issues;
}

/** Validates the text of a rules file named `file`. Pure (the caller reads the file). */
export function loadRules(file: string, text: string, mtime: Date): LoadResult<LoadedRules> {
  const checked = parseChecked(file, text, rulesFileSchema, checkRules);
  if (!checked.ok) return checked;
  return {
    ok: true,
    value: { file, ...fileVersion(file, text, mtime), lineOf: checked.source.lineOf, data: checked.data },
  };
}
