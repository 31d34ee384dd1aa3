/**
 * HL7 v2 escape sequences [HL7 v2.5 §2.7 "Use of escape sequences in text
 * fields"]: `\F\ \S\ \T\ \R\ \E\` stand for the delimiters, `\Xhh…\` for
 * bytes given in hexadecimal (in the message character set), `\.br\` for a
 * line break. Values are split on delimiters first and unescaped last, so an
 * escaped delimiter never splits anything.
 */

/** The delimiters of a message (MSH-1 and MSH-2). */
export interface EncodingChars {
  readonly field: string;
  readonly component: string;
  readonly repetition: string;
  readonly escape: string;
  readonly subcomponent: string;
}

/** `|^~\&`, the delimiters every message this gateway writes uses. */
export const STANDARD_ENCODING: EncodingChars = {
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
};

/** Character sets of MSH-18 the gateway reads and writes (WHATWG encoding names, `iso-8859-1` as true Latin-1). */
export type Charset = 'utf-8' | 'iso-8859-1' | 'iso-8859-15' | 'ascii';

/** Decodes bytes in `charset` (ISO 8859-1 byte for byte: WHATWG maps `latin1` to windows-1252). */
export function decodeBytes(bytes: Uint8Array, charset: Charset, fatal = false): string {
  if (charset === 'iso-8859-1') return Buffer.from(bytes).toString('latin1');
  if (charset === 'ascii' || charset === 'utf-8') return new TextDecoder('utf-8', { fatal }).decode(bytes);
  return new TextDecoder(charset, { fatal }).decode(bytes);
}

const HEX = /^(?:[0-9A-Fa-f]{2})+$/;

/** Formatting commands of formatted text (FT) that carry no character [HL7 v2.5 §2.7.6]. */
const DROPPED = new Set(['H', 'N', '.fi', '.nf']);

function sequence(body: string, enc: EncodingChars, charset: Charset): string | undefined {
  switch (body) {
    case 'F':
      return enc.field;
    case 'S':
      return enc.component;
    case 'T':
      return enc.subcomponent;
    case 'R':
      return enc.repetition;
    case 'E':
      return enc.escape;
    case '.br':
    case '.sp':
      return '\n';
  }
  if (DROPPED.has(body) || /^\.(in|ti|sk|ce)[+-]?\d*$/.test(body)) return '';
  if (body.startsWith('X') && HEX.test(body.slice(1))) {
    return decodeBytes(Buffer.from(body.slice(1), 'hex'), charset);
  }
  return undefined;
}

/**
 * Decodes the escape sequences of one leaf value (a field, component or
 * subcomponent already split on delimiters). Unknown or unterminated
 * sequences are kept as written.
 */
export function unescapeHl7(value: string, enc: EncodingChars, charset: Charset): string {
  if (!value.includes(enc.escape)) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const start = value.indexOf(enc.escape, i);
    if (start < 0) break;
    const end = value.indexOf(enc.escape, start + 1);
    if (end < 0) break;
    out += value.slice(i, start);
    const decoded = sequence(value.slice(start + 1, end), enc, charset);
    out += decoded ?? value.slice(start, end + 1);
    i = end + 1;
  }
  return out + value.slice(i);
}

/** C0 control characters and DEL. */
export function isControl(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
}

/**
 * Escapes a text value for a field of a message written with `enc`: the
 * escape character first, then the delimiters; line breaks become `\.br\`
 * and other control characters `\Xhh\` (their UTF-8 bytes), so a value can
 * never open a field, component or segment of its own.
 */
export function escapeHl7(value: string, enc: EncodingChars = STANDARD_ENCODING): string {
  const table = new Map<string, string>([
    [enc.escape, 'E'],
    [enc.field, 'F'],
    [enc.component, 'S'],
    [enc.subcomponent, 'T'],
    [enc.repetition, 'R'],
  ]);
  let out = '';
  const text = value.replace(/\r\n?/g, '\n');
  for (const ch of text) {
    const name = table.get(ch);
    if (name !== undefined) out += `${enc.escape}${name}${enc.escape}`;
    else if (ch === '\n') out += `${enc.escape}.br${enc.escape}`;
    else if (isControl(ch)) {
      out += `${enc.escape}X${Buffer.from(ch, 'utf-8').toString('hex').toUpperCase()}${enc.escape}`;
    } else out += ch;
  }
  return out;
}
