/**
 * What a document message asks for: a new document, a replacement or a
 * deletion [VOLET-HL7 evenements-declenchants.md; profils-messages.md "Le
 * segment ORC": "La valeur du champ ORC-1 doit être cohérente avec la valeur
 * du champ OBX-11 et dans le cas du message MDM avec l'évènement déclenchant
 * (T02, T04 ou T10). En cas d'incohérence entre ces champs, le message HL7
 * sera rejeté par la PFI."]:
 *
 * | action  | MDM event | ORC-1 | OBX-11 |
 * |---------|-----------|-------|--------|
 * | new     | T02       | NW    | F      |
 * | replace | T10       | RO    | C      |
 * | delete  | T04       | CA    | D      |
 */
import type { IssueCollector } from '../../errors/catalogue.ts';
import { own } from '../../model/own.ts';
import { all, get, type Hl7Message, path, type Segment } from './message.ts';

export type Action = 'new' | 'replace' | 'delete';

const BY_EVENT: Readonly<Record<string, Action>> = { T02: 'new', T10: 'replace', T04: 'delete' };
const BY_ORDER_CONTROL: Readonly<Record<string, Action>> = { NW: 'new', RO: 'replace', CA: 'delete' };
const BY_RESULT_STATUS: Readonly<Record<string, Action>> = { F: 'new', C: 'replace', D: 'delete' };
const ORDER_CONTROL: Readonly<Record<Action, string>> = { new: 'NW', replace: 'RO', delete: 'CA' };
const RESULT_STATUS: Readonly<Record<Action, string>> = { new: 'F', replace: 'C', delete: 'D' };

/**
 * The action of the message: from the MDM event, or from ORC-1 for ORU; ORC-1
 * and the OBX-11 of every document OBX must agree with it
 * (HL7_INCONSISTENT_TRIGGER), and be in their tables (HL7_TABLE_VALUE).
 */
export function readAction(
  msg: Hl7Message,
  event: string,
  documents: readonly Segment[],
  issues: IssueCollector,
): Action | undefined {
  const orcs = all(msg, 'ORC');
  const orc = orcs[0];
  if (!orc) issues.add('HL7_SEGMENT_SEQUENCE', 'ORC', 'the ORC segment (request on the document) is missing');
  if (orcs.length > 1)
    issues.add('HL7_CARDINALITY', 'ORC[2]', 'one ORC segment only (one request per message)');
  const control = get(msg, orc, 1);
  const fromOrc = own(BY_ORDER_CONTROL, control);
  if (orc && !control) issues.add('HL7_REQUIRED_FIELD', path(orc, 1), 'the order control code is missing');
  else if (orc && !fromOrc)
    issues.add('HL7_TABLE_VALUE', path(orc, 1), 'the order control code must be NW, RO or CA');
  const fromEvent = own(BY_EVENT, event);
  const action = fromEvent ?? fromOrc;
  if (orc && fromEvent && fromOrc && fromOrc !== fromEvent) {
    issues.add(
      'HL7_INCONSISTENT_TRIGGER',
      path(orc, 1),
      `ORC-1 ${control} does not match event ${event} (expected ${ORDER_CONTROL[fromEvent]})`,
    );
  }
  for (const obx of documents) {
    const status = get(msg, obx, 11);
    const fromObx = own(BY_RESULT_STATUS, status);
    if (!status) issues.add('HL7_REQUIRED_FIELD', path(obx, 11), 'the result status (OBX-11) is missing');
    else if (!fromObx) issues.add('HL7_TABLE_VALUE', path(obx, 11), 'the result status must be F, C or D');
    else if (action && fromObx !== action) {
      issues.add(
        'HL7_INCONSISTENT_TRIGGER',
        path(obx, 11),
        `OBX-11 ${status} does not match the request (expected ${RESULT_STATUS[action]} for ${fromEvent ? `event ${event}` : `ORC-1 ${control}`})`,
      );
    }
  }
  return action;
}
