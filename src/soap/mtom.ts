/**
 * MTOM/XOP packaging of SOAP 1.2 messages: `multipart/related` with the SOAP
 * envelope as `application/xop+xml` root part and each document as a raw
 * binary part referenced by `<xop:Include href="cid:..."/>`.
 * W3C SOAP MTOM §3-4, W3C XOP 1.0 §4-5, RFC 2387 (multipart/related),
 * RFC 2046 §5.1 (boundaries), RFC 2392 (cid: URLs), IHE ITI TF-2x Appendix V.
 *
 * The reader works on bytes: boundaries are found with Buffer searches, the
 * body is never decoded as text, so binary parts come back exactly as sent.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { GatewayError } from '../errors/catalogue.ts';
import { MEDIA_TYPE } from '../model/vocabulary.ts';
import { formatParam, parseMediaType } from './media-type.ts';

/** One MIME part as received. */
export interface MimePart {
  /** Content-ID without its angle brackets (`''` only for a root part that has none). */
  readonly contentId: string;
  /** Content-Type header value (RFC 2045 default `text/plain; charset=us-ascii` when absent). */
  readonly contentType: string;
  /** Headers by lower-cased name (the first of repeated headers). */
  readonly headers: Readonly<Record<string, string>>;
  /** The part's content, transfer-decoded. */
  readonly bytes: Buffer;
}

export interface MtomInput {
  /** The serialised SOAP envelope, with xop:Include elements whose href is {@link xopHref}(contentId). */
  readonly rootXml: string;
  /** SOAP action, repeated as the `action` parameter of the Content-Type (RFC 3902 §6). */
  readonly action: string;
  readonly parts: readonly {
    readonly contentId: string;
    readonly contentType: string;
    readonly bytes: Uint8Array;
  }[];
  /** MIME boundary; random when absent. A given boundary found in the content is an error. */
  readonly boundary?: string;
  /** Content-ID of the root part; random when absent. */
  readonly startId?: string;
}

function fail(path: string, message: string): never {
  throw new GatewayError('INVALID_INPUT', [{ code: 'INVALID_INPUT', path, message }]);
}

/**
 * The `href` of an `xop:Include` pointing at the part with this Content-ID:
 * `cid:` + the URL-encoded id (RFC 2392), with `@` kept as is, as in every
 * IHE sample. {@link contentIdFromHref} reverses it on the reading side.
 */
export function xopHref(contentId: string): string {
  return `cid:${encodeURIComponent(contentId).replace(/%40/g, '@')}`;
}

/** The Content-ID an `xop:Include` href designates (`cid:` removed, URL-decoded; RFC 2392 §2). */
export function contentIdFromHref(href: string, path = 'xop:Include/@href'): string {
  if (!/^cid:/i.test(href)) fail(path, 'an xop:Include href must be a cid: URL');
  try {
    return decodeURIComponent(href.slice(4));
  } catch {
    return fail(path, 'the cid: URL is not correctly URL-encoded');
  }
}

const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;
const CONTENT_ID = /^[\x21-\x3b\x3d\x3f-\x7e]+$/;
const CRLF = '\r\n';

function partHeaders(contentType: string, contentId: string): string {
  if (!CONTENT_ID.test(contentId))
    throw new Error('MIME Content-ID must be printable ASCII without <, > or spaces');
  if (/[^\x20-\x7e]/.test(contentType)) throw new Error('MIME Content-Type must be printable ASCII');
  return `Content-Type: ${contentType}${CRLF}Content-Transfer-Encoding: binary${CRLF}Content-ID: <${contentId}>${CRLF}${CRLF}`;
}

/**
 * Writes an MTOM message (SOAP MTOM §3, ITI TF-2x V.3.3): root part
 * `application/xop+xml` (SOAP 1.2), then each part as raw binary, CRLF line
 * ends. Returns the HTTP Content-Type and body.
 */
