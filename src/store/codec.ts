/**
 * JSON form of a canonical submission for storage: byte arrays become
 * `{ "$b64": "..." }` and come back as Uint8Array. Lossless round trip.
 */
import type { Deletion, Submission } from '../model/types.ts';

/**
 * A JSON replacer that sees byte arrays before their `toJSON` (a Buffer's
 * would turn it into an array of numbers) and replaces them with `map(bytes)`.
 */
export function bytesReplacer(
  map: (bytes: Uint8Array) => unknown,
): (this: unknown, key: string, value: unknown) => unknown {
  return function (this: unknown, key: string, value: unknown) {
    const raw = (this as Record<string, unknown>)[key];
    return raw instanceof Uint8Array ? map(raw) : value;
  };
}

export function encodeSubmission(submission: Submission | Deletion): Buffer {
  return Buffer.from(
    JSON.stringify(
      submission,
      bytesReplacer((b) => ({ $b64: Buffer.from(b).toString('base64') })),
    ),
    'utf8',
  );
}

export function decodeSubmission(bytes: Uint8Array): Submission | Deletion {
  return JSON.parse(Buffer.from(bytes).toString('utf8'), (_k, v) =>
    v && typeof v === 'object' && typeof v.$b64 === 'string' && Object.keys(v).length === 1
      ? new Uint8Array(Buffer.from(v.$b64, 'base64'))
      : v,
  ) as Submission | Deletion;
}
