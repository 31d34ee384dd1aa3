/**
 * A position-keeping, namespace-aware XML scanner for SOAP messages.
 *
 * The SOAP reader must hand out the exact text of some elements (the first
 * Body child, the children of `wsse:Security`) so that they can be validated
 * and their signatures verified on what was received, not on a re-serialised
 * copy. This scanner walks a document that fast-xml-parser's validator has
 * already declared well-formed and records, for each element, where it starts
 * and ends in the text, its resolved namespace (Namespaces in XML 1.0 §5) and
 * its in-scope bindings. Comments, CDATA sections, processing instructions and
 * `>` inside attribute values are skipped as tokens, so they cannot fake an
 * element boundary. DOCTYPE is refused before anything else.
 */
import { XMLValidator } from 'fast-xml-parser';
import { GatewayError } from '../errors/catalogue.ts';
import { assertNoDoctype } from '../xml/parse.ts';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** One element of a scanned document, with its offsets in {@link ScannedElement.source}. */
export interface ScannedElement {
  /** The whole scanned text (shared by every element of the document). */
  readonly source: string;
  /** Qualified name as written (`wsa:Action`). */
  readonly qname: string;
  readonly localName: string;
  /** Namespace name, `''` when the element is in no namespace. */
  readonly namespace: string;
  /** Attributes by qualified name as written, values decoded and normalised (XML 1.0 §3.3.3). */
  readonly attrs: ReadonlyMap<string, string>;
  /** Namespace bindings in scope here, own declarations included (`''` = default namespace). */
  readonly scope: ReadonlyMap<string, string>;
  /** Prefixes declared on this element's own start tag (`''` = default namespace). */
  readonly declared: readonly string[];
  /** Offset of the `<` of the start tag. */
  readonly start: number;
  /** Offset just after the end tag (or after `/>`). */
  readonly end: number;
  readonly children: readonly ScannedElement[];
  /** Character data directly inside the element, as ranges of the source. */
  readonly textRanges: readonly { readonly start: number; readonly end: number; readonly cdata: boolean }[];
}

type Building = {
  -readonly [K in keyof ScannedElement]: K extends 'children'
    ? Building[]
    : K extends 'textRanges'
      ? { start: number; end: number; cdata: boolean }[]
      : ScannedElement[K];
};

function fail(path: string, message: string): never {
  throw new GatewayError('INVALID_INPUT', [{ code: 'INVALID_INPUT', path, message }]);
}

const REFERENCE = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][\w.-]*);/g;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const XML_CHAR = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]$/u;

function decodeReferences(raw: string, path: string): string {
  return raw.replace(REFERENCE, (_m, ref: string) => {
    if (!ref.startsWith('#')) return PREDEFINED[ref] ?? fail(path, `undeclared entity &${ref};`);
    const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    const char = code <= 0x10ffff ? String.fromCodePoint(code) : '';
    return XML_CHAR.test(char) ? char : fail(path, `character reference &${ref}; is not an XML character`);
  });
}

/** Decoded character data directly inside `el` (CDATA included, line ends normalised). */
export function textOf(el: ScannedElement, path = el.qname): string {
  let out = '';
  for (const r of el.textRanges) {
    const raw = el.source.slice(r.start, r.end).replace(/\r\n?/g, '\n');
    out += r.cdata ? raw : decodeReferences(raw, path);
  }
  return out;
}

function splitName(qname: string): [prefix: string, local: string] {
  const i = qname.indexOf(':');
  return i < 0 ? ['', qname] : [qname.slice(0, i), qname.slice(i + 1)];
}

/** The value of the attribute `{namespace}localName` (unprefixed attributes are in no namespace). */
export function attrNS(el: ScannedElement, namespace: string, localName: string): string | undefined {
  for (const [qname, value] of el.attrs) {
    const [prefix, local] = splitName(qname);
    if (local !== localName || prefix === 'xmlns' || (prefix === '' && local === 'xmlns')) continue;
    const ns = prefix === '' ? '' : prefix === 'xml' ? XML_NS : el.scope.get(prefix);
    if (ns === namespace) return value;
  }
  return undefined;
}

/** Child elements of `el` named `{namespace}localName`. */
export function childrenNamed(el: ScannedElement, namespace: string, localName: string): ScannedElement[] {
  return el.children.filter((c) => c.namespace === namespace && c.localName === localName);
}

