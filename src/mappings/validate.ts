/**
 * Schema validation of a YAML configuration file: the zod schema (mirrored
 * by the published JSON Schema, see json-schema.ts) and the file's own
 * semantic checks both report every problem with its line.
 */
import type { z } from 'zod';
import { type FileIssue, type PathSegment, readYaml, type YamlSource } from './yaml-source.ts';

/** Every zod issue as a FileIssue; an unknown key is reported on the key's own line. */
export function schemaIssues(source: YamlSource, error: z.ZodError): FileIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.filter((p): p is PathSegment => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => source.issue([...path, key], 'unknown setting (misspelt?)'));
    }
    const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
    return [source.issue(path, missing ? 'required' : issue.message)];
  });
}

export type Checked<T> =
  | { readonly ok: true; readonly data: T; readonly source: YamlSource }
  | { readonly ok: false; readonly issues: readonly FileIssue[] };

/** A plain object's entries, or none: semantic checks read data the schema may have refused. */
export function entries(value: unknown): [string, unknown][] {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : [];
}

/** The property `key` of a plain object, else undefined. */
export function prop(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Parses `text` as YAML, validates it with `schema` and runs `check`
 * (semantic rules a schema cannot say) on the same data, even where the
 * schema failed elsewhere, so one run lists every problem, ordered by line.
 * `check` must therefore read its input defensively ({@link prop}, {@link entries}).
 */
export function parseChecked<S extends z.ZodType>(
  file: string,
  text: string,
  schema: S,
  check: (data: unknown, source: YamlSource) => FileIssue[],
): Checked<z.output<S>> {
  const source = readYaml(file, text);
  if (source.syntaxIssues.length > 0 && source.data === undefined)
    return { ok: false, issues: source.syntaxIssues };
  const parsed = schema.safeParse(source.data);
  const issues = [
    ...source.syntaxIssues,
    ...(parsed.success ? [] : schemaIssues(source, parsed.error)),
    ...check(source.data, source),
  ].sort((a, b) => a.line - b.line);
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, data: parsed.data, source };
}
