/**
 * Media type values of MIME headers (`Content-Type`): parsing with quoted
 * strings and case-insensitive parameter names, and writing parameters
 * safely. RFC 2045 §5.1, RFC 9110 §5.6.4 (quoted-string) and §8.3.1.
 */
import { GatewayError } from '../errors/catalogue.ts';

export interface MediaType {
  /** `type/subtype`, lower-cased. */
  readonly type: string;
  /** Parameters by lower-cased name, values unquoted. */
  readonly params: ReadonlyMap<string, string>;
}

function fail(path: string, message: string): never {
  throw new GatewayError('INVALID_INPUT', [{ code: 'INVALID_INPUT', path, message }]);
}

const TYPE = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*/;
const TOKEN_CHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

/**
 * Parses `type/subtype; name=value; name="quoted \"value\""`. Unquoted values
 * are read up to the next `;` or space, so the common unquoted
 * `start=<id@host>` is accepted. Duplicate parameters are refused.
 */
export function parseMediaType(value: string, path = 'Content-Type'): MediaType {
  const m = TYPE.exec(value);
  if (!m?.[1]) return fail(path, 'not a media type (type/subtype expected)');
  const params = new Map<string, string>();
  let i = m[0].length;
  const skipSpace = () => {
    while (value[i] === ' ' || value[i] === '\t') i++;
  };
  while (i < value.length) {
    if (value[i] !== ';') fail(path, `unexpected "${value[i]}" at character ${i + 1}`);
    i++;
    skipSpace();
    if (i >= value.length || value[i] === ';') continue;
    const nameStart = i;
    while (i < value.length && TOKEN_CHAR.test(value[i] as string)) i++;
    const name = value.slice(nameStart, i).toLowerCase();
    skipSpace();
    if (name === '' || value[i] !== '=') fail(path, `malformed parameter at character ${nameStart + 1}`);
    i++;
    skipSpace();
    let v = '';
    if (value[i] === '"') {
      for (i++; value[i] !== '"'; i++) {
        if (i >= value.length) fail(path, `unterminated quoted value of parameter ${name}`);
        if (value[i] === '\\') i++;
        v += value[i] ?? '';
      }
      i++;
    } else {
      const start = i;
      while (i < value.length && !/[;\s]/.test(value[i] as string)) i++;
      v = value.slice(start, i);
    }
    if (params.has(name)) fail(path, `parameter ${name} is repeated`);
    params.set(name, v);
    skipSpace();
  }
  return { type: m[1].toLowerCase(), params };
}

/** `; name="value"` with `"` and `\` escaped; only printable ASCII is accepted (no header injection). */
export function formatParam(name: string, value: string): string {
  if (/[^\x20-\x7e]/.test(value)) throw new Error(`MIME parameter ${name} must be printable ASCII`);
  return `; ${name}="${value.replace(/["\\]/g, '\\$&')}"`;
}
