import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dtmToIso,
  hl7Unescape,
  parseCodedValue,
  parseSourcePatientInfo,
  parseXcn,
  parseXon,
} from './hl7-read.ts';
import { codedValue, dtm, sourcePatientInfo, xcnPerson, xcnSystem, xon } from './hl7-types.ts';

/** Text with HL7 delimiters, as hostile field values carry them (trimmed: readers trim). */
const value = fc
  .string({
    unit: fc.constantFrom('a', 'É', ' ', '^', '&', '|', '~', '\\', '1', '.'),
    minLength: 1,
    maxLength: 12,
  })
  .map((s) => s.trim())
  .filter((s) => s !== '');
const oid = fc
  .array(fc.integer({ min: 0, max: 999 }), { minLength: 2, maxLength: 6 })
  .map((a) => `1.${a.join('.')}`);

describe('HL7 v2 datatypes of XDS slots, read back', () => {
  it('hl7Unescape reverses the escape sequences', () => {
    expect(hl7Unescape('A\\S\\B\\T\\C\\F\\D\\E\\E\\R\\F\\X0D\\')).toBe('A^B&C|D\\E~F\r');
  });

  it('XCN of a professional and of a software, XON, coded values: what the writers write is read back', () => {
    fc.assert(
      fc.property(value, value, value, oid, (id, family, given, system) => {
        expect(parseXcn(xcnPerson({ id, familyName: family, givenName: given, idSystem: system }))).toEqual({
          id,
          familyName: family,
          givenName: given,
          idSystem: system,
          nameType: 'D',
          idType: 'IDNPS',
        });
        expect(parseXcn(xcnSystem({ id, name: family, model: given, idSystem: system }))).toMatchObject({
          id,
          familyName: family,
          givenName: given,
          nameType: 'U',
          idType: 'RI',
        });
        expect(parseXon(xon({ id, name: family, idSystem: system }))).toEqual({
          id,
          name: family,
          idSystem: system,
        });
        expect(parseCodedValue(codedValue({ code: id, displayName: family, codeSystem: system }))).toEqual({
          code: id,
          displayName: family,
          codeSystem: system,
        });
      }),
    );
  });

  it('an XCN without an ISO authority has no idSystem; a coded value needs its code system', () => {
    expect(parseXcn('^Smitty^Gerald^^^')).toEqual({ familyName: 'Smitty', givenName: 'Gerald' });
    expect(parseXcn('123^X^^^^^^^&1.2.3&L').idSystem).toBeUndefined();
    expect(parseCodedValue('Orthopedic')).toBeUndefined();
  });

  it('DTM (UTC) → ISO; instants written by dtm() read back to the same instant', () => {
    expect(dtmToIso('20240306')).toBe('2024-03-06');
    expect(dtmToIso('202403061015')).toBe('2024-03-06T10:15:00Z');
    expect(dtmToIso('20240306101530')).toBe('2024-03-06T10:15:30Z');
    for (const bad of ['2024', '202403', '20240230', '20240306251500', '2024030610156', 'x']) {
      expect(dtmToIso(bad)).toBeUndefined();
    }
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        (d) => {
          const iso = `${d.toISOString().slice(0, 19)}Z`;
          expect(dtmToIso(dtm(iso))).toBe(iso);
        },
      ),
    );
  });

  it('sourcePatientInfo: birth name (L), used name (D), given names, birth date, sex', () => {
    const lines = sourcePatientInfo({
      ins: { root: '1.2.250.1.213.1.4.10', extension: '1' },
      birthFamilyName: 'DE LA TOUR^X',
      usedFamilyName: 'MARTIN',
      givenNames: ['MARIE'],
      birthDate: '19790328',
      sex: 'F',
      identityStatus: 'VALI',
    });
    expect(parseSourcePatientInfo(lines)).toEqual({
      birthFamilyName: 'DE LA TOUR^X',
      usedFamilyName: 'MARTIN',
      givenNames: ['MARIE'],
      birthDate: '19790328',
      sex: 'F',
    });
    expect(
      parseSourcePatientInfo(['PID-5|DOE^JOHN^JOHN PAUL^^^^L', 'PID-7|197903281200', 'PID-3|x']),
    ).toEqual({
      birthFamilyName: 'DOE',
      givenNames: ['JOHN', 'PAUL'],
      birthDate: '19790328',
    });
  });
});
