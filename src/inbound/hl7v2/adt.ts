/**
 * PAM-FR ADT → the patient's DMP facts [IHE PAM National extension France
 * 2.11, segment ZFA "Statut DMP du patient": ZFA-1 DMP status (`ACTIF`,
 * `FERME`, `INEXISTANT`...), ZFA-9 "Information et opposition à
 * l'alimentation" (`INO` informed, not opposed; `IO` informed, opposed),
 * ZFA-11 "Information et opposition à la consultation"; corpus
 * fr-ans/adt ConsentementConsultation_NonOppositionAlimentation (ZFA-9 INO)
 * and NonConsentementConsultation_OppositionAlimentation (ZFA-9 IO)]. The
 * feeding rules block a patient who opposes feeding (DOMAIN.md §7, §9).
 *
 * A ZFA-9 other than `INO` (or empty) counts as opposition: an unknown code
 * blocks feeding rather than allowing it; the code is kept as sent.
 */
import type { IssueCollector } from '../../errors/catalogue.ts';
import type { TranslateContext } from './document.ts';
import { all, get, type Hl7Message } from './message.ts';
import { readPid } from './pid.ts';
import type { Hl7Header, Hl7Intake } from './types.ts';

/** Reads PID (an INS is not required in ADT) and the one ZFA, when present. */
export function translateAdt(
  msg: Hl7Message,
  header: Hl7Header,
  ctx: TranslateContext,
  issues: IssueCollector,
): Hl7Intake | undefined {
  const pid = readPid(msg, ctx.config, issues, false);
  const zfas = all(msg, 'ZFA');
  if (zfas.length > 1) issues.add('HL7_CARDINALITY', 'ZFA[2]', 'one ZFA segment only');
  const zfa = zfas[0];
  const dmpStatus = get(msg, zfa, 1);
  const feeding = get(msg, zfa, 9);
  const consultation = get(msg, zfa, 11);
  if (!pid.segment) return undefined;
  return {
    kind: 'patient',
    header,
    facts: {
      ...(pid.ins && { ins: pid.ins }),
      ...(pid.ipp && { ipp: pid.ipp }),
      ...(dmpStatus && { dmpStatus }),
      opposedToFeeding: feeding !== '' && feeding !== 'INO',
      ...(feeding && { feedingInformation: feeding }),
      ...(consultation && { consultationInformation: consultation }),
      ...(pid.identityStatus && { identityStatus: pid.identityStatus }),
    },
  };
}
