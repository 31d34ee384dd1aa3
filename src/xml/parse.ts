/**
 * Safe XML parsing for everything the gateway reads (CDA headers, ebRIM,
 * SOAP, RegistryResponse). DOCTYPE and entity declarations are refused before
 * parsing (no XXE, no entity expansion); depth is bounded.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { GatewayError } from '../errors/catalogue.ts';

/** A parsed element: attributes under `@_name`, text under `#text`, children by local name. */
export type XmlObject = { [key: string]: unknown };

export interface ParseOptions {
  /** Element local names that are always arrays even when they occur once. */
  readonly arrays?: readonly string[];
  /** Maximum nesting depth (default 200). */
  readonly maxDepth?: number;
}

const DOCTYPE = /<!DOCTYPE|<!ENTITY/i;

/** Decodes bytes as UTF-8 (dropping a BOM); strings pass through. */
export function xmlText(input: string | Uint8Array): string {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Throws UNSAFE_XML when the document declares a DOCTYPE or entities. */
export function assertNoDoctype(text: string, path = '/'): void {
  if (DOCTYPE.test(text)) {
    throw new GatewayError('UNSAFE_XML', [
      { code: 'UNSAFE_XML', path, message: 'DOCTYPE and entity declarations are not accepted' },
    ]);
  }
}

/**
 * Parses XML into plain objects with namespace prefixes removed. Throws
 * INVALID_INPUT (not well-formed, too deep) or UNSAFE_XML (DOCTYPE/ENTITY).
 */
export function parseXml(input: string | Uint8Array, options: ParseOptions = {}, path = '/'): XmlObject {
  const text = xmlText(input);
  assertNoDoctype(text, path);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new GatewayError('INVALID_INPUT', [
      {
        code: 'INVALID_INPUT',
        path,
        message: `not well-formed XML (line ${valid.err.line}): ${valid.err.msg}`,
      },
    ]);
  }
  const arrays = new Set(options.arrays ?? []);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    htmlEntities: false,
    maxNestedTags: options.maxDepth ?? 200,
    isArray: (name) => arrays.has(name),
  });
  try {
    return parser.parse(text) as XmlObject;
  } catch (err) {
    throw new GatewayError('INVALID_INPUT', [
      { code: 'INVALID_INPUT', path, message: `XML could not be parsed: ${(err as Error).message}` },
    ]);
  }
}

/** Returns `value` as an array (absent → empty). */
export function asArray<T>(value: T | readonly T[] | undefined): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? [...value] : [value as T];
}

/** Text content of a parsed element (string or `#text`). */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && '#text' in value) return String((value as XmlObject)['#text']);
  return undefined;
}

/** Attribute `name` of a parsed element. */
export function attr(value: unknown, name: string): string | undefined {
  if (value && typeof value === 'object') {
    const v = (value as XmlObject)[`@_${name}`];
    return v === undefined ? undefined : String(v);
  }
  return undefined;
}
