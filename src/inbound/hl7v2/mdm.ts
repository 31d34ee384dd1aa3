/**
 * MDM^T02 / T10 / T04 (HL7 v2.6, structure MDM_T02) [VOLET-HL7
 * profils-messages.md "Message MDM en HL7v2.6" (MSH, EVN, PID, PV1,
 * COMMON_ORDER ORC + OBR, TXA, OBXNTE) and "Les métadonnées du document
 * [Uniquement pour le message MDM]"]: TXA-12 is the unique document number
 * (`<OID>` or `<extension>^^<OID>^ISO`), TXA-13 the replaced document's,
 * required for T10; TXA-2 the document type; TXA-6 / TXA-4 the creation and
 * activity times.
 */
import type { IssueCollector } from '../../errors/catalogue.ts';
import type { InstanceId } from '../../model/types.ts';
import type { DocumentFacts } from './document.ts';
import { all, componentsOf, get, type Hl7Message, one, path, repetitions, type Segment } from './message.ts';
import { documentSegments } from './obx.ts';
import { instant, oid } from './values.ts';

/** An EI (`entity id ^ namespace ^ universal id ^ type`) as an instance id; issues at `path`. */
function entityId(
  msg: Hl7Message,
  seg: Segment,
  field: number,
  issues: IssueCollector,
): { value: InstanceId; path: string } | undefined {
  const raw = repetitions(msg, seg, field)[0];
  if (raw === undefined) return undefined;
  const [id = '', , universal = ''] = componentsOf(msg, raw);
  const at = path(seg, field);
  if (universal) {
    const root = oid(
      universal,
      path(seg, field, 3),
      'the assigning authority of the document number',
      issues,
    );
    return root && id ? { value: { root, extension: id }, path: at } : undefined;
  }
  const root = oid(id, path(seg, field, 1), 'the document number', issues);
  return root ? { value: { root }, path: at } : undefined;
}

/** Segment checks and the TXA facts of an MDM message. */
export function mdmFacts(msg: Hl7Message, event: string, now: Date, issues: IssueCollector): DocumentFacts {
  if (!one(msg, 'EVN')) issues.add('HL7_SEGMENT_SEQUENCE', 'EVN', 'the EVN segment is missing');
  if (!one(msg, 'OBR')) issues.add('HL7_SEGMENT_SEQUENCE', 'OBR', 'the OBR segment is missing');
  const txas = all(msg, 'TXA');
  const txa = txas[0];
  if (txas.length > 1) issues.add('HL7_CARDINALITY', 'TXA[2]', 'one TXA segment only');
  const msh7 = instant(get(msg, msg.segments[0], 7), 'MSH[1]-7', issues);
  if (!txa) {
    issues.add('HL7_SEGMENT_SEQUENCE', 'TXA', 'the TXA segment (document metadata) is missing');
    return { creationTime: msh7 ?? now.toISOString() };
  }
  const uniqueId = entityId(msg, txa, 12, issues);
  if (repetitions(msg, txa, 12).length === 0) {
    issues.add('HL7_REQUIRED_FIELD', path(txa, 12), 'the unique document number (TXA-12) is missing');
  }
  const parent = entityId(msg, txa, 13, issues);
  if (event === 'T10' && repetitions(msg, txa, 13).length === 0) {
    issues.add(
      'HL7_REQUIRED_FIELD',
      path(txa, 13),
      'a replacement (T10) needs the parent document number (TXA-13)',
    );
  }
  if (parent?.value.extension) {
    issues.add(
      'INVALID_INPUT',
      path(txa, 13),
      'the DMP accepts a bare OID as document id (no OID^extension)',
    );
  }
  const type = get(msg, txa, 2);
  const obxType = get(msg, documentSegments(msg)[0], 3);
  if (!type) issues.add('HL7_REQUIRED_FIELD', path(txa, 2), 'the document type (TXA-2) is missing');
  else if (obxType && type !== obxType)
    issues.add('INVALID_INPUT', path(txa, 2), 'the document type differs from OBX-3');
  const activity = instant(get(msg, txa, 4), path(txa, 4), issues);
  const origination = instant(get(msg, txa, 6), path(txa, 6), issues);
  return {
    ...(uniqueId && { uniqueId }),
    ...(parent && event === 'T10' && { parentId: { value: parent.value.root, path: parent.path } }),
    creationTime: origination ?? activity ?? msh7 ?? now.toISOString(),
    ...(activity && { serviceStartTime: activity }),
  };
}
