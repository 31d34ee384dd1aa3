/**
 * The visibility policy: the sender's flags, the CME rules' defaults and the
 * patient's situation → the confidentiality codes of one document, the VIHF
 * "connexion secrète" and when a hidden document must be released, each with
 * its reason [DOMAIN.md §4, §9; VOLET-HL7 MetaDMPMSS; CSP R1111-53
 * (announcement), L1111-5 (minors)]. Pure.
 *
 * - `MASQUE_PS`: set by the sender or by a rule, or kept from an earlier
 *   version masked by an operator (the sender did not restate the
 *   confidentiality since: HL7 `MODIF_CONF_CODE`).
 * - `INVISIBLE_PATIENT`: asked by the sender or a rule (announcement
 *   consultation pending); dropped once the announcement took place, and
 *   never kept past the release time: creation + one calendar month (legal
 *   limit), or earlier with `releaseAfterDays`. While set, `releaseAt` tells
 *   the caller when to send the replacement without it.
 * - `INVISIBLE_REPRESENTANTS_LEGAUX`: only for a minor who asked for secrecy
 *   (the sender's `INVISIBLE_REP_LEGAUX` flag / FHIR securityLabel, or a
 *   request recorded elsewhere, for this version or an earlier one); dropped
 *   for an adult.
 * - connexion secrète: the sender's `CONNEXION_SECRETE`, or a minor's secrecy
 *   when `secretConnectionForMinorSecrecy` is on.
 * - confidentialityCodes: first N/R/V as given, then the TRE_A07 flags.
 */
import type { Code, Confidentiality, Visibility } from '../model/types.ts';
import type { RuleVisibility } from '../rules/types.ts';
import { confidentialityCodes } from '../xds/document-entry.ts';

export interface VisibilityOptions {
  /** Release INVISIBLE_PATIENT this many days after creation when sooner than one month (rules file `announcement.releaseAfterDays`). */
  readonly releaseAfterDays?: number;
  /** Rules file `minors.secretConnection` (default true). */
  readonly secretConnectionForMinorSecrecy: boolean;
}

export interface VisibilityInput {
  /** The document's N/R/V. */
  readonly confidentiality: Confidentiality;
  /** Flags the sender set (HL7 MetaDMPMSS, FHIR securityLabel): the DocumentEntry's visibility as received. */
  readonly sender: Visibility;
  /** HL7 `CONNEXION_SECRETE=Y` (RoutingFlags.secretConnection). */
  readonly senderSecretConnection: boolean;
  /** The minor's secrecy request known from elsewhere than the document's flags (API call, earlier versions). */
  readonly secrecyRequested: boolean;
  /** An operator masked an earlier version (MASQUE_PS), and the sender has not restated the confidentiality since. */
  readonly maskKept: boolean;
  /** Decision.visibilityDefaults of the feeding rules. */
  readonly rules: RuleVisibility;
  /** Minor at the document date (rules/age.ts isMinorAt; in doubt, true: secrecy is honoured). */
  readonly minor: boolean;
  /** The announcement consultation took place (its event was received). */
  readonly announcementReleased: boolean;
  /** Document creation time (ISO 8601): start of the one-month limit. */
  readonly creationTime: string;
  /** Time of this computation (ISO 8601). */
  readonly now: string;
  readonly options: VisibilityOptions;
}

export type VisibilityCode =
  | Confidentiality
  | 'INVISIBLE_PATIENT'
  | 'INVISIBLE_REPRESENTANTS_LEGAUX'
  | 'MASQUE_PS'
  | 'CONNEXION_SECRETE';

export interface VisibilityReason {
  readonly code: VisibilityCode;
  /** Whether the code is sent. */
  readonly set: boolean;
  readonly text: string;
  /** Rules that asked for it. */
  readonly ruleIds?: readonly string[];
}

export interface VisibilityResult {
  /** confidentialityCode occurrences in order: N/R/V, then TRE_A07 flags. */
  readonly confidentialityCodes: readonly Code[];
  readonly flags: Visibility;
  /** The VIHF must carry the "connexion secrète" confidentiality-code attribute. */
  readonly secretConnection: boolean;
  /** While INVISIBLE_PATIENT is sent: when the caller must send the replacement without it. */
  readonly releaseAt?: string;
  readonly reasons: readonly VisibilityReason[];
}

/** `iso` + one calendar month, the day clamped to the month's end (31 January → 28/29 February). */
export function plusOneMonth(iso: string): Date {
  const t = new Date(iso);
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(t.getUTCDate(), lastDay);
  return new Date(
    Date.UTC(y, m, day, t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds(), t.getUTCMilliseconds()),
  );
}

