/** INS in CX form and the sandbox patient directory. */
import { describe, expect, it } from 'vitest';
import { insCx, insOfCx, parseCx } from '../xds/cx.ts';
import { normaliseSeed, PatientDirectory } from './patients.ts';

describe('CX identifiers', () => {
  it('parses an INS in ^NH form and writes it back', () => {
    const ins = insOfCx('279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH');
    expect(ins).toEqual({ root: '1.2.250.1.213.1.4.10', extension: '279035121518989' });
    expect(insCx(ins!)).toBe('279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH');
  });

  it('refuses a local id, a non-INS OID, a missing ISO type', () => {
    expect(insOfCx('IPP-1^^^&1.2.250.1.999.1.2&ISO^PI')).toBeUndefined();
    expect(insOfCx('279035121518989^^^&1.2.3&ISO^NH')).toBeUndefined();
    expect(parseCx('279035121518989^^^&1.2.250.1.213.1.4.10^NH')).toBeUndefined();
    expect(parseCx('x')).toBeUndefined();
  });
});

describe('PatientDirectory', () => {
  it('knows seeded patients; an unknown INS has no DMP; reset restores the seeds', () => {
    const dir = new PatientDirectory([
      { ins: '279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH', dmp: 'active' },
    ]);
    dir.seed({ ins: { root: '1.2.250.1.213.1.4.8', extension: '123' }, dmp: 'closed' });
    expect(dir.dmpOf({ root: '1.2.250.1.213.1.4.10', extension: '279035121518989' })).toBe('active');
    expect(dir.dmpOf({ root: '1.2.250.1.213.1.4.8', extension: '123' })).toBe('closed');
    expect(dir.dmpOf({ root: '1.2.250.1.213.1.4.8', extension: '999' })).toBe('absent');
    dir.reset([]);
    expect(dir.list()).toEqual([]);
  });

  it('refuses bad seeds without echoing the INS', () => {
    expect(() => normaliseSeed({ ins: '279035121518989^^^&1.2.3&ISO^NH', dmp: 'active' })).toThrow(
      /^ins must be an INS/,
    );
    expect(() =>
      normaliseSeed({ ins: { root: '1.2.250.1.213.1.4.8', extension: '1' }, dmp: 'open' as 'active' }),
    ).toThrow(/dmp/);
    expect(() => normaliseSeed(null as never)).toThrow(/ins/);
  });
});
