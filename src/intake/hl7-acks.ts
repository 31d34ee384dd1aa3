/**
 * The acknowledgements of the HL7 v2 intake, as bytes [HL7 v2.5 §2.9.2
 * original acknowledgement mode; table 0008: AA accepted, AE error in the
 * message, AR "failed to process the message for a reason unrelated to its
 * content or format; the sender decides whether to send it again"]:
 * - encoded in the message's MSH-18 charset (UTF-8 when it names none or one
 *   the gateway does not read);
 * - the ACK of an accepted message is kept (`P:hl7ack:<sender>:<MSH-10>`,
 *   with a fingerprint of the message) so that a resent message gets the very
 *   same bytes, and a different message reusing the MSH-10 is refused.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { CATALOGUE, GatewayError, type Issue } from '../errors/catalogue.ts';
import { buildAck } from '../inbound/hl7v2/ack.ts';
import { type Charset, encodeHl7, MSH18 } from '../inbound/hl7v2/decode.ts';
import { readHl7Header } from '../inbound/hl7v2/header.ts';
import type { Hl7Header } from '../inbound/hl7v2/types.ts';

/** A fresh MSH-10 for an ACK (20 characters, the ST length of MSH-10 in v2.5). */
export function newControlId(): string {
  return randomBytes(10).toString('hex');
}

/** The charset to answer in: the message's when the gateway reads it, else UTF-8. */
function answerCharset(header: Hl7Header | undefined): { declared: string; charset: Charset } {
  const declared = (header?.charset ?? '').toUpperCase();
  const known = Object.entries(MSH18).find(([, name]) => name === declared);
  return known ? { declared, charset: known[0] as Charset } : { declared: MSH18['utf-8'], charset: 'utf-8' };
}

/** An ACK as bytes in the charset of the acknowledged message. */
export function ackBytes(
  header: Hl7Header | undefined,
  code: 'AA' | 'AE' | 'AR',
  now: Date,
  issues: readonly Issue[] = [],
): Buffer {
  const { declared, charset } = answerCharset(header);
  const text = buildAck({ header, code, issues, now, controlId: newControlId(), charset: declared });
  return Buffer.from(encodeHl7(text, charset));
}

/** The MSH segment alone (BOM and leading line breaks dropped): its header survives a broken body. */
function mshSegment(bytes: Uint8Array): Uint8Array {
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (bytes[start] === 0x0d || bytes[start] === 0x0a) start++;
  let end = start;
  while (end < bytes.length && bytes[end] !== 0x0d && bytes[end] !== 0x0a) end++;
  return bytes.subarray(start, end);
}

/** The MSH segment with MSH-18 emptied: its header is readable even when its charset is not. */
function withoutCharset(msh: Uint8Array): Uint8Array {
  const text = Buffer.from(msh).toString('latin1');
  const fields = text.split(text.charAt(3) || '|');
  if (fields.length > 17) fields[17] = '';
  return Buffer.from(fields.join(text.charAt(3) || '|'), 'latin1');
}

/**
 * The header of a message the gateway could not read whole: from its MSH
 * alone, then (an MSH-18 the gateway does not read) from its MSH without
 * MSH-18; undefined when the MSH is unusable.
 */
export function headerOfRaw(bytes: Uint8Array): Hl7Header | undefined {
  const msh = mshSegment(bytes);
  return readHl7Header(msh) ?? readHl7Header(withoutCharset(msh));
}

/** AE or AR for `issues`: AR when every issue is circumstantial (retryable), AE otherwise. */
export function rejectAck(
  bytes: Uint8Array,
  issues: readonly Issue[],
  now: Date,
  header = headerOfRaw(bytes),
) {
  const circumstantial = issues.every((i) => CATALOGUE[i.code].retryable);
  return ackBytes(header, circumstantial ? 'AR' : 'AE', now, issues);
}

/** AR (207) for a message that could not be stored now: the sender sends it again later. */
export function unavailableAck(bytes: Uint8Array, reason: string, now: Date): Buffer {
  return rejectAck(
    bytes,
    [{ code: 'STORE_UNAVAILABLE', path: '', message: `${CATALOGUE.STORE_UNAVAILABLE.summary} (${reason})` }],
    now,
  );
}

/** AE for a message over the size limit, from its first bytes (resending the same message cannot help). */
export function oversizeAck(head: Uint8Array, limit: number, now: Date): Buffer {
  const issue: Issue = {
    code: 'MESSAGE_TOO_LARGE',
    path: '',
    message: `the message is larger than ${limit} bytes (hl7.maxMessageBytes) and was not read`,
  };
  return ackBytes(headerOfRaw(head), 'AE', now, [issue]);
}

/** The issues of a translation failure (a GatewayError lists them; anything else is an internal error). */
export function issuesOf(err: unknown): readonly Issue[] {
  if (err instanceof GatewayError) return err.issues;
  return [{ code: 'VOLET_OTHER', path: '', message: 'the message could not be processed (internal error)' }];
}

/**
 * Fingerprint of a message for the resend check: SHA-256 of its bytes with
 * MSH-7 (time of the message) blanked, as senders restamp a message they send
 * again.
 */
export function fingerprint(bytes: Uint8Array): string {
  const msh = mshSegment(bytes);
  const offset = msh.byteOffset - bytes.byteOffset;
  const text = Buffer.from(msh).toString('latin1');
  const fields = text.split(text.charAt(3) || '|');
  if (fields.length > 6) fields[6] = '';
  return createHash('sha256')
    .update(bytes.subarray(0, offset))
    .update(Buffer.from(fields.join(text.charAt(3) || '|'), 'latin1'))
    .update(bytes.subarray(offset + msh.length))
    .digest('hex');
}

/** The ACKs of accepted messages, by sender and MSH-10. */
export class AckMemory {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #ttlSeconds: number;

  constructor(redis: Redis, prefix: string, ttlSeconds: number) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#ttlSeconds = ttlSeconds;
  }

  #key(header: Hl7Header): string {
    const e = encodeURIComponent;
    return `${this.#prefix}:hl7ack:${e(header.sender.application)}|${e(header.sender.facility)}:${e(header.controlId)}`;
  }

  /** The ACK already given to this MSH-10, with the fingerprint of the message it answered. */
  async recall(header: Hl7Header): Promise<{ fingerprint: string; ack: Buffer } | undefined> {
    const value = await this.#redis.getBuffer(this.#key(header));
    if (!value || value.length < 65) return undefined;
    return { fingerprint: value.subarray(0, 64).toString('latin1'), ack: value.subarray(65) };
  }

  /** Keeps the ACK unless one is already kept for this MSH-10 (a concurrent resend); returns the one kept. */
  async keep(header: Hl7Header, print: string, ack: Buffer): Promise<{ fingerprint: string; ack: Buffer }> {
    const value = Buffer.concat([Buffer.from(`${print}\n`, 'latin1'), ack]);
    const set = await this.#redis.set(this.#key(header), value, 'EX', this.#ttlSeconds, 'NX');
    if (set === 'OK') return { fingerprint: print, ack };
    return (await this.recall(header)) ?? { fingerprint: print, ack };
  }
}
