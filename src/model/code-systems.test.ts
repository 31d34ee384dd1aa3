import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusFile } from '../../test/support/xsd.ts';
import { codingSystem, isOid, nationalId, oidToSystem, SYSTEM_OIDS, systemToOid } from './code-systems.ts';
import { OID } from './vocabulary.ts';

describe('FHIR system URIs ↔ OIDs', () => {
  it('maps every known URI to its OID and back (first URI of an OID wins)', () => {
    for (const [uri, oid] of SYSTEM_OIDS) {
      expect(isOid(oid), uri).toBe(true);
      expect(systemToOid(uri)).toBe(oid);
      expect(systemToOid(oidToSystem(oid))).toBe(oid);
    }
  });

  it('reads urn:oid: and bare OIDs, refuses malformed ones, writes unknown OIDs as urn:oid:', () => {
    expect(systemToOid('urn:oid:1.2.250.1.213.1.4.10')).toBe(OID.insNirTest);
    expect(systemToOid('1.2.250.1.213.1.4.10')).toBe(OID.insNirTest);
    expect(systemToOid('urn:oid:1.2.x')).toBeUndefined();
    expect(systemToOid('https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument')).toBeUndefined();
    expect(oidToSystem('1.2.3.4')).toBe('urn:oid:1.2.3.4');
    expect(codingSystem('URN')).toBe('URN');
    expect(codingSystem(OID.treA03Class)).toBe(
      'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument',
    );
  });

  it('turns an RPPS identifier into the national person id (8 + RPPS)', () => {
    expect(nationalId('https://rpps.esante.gouv.fr', '10101201234')).toEqual({
      oid: OID.personId,
      value: '810101201234',
    });
    expect(nationalId('urn:oid:1.2.250.1.71.4.2.1', '810101201234')).toEqual({
      oid: OID.personId,
      value: '810101201234',
    });
    expect(nationalId('urn:oid:1.2.250.1.71.4.2.2', '1999000019')).toEqual({
      oid: OID.structureId,
      value: '1999000019',
    });
    expect(nationalId('http://example.org', 'x')).toBeUndefined();
  });

  it('knows every NOS code system the corpus MHD samples use', () => {
    const systems = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v))
          k === 'system' && typeof x === 'string' ? systems.add(x) : walk(x);
    };
    for (const dir of ['pdsm', 'pdsm4dmp'])
      for (const f of readdirSync(corpusFile(`mhd/${dir}`)))
        walk(JSON.parse(readFileSync(corpusFile(`mhd/${dir}/${f}`), 'utf8')));
    const nos = [...systems].filter((s) => s.startsWith('https://mos.esante.gouv.fr/NOS/'));
    const used = ['TRE_A03', 'TRE_A07', 'TRE_A11', 'TRE_R02', 'TRE_A01'];
    for (const tre of used)
      expect(
        nos.some((s) => s.includes(tre)),
        tre,
      ).toBe(true);
    for (const s of nos.filter((s) => used.some((t) => s.includes(`/${t}-`))))
      expect(systemToOid(s), s).toBeDefined();
  });
});