export function writeMtom(input: MtomInput): { contentType: string; body: Buffer } {
  const startId = input.startId ?? `root.${randomUUID()}@dmp-gateway`;
  const ids = new Set([startId, ...input.parts.map((p) => p.contentId)]);
  if (ids.size !== input.parts.length + 1) throw new Error('MIME Content-IDs must be unique');
  const root = Buffer.from(input.rootXml, 'utf8');
  const contents = [root, ...input.parts.map((p) => p.bytes)];
  const clashes = (b: string) =>
    contents.some((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength).includes(`--${b}`));
  let boundary = input.boundary ?? '';
  if (input.boundary !== undefined) {
    if (!BOUNDARY.test(boundary)) throw new Error('MIME boundary must be 1-70 characters of RFC 2046 bchars');
    if (clashes(boundary)) throw new Error('MIME boundary occurs in the content');
  } else {
    do boundary = `MIMEBoundary_${randomBytes(24).toString('hex')}`;
    while (clashes(boundary));
  }
  const rootType = `${MEDIA_TYPE.xop}; charset=UTF-8${formatParam('type', MEDIA_TYPE.soap12)}`;
  const chunks: Uint8Array[] = [];
  const add = (contentType: string, contentId: string, bytes: Uint8Array) => {
    chunks.push(Buffer.from(`--${boundary}${CRLF}${partHeaders(contentType, contentId)}`, 'latin1'), bytes);
    chunks.push(Buffer.from(CRLF, 'latin1'));
  };
  add(rootType, startId, root);
  for (const p of input.parts) add(p.contentType, p.contentId, p.bytes);
  chunks.push(Buffer.from(`--${boundary}--${CRLF}`, 'latin1'));
  const contentType =
    MEDIA_TYPE.multipartRelated +
    formatParam('type', MEDIA_TYPE.xop) +
    formatParam('boundary', boundary) +
    formatParam('start', `<${startId}>`) +
    formatParam('start-info', MEDIA_TYPE.soap12) +
    formatParam('action', input.action);
  return { contentType, body: Buffer.concat(chunks) };
}

interface Delimiter {
  /** Where the line break before the delimiter starts (the end of the previous part's content). */
  readonly contentEnd: number;
  /** After the delimiter line (start of the next part). */
  readonly next: number;
  readonly close: boolean;
}

const LF = 0x0a;
const CR = 0x0d;

/** Finds the next delimiter line at or after `from` (RFC 2046 §5.1.1); CRLF or bare LF line ends. */
function findDelimiter(body: Buffer, dash: Buffer, from: number): Delimiter | undefined {
  for (let at = body.indexOf(dash, from); at >= 0; at = body.indexOf(dash, at + 1)) {
    if (at > 0 && body[at - 1] !== LF) continue;
    let i = at + dash.length;
    if (body[i] === 0x2d && body[i + 1] === 0x2d) {
      return { contentEnd: lineStart(body, at, from), next: body.length, close: true };
    }
    while (body[i] === 0x20 || body[i] === 0x09) i++; // transport padding
    if (body[i] === CR) i++;
    if (body[i] === LF) return { contentEnd: lineStart(body, at, from), next: i + 1, close: false };
  }
  return undefined;
}

function lineStart(body: Buffer, at: number, floor: number): number {
  if (at === 0) return 0;
  const start = body[at - 2] === CR ? at - 2 : at - 1;
  return Math.max(start, floor);
}

const MAX_HEADER_BYTES = 16 * 1024;

