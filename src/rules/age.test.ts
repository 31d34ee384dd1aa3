import { describe, expect, it } from 'vitest';
import { ageRange, isMinorAt } from './age.ts';

describe('ageRange', () => {
  it('counts whole years at the document date (French time), birthday included', () => {
    expect(ageRange('20070310', '2025-03-09T22:59:00Z')).toEqual({ min: 17, max: 17 });
    expect(ageRange('20070310', '2025-03-09T23:00:00Z')).toEqual({ min: 18, max: 18 }); // 00:00 in Paris
    expect(ageRange('20070310', '2025-03-10T00:00:00+01:00')).toEqual({ min: 18, max: 18 });
    expect(ageRange('20080229', '2025-02-28')).toEqual({ min: 16, max: 16 });
    expect(ageRange('20080229', '2025-03-01')).toEqual({ min: 17, max: 17 });
  });

  it('gives a range for a partial birth date', () => {
    expect(ageRange('2007', '2025-06-15')).toEqual({ min: 17, max: 18 });
    expect(ageRange('200706', '2025-06-15')).toEqual({ min: 17, max: 18 });
    expect(ageRange('200706', '2025-07-01')).toEqual({ min: 18, max: 18 });
    expect(ageRange('200702', '2025-02-28')).toEqual({ min: 18, max: 18 });
  });

  it('is undefined for what is not a date or a birth after the document', () => {
    expect(ageRange(undefined, '2025-01-01')).toBeUndefined();
    expect(ageRange('2007-03-10', '2025-01-01')).toBeUndefined();
    expect(ageRange('20071340', '2025-01-01')).toBeUndefined();
    expect(ageRange('20260101', '2025-01-01')).toBeUndefined();
    expect(ageRange('20070310', 'yesterday')).toBeUndefined();
  });
});

describe('isMinorAt', () => {
  it('is true, false, or undefined when the birth date cannot tell', () => {
    expect(isMinorAt('20100101', '2025-01-01')).toBe(true);
    expect(isMinorAt('19790321', '2025-01-01')).toBe(false);
    expect(isMinorAt('2007', '2025-06-15')).toBeUndefined();
    expect(isMinorAt(undefined, '2025-06-15')).toBeUndefined();
  });
});
