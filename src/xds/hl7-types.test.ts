import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Patient } from '../model/types.ts';
import { codedValue, cx, dtm, hl7Escape, sourcePatientInfo, xcnPerson, xcnSystem, xon } from './hl7-types.ts';

const hl7Unescape = (value: string): string =>
  value.replace(/\\(E|F|S|T|R|X0D|X0A)\\/g, (_, code: string) => {
    const map: Record<string, string> = { E: '\\', F: '|', S: '^', T: '&', R: '~', X0D: '\r', X0A: '\n' };
    return map[code] ?? '';
  });

describe('hl7Escape', () => {
  it('escapes every HL7 v2 delimiter with its escape sequence', () => {
    expect(hl7Escape('a^b&c~d|e\\f')).toBe('a\\S\\b\\T\\c\\R\\d\\F\\e\\E\\f');
    expect(hl7Escape('line\r\nnext')).toBe('line\\X0D\\\\X0A\\next');
    expect(hl7Escape("D'ARC-Élodie")).toBe("D'ARC-Élodie");
  });

  it('leaves no raw delimiter and round-trips (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const escaped = hl7Escape(s);
        expect(escaped).not.toMatch(/[|^&~\r\n]/);
        expect(hl7Unescape(escaped)).toBe(s);
      }),
    );
  });
});

describe('cx', () => {
  it('formats the INS (NH) and the IPP (PI)', () => {
    expect(cx({ root: '1.2.250.1.213.1.4.10', extension: '279035121518989' }, 'NH')).toBe(
      '279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH',
    );
    expect(cx({ root: '1.2.250.1.71.4.2.7.1', extension: 'IPP^1&2' }, 'PI')).toBe(
      'IPP\\S\\1\\T\\2^^^&1.2.250.1.71.4.2.7.1&ISO^PI',
    );
  });
});

describe('xcn / xon', () => {
  it('formats a professional with the CI-SIS components (1, 2, 3, 9, 10=D, 13=IDNPS)', () => {
    const value = xcnPerson({ id: '810001234567', familyName: 'DUPONT', givenName: 'Jean', prefix: 'Dr' });
    expect(value).toBe('810001234567^DUPONT^Jean^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS');
    const parts = value.split('^');
    expect(parts).toHaveLength(13);
    expect(parts[8]).toBe('&1.2.250.1.71.4.2.1&ISO');
  });

  it('escapes names so they cannot add components', () => {
    const value = xcnPerson({ id: '8123', familyName: 'A^B', givenName: 'C&D' });
    expect(value.split('^')).toHaveLength(13);
    expect(value.startsWith('8123^A\\S\\B^C\\T\\D^')).toBe(true);
  });

  it('formats a software author (U, RI)', () => {
    expect(xcnSystem({ id: '3750100125/PFI', name: 'Plateforme', model: 'PFI v2' })).toBe(
      '3750100125/PFI^Plateforme^PFI v2^^^^^^&1.2.250.1.71.4.2.1&ISO^U^^^RI',
    );
  });

  it('formats an institution (IDNST, id in component 10)', () => {
    const value = xon({ id: '1750100125', name: 'CH Exemple' });
    expect(value).toBe('CH Exemple^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^1750100125');
    expect(value.split('^')[9]).toBe('1750100125');
  });

  it('formats coded role/specialty values as code^display^system', () => {
    expect(
      codedValue({
        code: 'G15_10/SM26',
        displayName: 'Médecine générale',
        codeSystem: '1.2.250.1.213.1.1.4.5',
      }),
    ).toBe('G15_10/SM26^Médecine générale^1.2.250.1.213.1.1.4.5');
    expect(codedValue({ code: 'X', codeSystem: '1.2' })).toBe('X^^1.2');
  });
});

describe('dtm', () => {
  it('converts an instant with offset to UTC YYYYMMDDhhmmss', () => {
    expect(dtm('2024-03-06T11:11:53+01:00')).toBe('20240306101153');
    expect(dtm('2024-01-01T00:30:00+02:00')).toBe('20231231223000');
    expect(dtm('2024-07-14T23:59:59.987Z')).toBe('20240714235959');
    expect(dtm('2024-07-14T20:00-0330')).toBe('20240714233000');
    expect(dtm('0099-12-31T23:00:00-02:00')).toBe('01000101010000');
  });

  it('keeps the precision of a bare date', () => {
    expect(dtm('1979-03-28')).toBe('19790328');
    expect(dtm('1979-03')).toBe('197903');
    expect(dtm('1979')).toBe('1979');
  });

  it('refuses local date-times, impossible dates and garbage', () => {
    expect(() => dtm('2024-03-06T11:11:53')).toThrow(/offset/);
    expect(() => dtm('2024-02-30T10:00:00Z')).toThrow(/calendar/);
    expect(() => dtm('2024-13-01')).toThrow(/calendar/);
    expect(() => dtm('2024-01-01T24:00:00Z')).toThrow(/time/);
    expect(() => dtm('yesterday')).toThrow();
  });

  it('agrees with Date for any instant (property)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2199-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (date, offset) => {
          const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 19);
          const sign = offset < 0 ? '-' : '+';
          const abs = Math.abs(offset);
          const iso = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          const expected = date.toISOString().slice(0, 19).replace(/[-:T]/g, '');
          expect(dtm(iso)).toBe(expected);
        },
      ),
    );
  });
});

describe('sourcePatientInfo', () => {
  const patient: Patient = {
    ins: { root: '1.2.250.1.213.1.4.10', extension: '279035121518989' },
    birthFamilyName: 'PAT-TROIS',
    givenNames: ['DOMINIQUE', 'MARIE'],
    birthDate: '19790328',
    sex: 'F',
    identityStatus: 'VALI',
  };

  it('gives the birth name (L), birth date and sex', () => {
    expect(sourcePatientInfo(patient)).toEqual([
      'PID-5|PAT-TROIS^DOMINIQUE^^^^^L',
      'PID-7|19790328',
      'PID-8|F',
    ]);
  });

  it('adds the used name (D) when it differs, and escapes names', () => {
    expect(sourcePatientInfo({ ...patient, usedFamilyName: 'MARTIN|X' })).toEqual([
      'PID-5|PAT-TROIS^DOMINIQUE^^^^^L',
      'PID-5|MARTIN\\F\\X^DOMINIQUE^^^^^D',
      'PID-7|19790328',
      'PID-8|F',
    ]);
    expect(sourcePatientInfo({ ...patient, usedFamilyName: 'PAT-TROIS' })).toHaveLength(3);
  });
});
