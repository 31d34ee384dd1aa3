/**
 * A small HL7 v2 ER7 parser [HL7 v2.5 §2.5–2.7]: segments split on CR, fields
 * on MSH-1, repetitions, components and subcomponents on MSH-2; values are
 * kept raw and unescaped only when read, so escaped delimiters never split.
 * Written here rather than taken from @medplum/core because its Hl7Message
 * does not decode escape sequences and the gateway must name the exact
 * segment occurrence, field, repetition and component of every error.
 */
import { GatewayError } from '../../errors/catalogue.ts';
import { decodeHl7 } from './decode.ts';
import { type Charset, type EncodingChars, escapeHl7, STANDARD_ENCODING, unescapeHl7 } from './escape.ts';

export interface Segment {
  readonly name: string;
  /** 1-based occurrence of this segment name in the message (`OBX[2]`). */
  readonly occurrence: number;
  /** Raw fields; index = field number (for MSH, [1] is MSH-1 and [2] MSH-2). */
  readonly fields: readonly string[];
}

export interface Hl7Message {
  readonly encoding: EncodingChars;
  readonly charset: Charset;
  readonly declaredCharset: string;
  readonly segments: readonly Segment[];
}

/** Location of a value: `SEG[n]-f`, `SEG[n]-f[r]` (r 1-based, when not the first), `.c`, `.c.s`. */
export function path(seg: Segment, field: number, component?: number, sub?: number, rep = 1): string {
  const r = rep > 1 ? `[${rep}]` : '';
  const c = component === undefined ? '' : `.${component}`;
  const s = sub === undefined ? '' : `.${sub}`;
  return `${seg.name}[${seg.occurrence}]-${field}${r}${c}${s}`;
}

function encodingOf(msh: string): EncodingChars {
  const field = msh.charAt(3);
  const chars = msh.slice(4).split(field)[0] ?? '';
  const [component, repetition, escapeChar, subcomponent] = [...chars];
  const all = [field, component, repetition, escapeChar, subcomponent];
  const distinct = new Set(all).size === all.length;
  if (
    chars.length < 4 ||
    chars.length > 5 ||
    !distinct ||
    all.some((c) => c === undefined || /[A-Za-z0-9\s]/.test(c))
  ) {
    throw new GatewayError('HL7_DATA_TYPE', [
      {
        code: 'HL7_DATA_TYPE',
        path: 'MSH[1]-2',
        message: 'MSH-1/MSH-2 must give five distinct delimiter characters (e.g. |^~\\&)',
      },
    ]);
  }
  return {
    field,
    component: component as string,
    repetition: repetition as string,
    escape: escapeChar as string,
    subcomponent: subcomponent as string,
  };
}

/** Parses decoded text (CR-separated, starting with MSH). Segment names must be 3 upper-case letters or digits. */
export function parseText(text: string, charset: Charset, declaredCharset: string): Hl7Message {
  const encoding = encodingOf(text);
  const counts = new Map<string, number>();
  const segments = text.split('\r').map((line, i): Segment => {
    const parts = line.split(encoding.field);
    const name = parts[0] ?? '';
    if (!/^[A-Z][A-Z0-9]{2}$/.test(name)) {
      throw new GatewayError('HL7_SEGMENT_SEQUENCE', [
        {
          code: 'HL7_SEGMENT_SEQUENCE',
          path: `segment ${i + 1}`,
          message: 'not a segment: a segment starts with a three-character upper-case name',
        },
      ]);
    }
    const occurrence = (counts.get(name) ?? 0) + 1;
    counts.set(name, occurrence);
    const fields = name === 'MSH' && i === 0 ? ['MSH', encoding.field, ...parts.slice(1)] : parts;
    return { name, occurrence, fields };
  });
  return { encoding, charset, declaredCharset, segments };
}

/** Bytes → parsed message (see {@link decodeHl7} for the errors). */
export function parseHl7(bytes: Uint8Array): Hl7Message {
  const decoded = decodeHl7(bytes);
  return parseText(decoded.text, decoded.charset, decoded.declaredCharset);
}

/** Every segment named `name`, in order. */
export function all(msg: Hl7Message, name: string): Segment[] {
  return msg.segments.filter((s) => s.name === name);
}

/** The first segment named `name`. */
export function one(msg: Hl7Message, name: string): Segment | undefined {
  return msg.segments.find((s) => s.name === name);
}

/** Raw repetitions of a field (none when the field is empty). */
export function repetitions(msg: Hl7Message, seg: Segment | undefined, field: number): string[] {
  const raw = seg?.fields[field] ?? '';
  if (seg?.name === 'MSH' && field <= 2) return raw === '' ? [] : [raw];
  return raw === '' ? [] : raw.split(msg.encoding.repetition);
}

/**
 * One value, unescaped and trimmed: component `c` (1-based) and subcomponent
 * `s` of repetition `rep` (1-based) of a raw field; empty string when absent.
 */
export function leaf(msg: Hl7Message, raw: string | undefined, c = 1, s = 1): string {
  const component = (raw ?? '').split(msg.encoding.component)[c - 1] ?? '';
  const sub = component.split(msg.encoding.subcomponent)[s - 1] ?? '';
  return unescapeHl7(sub, msg.encoding, msg.charset).trim();
}

/** Shortcut: `SEG-f.c.s` of the first repetition. */
export function get(msg: Hl7Message, seg: Segment | undefined, field: number, c = 1, s = 1): string {
  if (seg?.name === 'MSH' && field <= 2) return seg.fields[field] ?? '';
  return leaf(msg, repetitions(msg, seg, field)[0], c, s);
}

/** The components of a raw value, each unescaped and trimmed. */
export function componentsOf(msg: Hl7Message, raw: string | undefined): string[] {
  return (raw ?? '')
    .split(msg.encoding.component)
    .map((c) => unescapeHl7(c.split(msg.encoding.subcomponent)[0] ?? '', msg.encoding, msg.charset).trim());
}

/**
 * A raw composite value (e.g. an HD) re-encoded with the standard delimiters
 * `^` and `&`: what the gateway echoes back in its acknowledgements.
 */
export function reencode(msg: Hl7Message, raw: string | undefined): string {
  return (raw ?? '')
    .split(msg.encoding.component)
    .map((c) =>
      c
        .split(msg.encoding.subcomponent)
        .map((s) => escapeHl7(unescapeHl7(s, msg.encoding, msg.charset), STANDARD_ENCODING))
        .join(STANDARD_ENCODING.subcomponent),
    )
    .join(STANDARD_ENCODING.component);
}
