/**
 * MetaDMPMSS observations → visibility and routing flags [VOLET-HL7
 * meta-dmp-mss.md (codes), profils-messages.md "Les métadonnées DMP/MSSanté"
 * (`OBX|n|CE or CWE|<CODE>^<label>^MetaDMPMSS||Y|N^^expandedYes-NoIndicator`);
 * mapping.md confidentialityCode: occurrences after the CDA's N/R/V come from
 * these OBX]. `INVISIBLE_REP_LEGAUX` is the HL7 v2 spelling of TRE_A07
 * `INVISIBLE_REPRESENTANTS_LEGAUX`.
 *
 * "Ces métadonnées sont requises sauf les deux dernières (Corps du mail...)",
 * and the two acknowledgement requests are optional (profils-messages.md):
 * a missing required flag is refused (101), so that a message cut at a
 * segment boundary is not read as "all flags off".
 */
import type { IssueCollector } from '../../errors/catalogue.ts';
import type { Visibility } from '../../model/types.ts';
import { HL7V2 } from '../../model/vocabulary.ts';
import { all, type Hl7Message, leaf, path, repetitions, type Segment } from './message.ts';
import type { RoutingFlags } from './types.ts';

/** Y/N flags of the MetaDMPMSS table; CORPSMAIL_* are ED texts for MSSanté mails, not flags. */
const FLAGS = [
  'MASQUE_PS',
  'INVISIBLE_PATIENT',
  'INVISIBLE_REP_LEGAUX',
  'CONNEXION_SECRETE',
  'MODIF_CONF_CODE',
  'DESTDMP',
  'DESTMSSANTEPS',
  'DESTMSSANTEPAT',
  'ACK_RECEPTION',
  'ACK_LECTURE_MSS',
] as const;
const TEXTS = ['CORPSMAIL_PS', 'CORPSMAIL_PATIENT'];
const OPTIONAL: readonly string[] = ['ACK_RECEPTION', 'ACK_LECTURE_MSS'];

type Flag = (typeof FLAGS)[number];

/** True for the OBX that carry a MetaDMPMSS code (OBX-3.3). */
export function isMetaDmp(msg: Hl7Message, obx: Segment): boolean {
  return leaf(msg, repetitions(msg, obx, 3)[0], 3) === HL7V2.metaDmpMss;
}

export interface MetaDmp {
  readonly visibility: Visibility;
  readonly flags: RoutingFlags;
}

/** Reads every MetaDMPMSS OBX; unknown codes (103), values other than Y/N (103), repeated (198) or missing (101) codes. */
export function readMetaDmp(msg: Hl7Message, issues: IssueCollector): MetaDmp {
  const values = new Map<Flag, boolean>();
  const seen = new Set<string>();
  for (const obx of all(msg, 'OBX').filter((s) => isMetaDmp(msg, s))) {
    const code = leaf(msg, repetitions(msg, obx, 3)[0], 1);
    if (TEXTS.includes(code)) continue;
    if (!(FLAGS as readonly string[]).includes(code)) {
      issues.add('HL7_TABLE_VALUE', path(obx, 3, 1), `${code.slice(0, 30)} is not a MetaDMPMSS code`);
      continue;
    }
    if (seen.has(code)) {
      issues.add('HL7_CARDINALITY', path(obx, 3), `${code} is given more than once`);
      continue;
    }
    seen.add(code);
    const value = leaf(msg, repetitions(msg, obx, 5)[0], 1);
    if (value === 'Y' || value === 'N') values.set(code as Flag, value === 'Y');
    else issues.add('HL7_TABLE_VALUE', path(obx, 5, 1), `${code} must be Y or N (HL7 table 0136)`);
  }
  for (const flag of FLAGS.filter((f) => !OPTIONAL.includes(f) && !seen.has(f))) {
    issues.add('HL7_REQUIRED_FIELD', 'OBX', `the MetaDMPMSS observation ${flag} (Y or N) is missing`);
  }
  const on = (flag: Flag): boolean => values.get(flag) ?? false;
  return {
    visibility: {
      hiddenFromPatient: on('INVISIBLE_PATIENT'),
      hiddenFromLegalRepresentatives: on('INVISIBLE_REP_LEGAUX'),
      maskedFromProfessionals: on('MASQUE_PS'),
    },
    flags: {
      toDmp: values.get('DESTDMP') ?? true,
      confidentialityChange: on('MODIF_CONF_CODE'),
      secretConnection: on('CONNEXION_SECRETE'),
      businessAck: on('ACK_RECEPTION'),
      ...(values.has('ACK_RECEPTION') && { businessAckStated: true }),
    },
  };
}
