/**
 * Typed XML trees and their one serialiser.
 *
 * Every XML document the gateway emits (CDA, ebRIM, SOAP, SAML, XAdES) is
 * built as a tree of {@link XmlElement} values and turned into text here,
 * once. Text and attribute values are escaped, and characters that XML 1.0
 * forbids (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are removed, so
 * no field value can change the structure of a document.
 *
 * A signed fragment (a SAML assertion, a XAdES signature) must travel byte
 * for byte as it was signed; {@link SignedFragment} carries such text, and
 * can only be made from the output of a signer.
 */

export type XmlAttrs = Readonly<Record<string, string | number | undefined>>;

export interface XmlElement {
  readonly kind: 'element';
  readonly name: string;
  readonly attrs: XmlAttrs;
  readonly children: readonly XmlNode[];
}

export interface XmlText {
  readonly kind: 'text';
  readonly value: string;
}

/** Already-serialised, signed XML that must not be re-serialised. */
export interface SignedFragment {
  readonly kind: 'signed';
  readonly xml: string;
}

export type XmlNode = XmlElement | XmlText | SignedFragment;

/** A child argument: nodes, plain strings (text), or nothing (skipped). */
export type XmlChild = XmlNode | string | number | undefined | null | false | readonly XmlChild[];

function flatten(children: readonly XmlChild[], out: XmlNode[]): XmlNode[] {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (typeof c === 'string' || typeof c === 'number') out.push({ kind: 'text', value: String(c) });
    else if (Array.isArray(c)) flatten(c, out);
    else out.push(c as XmlNode);
  }
  return out;
}

/** Builds an element; attributes whose value is `undefined` are left out. */
export function el(name: string, attrs: XmlAttrs = {}, ...children: XmlChild[]): XmlElement {
  return { kind: 'element', name, attrs, children: flatten(children, []) };
}

/** Wraps the output of a signer so it can be embedded verbatim. */
export function signedFragment(xml: string): SignedFragment {
  return { kind: 'signed', xml: xml.replace(/^<\?xml[^?]*\?>\s*/, '') };
}

// XML 1.0 Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Removes characters that cannot appear in an XML 1.0 document, even escaped. */
export function xmlSafe(value: string): string {
  return value.replace(INVALID_XML_CHARS, '');
}

function escapeText(value: string): string {
  return xmlSafe(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

function escapeAttr(value: string): string {
  return xmlSafe(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?$/;

function write(node: XmlNode, out: string[]): void {
  switch (node.kind) {
    case 'text':
      out.push(escapeText(node.value));
      return;
    case 'signed':
      out.push(node.xml);
      return;
    case 'element': {
      if (!NAME.test(node.name)) throw new Error(`invalid XML element name: ${node.name}`);
      out.push('<', node.name);
      for (const [k, v] of Object.entries(node.attrs)) {
        if (v === undefined) continue;
        if (!NAME.test(k)) throw new Error(`invalid XML attribute name: ${k}`);
        out.push(' ', k, '="', escapeAttr(String(v)), '"');
      }
      if (node.children.length === 0) {
        out.push('/>');
        return;
      }
      out.push('>');
      for (const c of node.children) write(c, out);
      out.push('</', node.name, '>');
      return;
    }
    default: {
      const never: never = node;
      throw new Error(`unknown XML node ${JSON.stringify(never)}`);
    }
  }
}

/** Serialises a tree; with `declaration`, prefixes the UTF-8 XML declaration. */
export function serialize(root: XmlElement, options: { declaration?: boolean } = {}): string {
  const out: string[] = options.declaration ? ['<?xml version="1.0" encoding="UTF-8"?>'] : [];
  write(root, out);
  return out.join('');
}