function parsePart(raw: Buffer, path: string): { headers: Record<string, string>; content: Buffer } {
  const headers: Record<string, string> = {};
  let last: string | undefined;
  for (let pos = 0; ; ) {
    const nl = raw.indexOf(LF, pos);
    if (nl < 0 || nl > MAX_HEADER_BYTES) fail(path, 'headers are not ended by an empty line');
    const line = raw.toString('latin1', pos, raw[nl - 1] === CR && nl > pos ? nl - 1 : nl);
    pos = nl + 1;
    if (line === '') return { headers, content: raw.subarray(pos) };
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      headers[last] = `${headers[last]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) fail(path, `malformed header line "${line.slice(0, 40)}"`);
    const name = line.slice(0, colon).trim().toLowerCase();
    last = name in headers ? undefined : name;
    if (last !== undefined) headers[last] = line.slice(colon + 1).trim();
  }
}

function decodeContent(content: Buffer, encoding: string, path: string): Buffer {
  switch (encoding) {
    case '7bit':
    case '8bit':
    case 'binary':
      return content;
    case 'base64': {
      const text = content.toString('latin1').replace(/\s+/g, '');
      if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text))
        fail(path, 'content is not valid base64');
      return Buffer.from(text, 'base64');
    }
    default:
      return fail(path, `Content-Transfer-Encoding ${encoding} is not supported`);
  }
}

function contentIdOf(value: string | undefined): string {
  return (value ?? '').trim().replace(/^<(.*)>$/, '$1');
}

/**
 * Reads a `multipart/related` (MTOM/XOP) message. `root` is the part named by
 * the `start` parameter, or the first part; `parts` holds every other part by
 * Content-ID (each must have one). Errors are INVALID_INPUT with the path
 * `Content-Type`, `multipart` or `multipart/part[n]` (1-based).
 */
export function readMtom(
  contentType: string,
  body: Buffer,
  limits: { readonly maxParts?: number; readonly maxBytes?: number } = {},
): { root: MimePart; parts: Map<string, MimePart> } {
  const maxParts = limits.maxParts ?? 100;
  const maxBytes = limits.maxBytes ?? 128 * 1024 * 1024;
  const media = parseMediaType(contentType);
  if (media.type !== MEDIA_TYPE.multipartRelated)
    fail('Content-Type', `expected multipart/related, not ${media.type}`);
  const boundary = media.params.get('boundary');
  if (!boundary) return fail('Content-Type', 'no boundary parameter');
  if (body.length > maxBytes) fail('multipart', `the message is larger than ${maxBytes} bytes`);
  const dash = Buffer.from(`--${boundary}`, 'latin1');
  let delimiter = findDelimiter(body, dash, 0);
  if (!delimiter) return fail('multipart', `no opening boundary --${boundary}`);
  if (delimiter.close) fail('multipart', 'no part before the closing boundary');
  const all: MimePart[] = [];
  while (!delimiter.close) {
    const path = `multipart/part[${all.length + 1}]`;
    if (all.length >= maxParts) fail('multipart', `more than ${maxParts} parts`);
    const next = findDelimiter(body, dash, delimiter.next);
    if (!next) return fail('multipart', 'no closing boundary');
    const { headers, content } = parsePart(body.subarray(delimiter.next, next.contentEnd), path);
    const encoding = (headers['content-transfer-encoding'] ?? '7bit').trim().toLowerCase();
    all.push({
      contentId: contentIdOf(headers['content-id']),
      contentType: headers['content-type'] ?? 'text/plain; charset=us-ascii',
      headers,
      bytes: decodeContent(content, encoding, path),
    });
    delimiter = next;
  }
  const start = media.params.get('start');
  const rootIndex = start === undefined ? 0 : all.findIndex((p) => p.contentId === contentIdOf(start));
  if (rootIndex < 0) fail('Content-Type', `no part has the start Content-ID ${start}`);
  const parts = new Map<string, MimePart>();
  all.forEach((part, i) => {
    if (i === rootIndex) return;
    if (part.contentId === '') fail(`multipart/part[${i + 1}]`, 'no Content-ID header');
    if (parts.has(part.contentId) || part.contentId === all[rootIndex]?.contentId) {
      fail(`multipart/part[${i + 1}]`, `Content-ID ${part.contentId} is repeated`);
    }
    parts.set(part.contentId, part);
  });
  return { root: all[rootIndex] as MimePart, parts };
}
