/**
 * Bytes of an HL7 v2 message → its text [HL7 v2.5 §2.5 (message
 * construction), §2.15.9.18 MSH-18 character set; VOLET-HL7
 * profils-messages.md MSH-18 `UNICODE UTF-8` or `8859/15`]. The character set
 * is read from MSH-18 in the raw first segment (MSH is ASCII up to there),
 * a UTF-8 byte order mark is dropped, and CR, LF or CRLF between segments all
 * become CR, the HL7 segment terminator. Control characters other than the
 * segment terminator are refused: they are binary content, not text.
 */
import { GatewayError, type Issue } from '../../errors/catalogue.ts';
import { type Charset, decodeBytes, isControl } from './escape.ts';

export { type Charset, type EncodingChars, escapeHl7, STANDARD_ENCODING, unescapeHl7 } from './escape.ts';

export interface DecodedMessage {
  /** Segments separated by CR, no empty segments, no trailing CR. */
  readonly text: string;
  readonly charset: Charset;
  /** MSH-18 as declared (first repetition, first component), or empty. */
  readonly declaredCharset: string;
}

/** MSH-18 values (HL7 table 0211) → decoder; an absent MSH-18 is read as UTF-8, of which ASCII is a subset. */
const CHARSETS: Readonly<Record<string, Charset>> = {
  '': 'utf-8',
  ASCII: 'ascii',
  'UNICODE UTF-8': 'utf-8',
  '8859/1': 'iso-8859-1',
  '8859/15': 'iso-8859-15',
};

/** MSH-18 value written for each charset (the gateway's ACKs echo the sender's). */
export const MSH18: Readonly<Record<Charset, string>> = {
  'utf-8': 'UNICODE UTF-8',
  ascii: 'ASCII',
  'iso-8859-1': '8859/1',
  'iso-8859-15': '8859/15',
};

/** The decoder of an MSH-18 value (HL7 table 0211), or undefined when the gateway does not support it. */
export function charsetOf(msh18: string): Charset | undefined {
  return CHARSETS[msh18.trim().toUpperCase()];
}

function fail(code: Issue['code'], path: string, message: string): never {
  throw new GatewayError(code, [{ code, path, message }]);
}

/** The raw first segment (bytes up to the first CR or LF), as Latin-1 text: its ASCII part is exact. */
function firstSegment(bytes: Uint8Array): string {
  let end = 0;
  while (end < bytes.length && bytes[end] !== 0x0d && bytes[end] !== 0x0a) end++;
  return Buffer.from(bytes.subarray(0, end)).toString('latin1');
}

/** MSH-18 read from the raw MSH segment (delimiters from MSH-1 and MSH-2). */
function declaredCharset(msh: string): string {
  const fieldSep = msh.charAt(3);
  const fields = msh.split(fieldSep);
  const componentSep = fields[1]?.charAt(0) || '^';
  const repetitionSep = fields[1]?.charAt(1) || '~';
  // fields[0] is "MSH", fields[1] is MSH-2: MSH-n is fields[n - 1].
  const value = fields[17] ?? '';
  return (value.split(repetitionSep)[0] ?? '').split(componentSep)[0]?.trim() ?? '';
}

function stripBom(bytes: Uint8Array): Uint8Array {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
}

/** True when a segment holds a control character other than TAB. */
function hasControl(segment: string): boolean {
  for (let i = 0; i < segment.length; i++) {
    const ch = segment.charAt(i);
    if (ch !== '\t' && isControl(ch)) return true;
  }
  return false;
}

/**
 * Decodes one message. Throws GatewayError: HL7_SEGMENT_SEQUENCE when the
 * bytes do not start with an MSH segment, HL7_TABLE_VALUE at `MSH[1]-18` for
 * an unknown character set, HL7_DATA_TYPE when the bytes are not valid in the
 * declared character set or hold control characters (binary content).
 */
export function decodeHl7(input: Uint8Array): DecodedMessage {
  let bytes = stripBom(input);
  let start = 0;
  while (start < bytes.length && (bytes[start] === 0x0d || bytes[start] === 0x0a)) start++;
  bytes = bytes.subarray(start);
  const msh = firstSegment(bytes);
  if (!/^MSH[^A-Za-z0-9\s]/.test(msh)) {
    fail('HL7_SEGMENT_SEQUENCE', 'MSH[1]', 'the message does not start with an MSH segment');
  }
  const declared = declaredCharset(msh);
  const charset = charsetOf(declared);
  if (charset === undefined) {
    fail(
      'HL7_TABLE_VALUE',
      'MSH[1]-18',
      `character set "${declared.slice(0, 40)}" is not supported (UNICODE UTF-8, 8859/15, 8859/1 or ASCII)`,
    );
  }
  if (charset === 'ascii' && bytes.some((b) => b > 0x7f)) {
    fail('HL7_DATA_TYPE', 'MSH[1]-18', 'MSH-18 declares ASCII but the message holds non-ASCII bytes');
  }
  let text: string;
  try {
    text = decodeBytes(bytes, charset, true);
  } catch {
    fail(
      'HL7_DATA_TYPE',
      'MSH[1]-18',
      `the message is not valid ${declared || 'UTF-8 (MSH-18 is empty)'} text`,
    );
  }
  const segments = text.split(/\r\n|\r|\n/).filter((s) => s.length > 0);
  for (const [i, segment] of segments.entries()) {
    if (hasControl(segment)) {
      const name = /^[A-Z][A-Z0-9]{2}$/.test(segment.slice(0, 3)) ? segment.slice(0, 3) : `segment ${i + 1}`;
      fail('HL7_DATA_TYPE', name, 'control characters (binary content) are not allowed in a message');
    }
  }
  return { text: segments.join('\r'), charset, declaredCharset: declared };
}

const LATIN9_EXTRA: Readonly<Record<string, number>> = {
  '€': 0xa4,
  Š: 0xa6,
  š: 0xa8,
  Ž: 0xb4,
  ž: 0xb8,
  Œ: 0xbc,
  œ: 0xbd,
  Ÿ: 0xbe,
};
const LATIN9_REPLACED = new Set([0xa4, 0xa6, 0xa8, 0xb4, 0xb8, 0xbc, 0xbd, 0xbe]);

/** Encodes a message the gateway wrote in `charset`; characters the charset lacks become `?`. */
export function encodeHl7(text: string, charset: Charset): Uint8Array {
  if (charset === 'utf-8') return new TextEncoder().encode(text);
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0x3f;
    const latin9 = charset === 'iso-8859-15' ? LATIN9_EXTRA[ch] : undefined;
    if (latin9 !== undefined) out.push(latin9);
    else if (code < 0x80 || (charset !== 'ascii' && code < 0x100)) {
      out.push(charset === 'iso-8859-15' && LATIN9_REPLACED.has(code) ? 0x3f : code);
    } else out.push(0x3f);
  }
  return Uint8Array.from(out);
}