/** Reads one start tag from `<` at `at`; returns its name, raw attributes, end offset, and self-closing flag. */
function readStartTag(text: string, at: number) {
  let i = at + 1;
  while (i < text.length && !/[\s/>]/.test(text[i] as string)) i++;
  const qname = text.slice(at + 1, i);
  const attrs: [string, string][] = [];
  for (;;) {
    while (/\s/.test(text[i] ?? '')) i++;
    if (text[i] === '>') return { qname, attrs, end: i + 1, empty: false };
    if (text.startsWith('/>', i)) return { qname, attrs, end: i + 2, empty: true };
    const eq = text.indexOf('=', i);
    const name = text.slice(i, eq).trim();
    let q = eq + 1;
    while (/\s/.test(text[q] ?? '')) q++;
    const quote = text[q] as string;
    const close = text.indexOf(quote, q + 1);
    attrs.push([name, text.slice(q + 1, close)]);
    i = close + 1;
  }
}

function openElement(text: string, at: number, parent: Building | undefined, parentPath: string) {
  const tag = readStartTag(text, at);
  const path = `${parentPath}/${tag.qname}`;
  const scope = new Map(parent?.scope ?? []);
  const declared: string[] = [];
  const attrs = new Map<string, string>();
  for (const [name, raw] of tag.attrs) {
    const value = decodeReferences(raw.replace(/\r\n?/g, '\n').replace(/[\t\n]/g, ' '), `${path}/@${name}`);
    attrs.set(name, value);
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      const prefix = name === 'xmlns' ? '' : name.slice(6);
      if (prefix !== '' && value === '') fail(path, `namespace prefix "${prefix}" cannot be undeclared`);
      scope.set(prefix, value);
      declared.push(prefix);
    }
  }
  const [prefix, localName] = splitName(tag.qname);
  const namespace = prefix === 'xml' ? XML_NS : scope.get(prefix);
  if (namespace === undefined) fail(path, `namespace prefix "${prefix}" is not declared`);
  for (const name of attrs.keys()) {
    const [p] = splitName(name);
    if (name.includes(':') && p !== 'xmlns' && p !== 'xml' && !scope.has(p)) {
      fail(`${path}/@${name}`, `namespace prefix "${p}" is not declared`);
    }
  }
  const el: Building = {
    source: text,
    qname: tag.qname,
    localName,
    namespace,
    attrs,
    scope,
    declared,
    start: at,
    end: tag.end,
    children: [],
    textRanges: [],
  };
  return { el, tagEnd: tag.end, empty: tag.empty };
}

/**
 * Scans `text` (already decoded) into elements with offsets. Throws UNSAFE_XML
 * for DOCTYPE/ENTITY, INVALID_INPUT when not well-formed, not namespace-
 * well-formed, or nested deeper than `maxDepth`.
 */
export function scanXml(text: string, path = '/', maxDepth = 200): ScannedElement {
  assertNoDoctype(text, path);
  const valid = XMLValidator.validate(text);
  if (valid !== true) fail(path, `not well-formed XML (line ${valid.err.line}): ${valid.err.msg}`);
  const stack: Building[] = [];
  let root: Building | undefined;
  let pos = 0;
  const here = () => stack.map((e) => `/${e.qname}`).join('');
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    const top = stack.at(-1);
    const textEnd = lt < 0 ? text.length : lt;
    if (top && textEnd > pos) top.textRanges.push({ start: pos, end: textEnd, cdata: false });
    else if (!top && text.slice(pos, textEnd).trim() !== '') fail(path, 'text outside the root element');
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) pos = text.indexOf('-->', lt + 4) + 3;
    else if (text.startsWith('<?', lt)) pos = text.indexOf('?>', lt + 2) + 2;
    else if (text.startsWith('<![CDATA[', lt)) {
      const close = text.indexOf(']]>', lt + 9);
      top?.textRanges.push({ start: lt + 9, end: close, cdata: true });
      pos = close + 3;
    } else if (text[lt + 1] === '/') {
      pos = text.indexOf('>', lt) + 1;
      const done = stack.pop();
      if (done) done.end = pos;
    } else {
      if (root && stack.length === 0) fail(path, 'more than one root element');
      if (stack.length >= maxDepth) fail(here(), `elements nested deeper than ${maxDepth}`);
      const { el, tagEnd, empty } = openElement(text, lt, top, here());
      if (top) top.children.push(el);
      else root = el;
      if (!empty) stack.push(el);
      pos = tagEnd;
    }
  }
  if (!root) fail(path, 'no root element');
  return root;
}
