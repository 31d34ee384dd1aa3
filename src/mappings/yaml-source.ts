/**
 * YAML files with line positions, shared by the mapping and rules loaders.
 * Parsing uses the `yaml` package (eemeli/yaml) because it keeps the source
 * range of every node: any problem found later, by the schema or by a
 * semantic check, is reported as `file:line: path: message`, the way an
 * interface engineer fixes it.
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';

/** One problem in a configuration file, located by line and by the path of the value. */
export interface FileIssue {
  readonly file: string;
  /** 1-based line; 0 when the file could not be read at all. */
  readonly line: number;
  /** Dotted path of the value (`types.CRH.typeCode`, `rules[2].when.units[0]`), empty for the whole file. */
  readonly path: string;
  readonly message: string;
}

export type PathSegment = string | number;

/** `file:line: path: message`, e.g. `mappings/chu-x.yaml:12: types.CRH.typeCode: 99999-9 is not a DMP document type (JDV_J66)`. */
export function formatFileIssue(issue: FileIssue): string {
  return `${issue.file}:${issue.line}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}`;
}

/** `types.CRH.typeCode`, `rules[2].id`. */
export function formatPath(path: readonly PathSegment[]): string {
  return path
    .map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join('');
}

export interface YamlSource {
  readonly file: string;
  /** The plain data (undefined when the YAML itself is broken). */
  readonly data: unknown;
  /** YAML syntax problems (duplicate keys, bad indentation...), each with its line. */
  readonly syntaxIssues: readonly FileIssue[];
  /** Line of the value at `path`, or of its closest existing parent when it is missing. */
  lineOf(path: readonly PathSegment[]): number;
  /** A FileIssue at `path`. */
  issue(path: readonly PathSegment[], message: string): FileIssue;
}

function keyOf(node: unknown): string | undefined {
  return isScalar(node) ? String(node.value) : undefined;
}

/** Parses `text` (the content of `file`), keeping node positions. Never throws. */
export function readYaml(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const lineAt = (offset: number | undefined): number =>
    offset === undefined ? 1 : Math.max(1, lineCounter.linePos(offset).line);
  const syntaxIssues: FileIssue[] = [...doc.errors, ...doc.warnings].map((e) => ({
    file,
    line: e.linePos?.[0].line ?? lineAt(e.pos[0]),
    path: '',
    message: (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, ''),
  }));

  const lineOf = (path: readonly PathSegment[]): number => {
    let node: unknown = doc.contents;
    let offset = (doc.contents as Node | null)?.range?.[0];
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => keyOf(p.key) === String(segment));
        if (!pair) break;
        offset = (pair.key as Node | null)?.range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as Node | undefined;
        if (!item) break;
        offset = item.range?.[0] ?? offset;
        node = item;
      } else break;
    }
    return lineAt(offset);
  };

  return {
    file,
    data: doc.errors.length === 0 ? doc.toJS() : undefined,
    syntaxIssues,
    lineOf,
    issue: (path, message) => ({ file, line: lineOf(path), path: formatPath(path), message }),
  };
}
