import { describe, expect, it } from 'vitest';
import { isOid } from './code-systems.ts';
import * as vocabulary from './vocabulary.ts';
import { OID, XDS } from './vocabulary.ts';

const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every string in the vocabulary module, with its path. */
function strings(value: unknown, path: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') out.push([path, value]);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) strings(v, `${path}.${k}`, out);
  return out;
}

describe('vocabulary', () => {
  const all = strings(vocabulary, 'vocabulary');

  it('has values to check', () => expect(all.length).toBeGreaterThan(100));

  it('every OID-shaped value is a syntactically valid OID (first arc 0–2, no leading zeros)', () => {
    const bad = all.filter(([, v]) => /^\d+(\.\d+)+$/.test(v) && !isOid(v));
    expect(bad).toEqual([]);
    for (const [k, v] of Object.entries(OID)) expect([k, isOid(v)]).toEqual([k, true]);
  });

  it('every urn:uuid: value is a lower-case RFC 4122 UUID, and the XDS ones are distinct', () => {
    const uuids = all.filter(([, v]) => v.startsWith('urn:uuid:'));
    expect(uuids.filter(([, v]) => !UUID_URN.test(v))).toEqual([]);
    const xds = strings(XDS, 'XDS').map(([, v]) => v);
    expect(xds.every((v) => UUID_URN.test(v))).toBe(true);
    expect(new Set(xds).size).toBe(xds.length);
  });

  it('every urn:oid: value carries a valid OID', () => {
    const bad = all.filter(([, v]) => v.startsWith('urn:oid:') && !isOid(v.slice(8)));
    expect(bad).toEqual([]);
  });

  it('the checks reject malformed identifiers', () => {
    expect(isOid('1.2.250.01')).toBe(false);
    expect(isOid('3.1')).toBe(false);
    expect(UUID_URN.test('urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c')).toBe(false);
  });
});