/** Time at which INVISIBLE_PATIENT must be gone: the legal month, or `releaseAfterDays` when sooner. */
export function releaseTime(creationTime: string, releaseAfterDays?: number): Date {
  const month = plusOneMonth(creationTime);
  if (releaseAfterDays === undefined) return month;
  const early = new Date(Date.parse(creationTime) + releaseAfterDays * 86_400_000);
  return early < month ? early : month;
}

function who(sender: boolean, ruleIds: readonly string[], kept = false): string {
  const parts = [
    sender ? 'the sender' : '',
    ruleIds.length > 0 ? `rule ${ruleIds.join(', ')}` : '',
    kept ? 'an operator on an earlier version' : '',
  ];
  return parts.filter(Boolean).join(' and ');
}

/** Computes the visibility of one document. */
export function visibility(input: VisibilityInput): VisibilityResult {
  const reasons: VisibilityReason[] = [
    {
      code: input.confidentiality,
      set: true,
      text: `confidentiality ${input.confidentiality} of the document`,
    },
  ];
  const ruleIds = (ids: readonly string[]) => (ids.length > 0 ? { ruleIds: ids } : {});

  const masked =
    input.sender.maskedFromProfessionals || input.rules.maskedFromProfessionals.length > 0 || input.maskKept;
  if (masked)
    reasons.push({
      code: 'MASQUE_PS',
      set: true,
      text: `masked from professionals, asked by ${who(input.sender.maskedFromProfessionals, input.rules.maskedFromProfessionals, input.maskKept)}`,
      ...ruleIds(input.rules.maskedFromProfessionals),
    });

  let hidden = false;
  let releaseAt: string | undefined;
  if (input.sender.hiddenFromPatient || input.rules.hiddenFromPatient.length > 0) {
    const asked = who(input.sender.hiddenFromPatient, input.rules.hiddenFromPatient);
    const release = releaseTime(input.creationTime, input.options.releaseAfterDays);
    let text: string;
    if (input.announcementReleased)
      text = `hidden from the patient (asked by ${asked}) until the announcement, which took place`;
    else if (Date.parse(input.now) >= release.getTime())
      text = `hidden from the patient (asked by ${asked}) until ${release.toISOString()}, reached: visible now`;
    else {
      hidden = true;
      releaseAt = release.toISOString();
      text = `hidden from the patient (asked by ${asked}) until the announcement, at the latest ${releaseAt}`;
    }
    reasons.push({ code: 'INVISIBLE_PATIENT', set: hidden, text, ...ruleIds(input.rules.hiddenFromPatient) });
  }

  const secrecy = input.sender.hiddenFromLegalRepresentatives || input.secrecyRequested;
  const minorSecrecy = secrecy && input.minor;
  if (secrecy)
    reasons.push({
      code: 'INVISIBLE_REPRESENTANTS_LEGAUX',
      set: minorSecrecy,
      text: minorSecrecy
        ? 'hidden from the legal representatives: the minor asked for secrecy'
        : 'secrecy asked, but the patient is not a minor at the document date: not hidden from legal representatives',
    });

  const bySecrecy = minorSecrecy && input.options.secretConnectionForMinorSecrecy;
  const secretConnection = input.senderSecretConnection || bySecrecy;
  if (secretConnection)
    reasons.push({
      code: 'CONNEXION_SECRETE',
      set: true,
      text: input.senderSecretConnection
        ? 'VIHF connexion secrète asked by the sender'
        : 'VIHF connexion secrète: the minor asked for secrecy',
    });

  const flags: Visibility = {
    hiddenFromPatient: hidden,
    hiddenFromLegalRepresentatives: minorSecrecy,
    maskedFromProfessionals: masked,
  };
  return {
    confidentialityCodes: confidentialityCodes({ confidentiality: input.confidentiality, visibility: flags }),
    flags,
    secretConnection,
    ...(releaseAt ? { releaseAt } : {}),
    reasons,
  };
}

/** True when two visibilities send the same flags (a change after deposit needs a replacement). */
export function sameVisibility(a: Visibility, b: Visibility): boolean {
  return (
    a.hiddenFromPatient === b.hiddenFromPatient &&
    a.hiddenFromLegalRepresentatives === b.hiddenFromLegalRepresentatives &&
    a.maskedFromProfessionals === b.maskedFromProfessionals
  );
}
