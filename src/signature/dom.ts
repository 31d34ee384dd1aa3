/**
 * The small DOM toolkit the signature verifier uses for its structural checks
 * before the cryptographic ones (one signature, unique ids, no comments in the
 * signature, allowed algorithms). DOCTYPE and entities are refused first.
 */
import { DOMParser, type Document, type Element, type Node } from '@xmldom/xmldom';
import { GatewayError } from '../errors/catalogue.ts';
import { assertNoDoctype } from '../xml/parse.ts';

const ELEMENT_NODE = 1;
const COMMENT_NODE = 8;

/** Throws SIGNATURE_INVALID with one issue. */
export function signatureFailure(path: string, message: string): never {
  throw new GatewayError('SIGNATURE_INVALID', [{ code: 'SIGNATURE_INVALID', path, message }]);
}

/** Parses `xml` into a DOM; malformed XML is SIGNATURE_INVALID, DOCTYPE is UNSAFE_XML. */
export function parseDom(xml: string): Document {
  assertNoDoctype(xml);
  let problems = 0;
  let doc: Document | undefined;
  try {
    doc = new DOMParser({
      onError: (level) => {
        if (level !== 'warning') problems++;
      },
    }).parseFromString(xml, 'text/xml');
  } catch {
    problems++;
  }
  if (problems > 0 || !doc?.documentElement) signatureFailure('/', 'the signed XML is not well-formed');
  return doc;
}

/** Every element under `root` (itself included), in document order. */
export function descendants(root: Node): Element[] {
  const out: Element[] = [];
  const visit = (node: Node): void => {
    if (node.nodeType === ELEMENT_NODE) out.push(node as Element);
    for (let c = node.firstChild; c; c = c.nextSibling) visit(c);
  };
  visit(root);
  return out;
}

/** Elements under `root` with namespace `ns` and local name `name`. */
export function byName(root: Node, ns: string, name: string): Element[] {
  return descendants(root).filter((e) => e.namespaceURI === ns && e.localName === name);
}

/** Direct element children of `parent` with namespace `ns` and local name `name`. */
export function children(parent: Element, ns: string, name: string): Element[] {
  const out: Element[] = [];
  for (let c = parent.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === ELEMENT_NODE && c.namespaceURI === ns && (c as Element).localName === name) {
      out.push(c as Element);
    }
  }
  return out;
}

/** Whether any comment node lies under `root`. */
export function hasComment(root: Node): boolean {
  for (let c = root.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === COMMENT_NODE || hasComment(c)) return true;
  }
  return false;
}

/** Values of the attributes whose local name is in `names`, over the whole document. */
export function idValues(doc: Document, names: ReadonlySet<string>): string[] {
  const values: string[] = [];
  for (const e of descendants(doc)) {
    for (let i = 0; i < e.attributes.length; i++) {
      const a = e.attributes.item(i);
      if (a && names.has(a.localName ?? a.name)) values.push(a.value);
    }
  }
  return values;
}
