/**
 * Loading one mapping file: YAML → schema → semantic checks, every problem
 * reported with `file:line`. A loaded file carries a version (content hash +
 * modification time) that each submission records, so a decision can be
 * traced to the exact file that produced it.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { checkMapping } from './check.ts';
import { type MappingFile, mappingFileSchema } from './schema.ts';
import { parseChecked } from './validate.ts';
import type { FileIssue, PathSegment } from './yaml-source.ts';

/** What every loaded configuration file (mapping or rules) says about itself. */
export interface LoadedFileInfo {
  /** The file as named in messages and lineage, e.g. `mappings/chu-demo.yaml`. */
  readonly file: string;
  /** `<name>#<first 12 hex of SHA-256 of the content>@<mtime ISO>`, e.g. `chu-demo.yaml#3f2a9c1b7d4e@2025-01-31T10:00:00.000Z`. */
  readonly version: string;
  /** SHA-256 (hex) of the file content: equal hashes mean identical files. */
  readonly hash: string;
  /** Line of a value, for lineage and rule references. */
  readonly lineOf: (path: readonly PathSegment[]) => number;
}

export interface LoadedMapping extends LoadedFileInfo {
  readonly data: MappingFile;
}

export type LoadResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly FileIssue[] };

/** Version string of a file: content hash (what matters) and mtime (what a human recognises). */
export function fileVersion(file: string, text: string, mtime: Date): { version: string; hash: string } {
  const hash = createHash('sha256').update(text).digest('hex');
  return { hash, version: `${basename(file)}#${hash.slice(0, 12)}@${mtime.toISOString()}` };
}

/** Validates the text of a mapping file named `file`. Pure (the caller reads the file). */
export function loadMapping(file: string, text: string, mtime: Date): LoadResult<LoadedMapping> {
  const checked = parseChecked(file, text, mappingFileSchema, checkMapping);
  if (!checked.ok) return checked;
  return {
    ok: true,
    value: { file, ...fileVersion(file, text, mtime), lineOf: checked.source.lineOf, data: checked.data },
  };
}
