/**
 * ORU^R01 (HL7 v2.5, structure ORU_R01) [VOLET-HL7 profils-messages.md
 * "Message ORU^R01^ORU_R01 en HL7v2.5": PID, PV1, one ORDER_OBSERVATION (ORC,
 * OBR, then the OBSERVATION groups: the document OBX with its PRT, an
 * optional second document OBX, the MetaDMPMSS OBX)]. ORU has no TXA: the
 * document ids come from the CDA; OBR-7 (observation) and OBR-22 (results
 * report) give the times of a document that has no CDA header.
 */
import type { IssueCollector } from '../../errors/catalogue.ts';
import type { DocumentFacts } from './document.ts';
import { all, get, type Hl7Message, path } from './message.ts';
import { instant } from './values.ts';

/** Segment checks and the OBR facts of an ORU message. */
export function oruFacts(msg: Hl7Message, now: Date, issues: IssueCollector): DocumentFacts {
  const obrs = all(msg, 'OBR');
  const obr = obrs[0];
  if (!obr) issues.add('HL7_SEGMENT_SEQUENCE', 'OBR', 'the OBR segment is missing');
  if (obrs.length > 1)
    issues.add('HL7_CARDINALITY', 'OBR[2]', 'one ORDER_OBSERVATION (ORC + OBR) per message');
  const msh7 = instant(get(msg, msg.segments[0], 7), 'MSH[1]-7', issues);
  const observed = obr && instant(get(msg, obr, 7), path(obr, 7), issues);
  const reported = obr && instant(get(msg, obr, 22), path(obr, 22), issues);
  return {
    creationTime: reported ?? observed ?? msh7 ?? now.toISOString(),
    ...(observed && { serviceStartTime: observed }),
  };
}
