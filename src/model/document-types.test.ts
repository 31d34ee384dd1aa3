import { describe, expect, it } from 'vitest';
import table from '../../mappings/terminology/type-class.json' with { type: 'json' };
import { classCodeForType, isDmpType } from './document-types.ts';
import { OID } from './vocabulary.ts';

const loinc = (code: string) => ({ code, codeSystem: OID.loinc });
const treA05 = (code: string) => ({ code, codeSystem: OID.treA05Type });

describe('type-class table (JDV_J66 + ASS_X16)', () => {
  it('uses only the two JDV_J66 code systems', () => {
    for (const row of table.types) expect([OID.loinc, OID.treA05Type]).toContain(row.codeSystem);
  });

  it('maps every type to a listed TRE_A03 class', () => {
    const classes = Object.keys(table.classes);
    for (const row of table.types) expect(classes, row.code).toContain(row.classCode);
  });

  it('lists each type once', () => {
    const keys = table.types.map((row) => `${row.codeSystem}|${row.code}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('names its sources', () => {
    expect(table.source.length).toBeGreaterThan(0);
  });
});

describe('classCodeForType', () => {
  it.each([
    ['11490-0', '10', 'Compte rendu'],
    ['11502-2', '10', 'Compte rendu'],
    ['18748-4', '31', 'Imagerie médicale'],
    ['34133-9', '11', 'Synthèse'],
    ['57833-6', '42', 'Prescription'],
    ['60593-1', '43', 'Dispensation'],
  ])('LOINC %s → class %s', (type, code, displayName) => {
    expect(classCodeForType(loinc(type))).toEqual({ code, codeSystem: OID.treA03Class, displayName });
  });

  it('maps TRE_A05 types', () => {
    expect(classCodeForType(treA05('IMG-KOS'))?.code).toBe('31');
    expect(classCodeForType(treA05('CERT_DECL'))?.code).toBe('52');
    expect(classCodeForType(treA05('REMB'))?.code).toBe('60');
  });

  it('returns undefined for unknown types or the wrong code system', () => {
    expect(classCodeForType(loinc('00000-0'))).toBeUndefined();
    expect(classCodeForType(treA05('11490-0'))).toBeUndefined();
    expect(classCodeForType({ code: '11490-0', codeSystem: 'http://loinc.org' })).toBeUndefined();
  });
});

describe('isDmpType', () => {
  it('accepts JDV_J66 members', () => {
    expect(isDmpType(loinc('11490-0'))).toBe(true);
    expect(isDmpType(treA05('SYNTH'))).toBe(true);
  });

  it('rejects types outside JDV_J66', () => {
    // 11526-1 is in ASS_X04/ASS_X16 but JDV_J66 1.1.0 replaced it by 60568-3.
    expect(isDmpType(loinc('11526-1'))).toBe(false);
    expect(isDmpType(loinc('60568-3'))).toBe(true);
    // E1762 (ASTM) types the signature document, not a deposited document.
    expect(isDmpType({ code: 'E1762', codeSystem: 'ASTM' })).toBe(false);
    expect(isDmpType(treA05('FEUILLE-DE-STYLE'))).toBe(false);
  });
});
