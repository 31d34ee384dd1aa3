/**
 * Truth table of the visibility policy: every combination of its boolean
 * inputs (2^13) for each confidentiality N/R/V, each checked against an
 * oracle written plainly here, independently of visibility.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Confidentiality } from '../model/types.ts';
import { type VisibilityInput, visibility } from './visibility.ts';

const INPUTS = [
  'senderHidden', // INVISIBLE_PATIENT from the sender
  'senderLegalReps', // INVISIBLE_REP_LEGAUX from the sender
  'senderMasked', // MASQUE_PS from the sender
  'senderSecret', // CONNEXION_SECRETE from the sender
  'secrecyRequested', // the minor's secrecy request by API (this version or an earlier one)
  'maskKept', // MASQUE_PS an operator set on an earlier version, kept
  'ruleHidden', // a rule's INVISIBLE_PATIENT (announcement)
  'ruleMasked', // a rule's MASQUE_PS
  'minor', // patient under 18 at the document date
  'released', // the announcement took place
  'limitReached', // now is at the release time (one month, or the earlier setting)
  'earlyRelease', // releaseAfterDays: 14 configured
  'secretOption', // minors.secretConnection
] as const;

type Case = Record<(typeof INPUTS)[number], boolean>;

const CREATION = '2025-01-31T10:00:00.000Z';
/** One calendar month after 31 January: the end of February. */
const MONTH_LATER = '2025-02-28T10:00:00.000Z';
const FOURTEEN_DAYS_LATER = '2025-02-14T10:00:00.000Z';
const HL7_CONFIDENTIALITY = '2.16.840.1.113883.5.25';
const TRE_A07 = '1.2.250.1.213.1.1.4.13';

function allCases(): Case[] {
  return Array.from({ length: 2 ** INPUTS.length }, (_, n) => {
    const entries = INPUTS.map((name, bit) => [name, ((n >> bit) & 1) === 1] as const);
    return Object.fromEntries(entries) as Case;
  });
}

function inputOf(c: Case, confidentiality: Confidentiality): VisibilityInput {
  const release = c.earlyRelease ? FOURTEEN_DAYS_LATER : MONTH_LATER;
  return {
    confidentiality,
    sender: {
      hiddenFromPatient: c.senderHidden,
      hiddenFromLegalRepresentatives: c.senderLegalReps,
      maskedFromProfessionals: c.senderMasked,
    },
    senderSecretConnection: c.senderSecret,
    secrecyRequested: c.secrecyRequested,
    maskKept: c.maskKept,
    rules: {
      hiddenFromPatient: c.ruleHidden ? ['R-HIDE'] : [],
      maskedFromProfessionals: c.ruleMasked ? ['R-MASK'] : [],
    },
    minor: c.minor,
    announcementReleased: c.released,
    creationTime: CREATION,
    now: c.limitReached ? release : '2025-02-01T10:00:00.000Z',
    options: {
      releaseAfterDays: c.earlyRelease ? 14 : undefined,
      secretConnectionForMinorSecrecy: c.secretOption,
    },
  };
}

/** The expected result, stated rule by rule. */
function oracle(c: Case, confidentiality: Confidentiality) {
  const masked = c.senderMasked || c.ruleMasked || c.maskKept;
  const askedHidden = c.senderHidden || c.ruleHidden;
  const hidden = askedHidden && !c.released && !c.limitReached;
  const secrecy = c.senderLegalReps || c.secrecyRequested;
  const legalReps = secrecy && c.minor;
  const secret = c.senderSecret || (legalReps && c.secretOption);
  const codes = [confidentiality];
  if (masked) codes.push('MASQUE_PS' as Confidentiality);
  if (hidden) codes.push('INVISIBLE_PATIENT' as Confidentiality);
  if (legalReps) codes.push('INVISIBLE_REPRESENTANTS_LEGAUX' as Confidentiality);
  let releaseAt: string | undefined;
  if (hidden) releaseAt = c.earlyRelease ? FOURTEEN_DAYS_LATER : MONTH_LATER;
  return { masked, askedHidden, hidden, secrecy, legalReps, secret, codes, releaseAt };
}

describe('visibility truth table', () => {
  const cases = allCases();

  it('covers every combination of the boolean inputs', () => {
    expect(cases).toHaveLength(8192);
    expect(new Set(cases.map((c) => JSON.stringify(c))).size).toBe(8192);
  });

  for (const confidentiality of ['N', 'R', 'V'] as const) {
    it(`confidentiality ${confidentiality}: every output matches the oracle`, () => {
      for (const c of cases) {
        const got = visibility(inputOf(c, confidentiality));
        const want = oracle(c, confidentiality);
        const label = `${confidentiality} ${JSON.stringify(c)}`;
        expect(
          got.confidentialityCodes.map((x) => x.code),
          label,
        ).toEqual(want.codes);
        expect(got.confidentialityCodes[0]?.codeSystem, label).toBe(HL7_CONFIDENTIALITY);
        expect(new Set(got.confidentialityCodes.slice(1).map((x) => x.codeSystem)), label).toEqual(
          new Set(want.codes.length > 1 ? [TRE_A07] : []),
        );
        expect(got.flags, label).toEqual({
          hiddenFromPatient: want.hidden,
          hiddenFromLegalRepresentatives: want.legalReps,
          maskedFromProfessionals: want.masked,
        });
        expect(got.secretConnection, label).toBe(want.secret);
        expect(got.releaseAt, label).toBe(want.releaseAt);

        // Every flag asked for is explained, set or not, with the rules that asked.
        const reason = (code: string) => got.reasons.find((r) => r.code === code);
        expect(reason(confidentiality)?.set, label).toBe(true);
        expect(reason('MASQUE_PS')?.set, label).toBe(want.masked ? true : undefined);
        expect(reason('INVISIBLE_PATIENT')?.set, label).toBe(want.askedHidden ? want.hidden : undefined);
        expect(reason('INVISIBLE_REPRESENTANTS_LEGAUX')?.set, label).toBe(
          want.secrecy ? want.legalReps : undefined,
        );
        expect(reason('CONNEXION_SECRETE')?.set, label).toBe(want.secret ? true : undefined);
        expect(reason('INVISIBLE_PATIENT')?.ruleIds, label).toEqual(c.ruleHidden ? ['R-HIDE'] : undefined);
        expect(reason('MASQUE_PS')?.ruleIds, label).toEqual(c.ruleMasked ? ['R-MASK'] : undefined);
      }
    });
  }
});
