import { describe, expect, it } from 'vitest';
import { plusOneMonth, releaseTime, sameVisibility, type VisibilityInput, visibility } from './visibility.ts';

const NONE = {
  hiddenFromPatient: false,
  hiddenFromLegalRepresentatives: false,
  maskedFromProfessionals: false,
};

const BASE: VisibilityInput = {
  confidentiality: 'N',
  sender: NONE,
  senderSecretConnection: false,
  secrecyRequested: false,
  maskKept: false,
  rules: { hiddenFromPatient: [], maskedFromProfessionals: [] },
  minor: false,
  announcementReleased: false,
  creationTime: '2025-03-10T09:30:00.000Z',
  now: '2025-03-10T10:00:00.000Z',
  options: { secretConnectionForMinorSecrecy: true },
};

describe('the one-month limit', () => {
  it('is one calendar month, clamped to the end of a shorter month', () => {
    expect(plusOneMonth('2025-03-10T09:30:00.000Z').toISOString()).toBe('2025-04-10T09:30:00.000Z');
    expect(plusOneMonth('2025-01-31T10:00:00.000Z').toISOString()).toBe('2025-02-28T10:00:00.000Z');
    expect(plusOneMonth('2024-01-31T10:00:00.000Z').toISOString()).toBe('2024-02-29T10:00:00.000Z');
    expect(plusOneMonth('2025-12-15T00:00:00.000Z').toISOString()).toBe('2026-01-15T00:00:00.000Z');
  });

  it('can be brought forward, never pushed back', () => {
    expect(releaseTime('2025-03-10T09:30:00.000Z', 14).toISOString()).toBe('2025-03-24T09:30:00.000Z');
    expect(releaseTime('2025-02-01T00:00:00.000Z', 31).toISOString()).toBe('2025-03-01T00:00:00.000Z');
  });
});

describe('visibility', () => {
  it('an announcement rule hides from the patient until the release time, and explains it', () => {
    const v = visibility({
      ...BASE,
      rules: { hiddenFromPatient: ['I-ANAPATH'], maskedFromProfessionals: [] },
    });
    expect(v.confidentialityCodes.map((c) => c.code)).toEqual(['N', 'INVISIBLE_PATIENT']);
    expect(v.releaseAt).toBe('2025-04-10T09:30:00.000Z');
    expect(v.reasons).toContainEqual({
      code: 'INVISIBLE_PATIENT',
      set: true,
      ruleIds: ['I-ANAPATH'],
      text: 'hidden from the patient (asked by rule I-ANAPATH) until the announcement, at the latest 2025-04-10T09:30:00.000Z',
    });
  });

  it('after the announcement event, the same document is visible (the replacement drops the flag)', () => {
    const input = { ...BASE, sender: { ...NONE, hiddenFromPatient: true } };
    const before = visibility(input);
    const after = visibility({ ...input, announcementReleased: true, now: '2025-03-15T00:00:00.000Z' });
    expect(before.flags.hiddenFromPatient).toBe(true);
    expect(after.flags.hiddenFromPatient).toBe(false);
    expect(after.releaseAt).toBeUndefined();
    expect(sameVisibility(before.flags, after.flags)).toBe(false);
  });

  it('a minor asking for secrecy: hidden from legal representatives, connexion secrète', () => {
    const v = visibility({ ...BASE, minor: true, secrecyRequested: true });
    expect(v.confidentialityCodes.map((c) => c.code)).toEqual(['N', 'INVISIBLE_REPRESENTANTS_LEGAUX']);
    expect(v.secretConnection).toBe(true);
    const adult = visibility({ ...BASE, sender: { ...NONE, hiddenFromLegalRepresentatives: true } });
    expect(adult.flags.hiddenFromLegalRepresentatives).toBe(false);
    expect(adult.reasons.find((r) => r.code === 'INVISIBLE_REPRESENTANTS_LEGAUX')?.set).toBe(false);
  });

  it("an operator's mask kept from an earlier version is sent and explained", () => {
    const v = visibility({ ...BASE, maskKept: true });
    expect(v.confidentialityCodes.map((c) => c.code)).toEqual(['N', 'MASQUE_PS']);
    expect(v.reasons).toContainEqual({
      code: 'MASQUE_PS',
      set: true,
      text: 'masked from professionals, asked by an operator on an earlier version',
    });
  });

  it('sameVisibility compares the three flags', () => {
    expect(sameVisibility(NONE, { ...NONE })).toBe(true);
    expect(sameVisibility(NONE, { ...NONE, maskedFromProfessionals: true })).toBe(false);
  });
});
