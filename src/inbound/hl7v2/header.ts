/**
 * MSH: the header facts the acknowledgements need, and the checks that decide
 * whether the gateway handles the message at all [VOLET-HL7
 * profils-messages.md "Le segment MSH" (MSH-9 ORU^R01^ORU_R01,
 * MDM^T02/T10/T04^MDM_T02; MSH-11 P/T/D; MSH-12 2.5 for ORU, 2.6 for MDM);
 * IHE PAM National extension France 2.11 (ADT, MSH-12 `2.5`)].
 */
import { GatewayError, IssueCollector } from '../../errors/catalogue.ts';
import { own } from '../../model/own.ts';
import { all, get, type Hl7Message, parseHl7, reencode, repetitions } from './message.ts';
import type { Hl7Header } from './types.ts';

/** Document events of the volet (evenements-declenchants.md) and the PAM-FR ADT events that carry a patient. */
export const SUPPORTED_EVENTS: Readonly<Record<string, readonly string[]>> = {
  MDM: ['T02', 'T04', 'T10'],
  ORU: ['R01'],
  ADT: [
    'A01',
    'A02',
    'A03',
    'A04',
    'A05',
    'A06',
    'A07',
    'A08',
    'A11',
    'A12',
    'A13',
    'A21',
    'A22',
    'A28',
    'A31',
  ],
};

/**
 * HL7 versions accepted (MSH-12.1). The volet fixes 2.5 (ORU, PAM-FR ADT) and
 * 2.6 (MDM); 2.5.1 is the same structure. A version outside this list is
 * refused with condition 203, as in the volet's own ACK example.
 */
export const SUPPORTED_VERSIONS: readonly string[] = ['2.5', '2.5.1', '2.6'];

/** MSH-11 processing ids the volet allows: production, training/test, debug (HL7 table 0103). */
const PROCESSING_IDS = ['P', 'T', 'D'];

/** The header of a parsed message; HD values re-encoded with the standard delimiters. */
export function headerOf(msg: Hl7Message): Hl7Header {
  const msh = msg.segments[0];
  const first = (field: number): string | undefined => repetitions(msg, msh, field)[0];
  return {
    sender: { application: reencode(msg, first(3)), facility: reencode(msg, first(4)) },
    receiver: { application: reencode(msg, first(5)), facility: reencode(msg, first(6)) },
    messageType: `${get(msg, msh, 9, 1)}^${get(msg, msh, 9, 2)}`,
    controlId: get(msg, msh, 10),
    processingId: get(msg, msh, 11),
    version: get(msg, msh, 12),
    charset: msg.declaredCharset,
  };
}

/**
 * The header of raw bytes, for acknowledging a message that fails
 * translation; undefined when the bytes have no usable MSH segment.
 */
export function readHl7Header(bytes: Uint8Array): Hl7Header | undefined {
  try {
    return headerOf(parseHl7(bytes));
  } catch {
    return undefined;
  }
}

export type MessageKind = 'MDM' | 'ORU' | 'ADT';

/**
 * Checks MSH-9 (type, event), MSH-10, MSH-11 and MSH-12, and that the message
 * holds one MSH only. Throws at once (nothing else is read from a message the
 * gateway does not handle); returns the message type.
 */
export function checkHeader(msg: Hl7Message, header: Hl7Header): MessageKind {
  const issues = new IssueCollector();
  const msh = msg.segments[0];
  const [type, event] = header.messageType.split('^') as [string, string];
  const events = own(SUPPORTED_EVENTS, type);
  if (!type) issues.add('HL7_REQUIRED_FIELD', 'MSH[1]-9', 'the message type is missing');
  else if (!events) {
    issues.add(
      'HL7_UNSUPPORTED_MESSAGE_TYPE',
      'MSH[1]-9.1',
      `message type ${type.slice(0, 10)} is not supported (MDM, ORU, ADT)`,
    );
  } else if (!events.includes(event)) {
    issues.add(
      'HL7_UNSUPPORTED_EVENT',
      'MSH[1]-9.2',
      `event ${event.slice(0, 10) || '(empty)'} is not supported for ${type} (${events.join(', ')})`,
    );
  }
  if (!header.controlId) issues.add('HL7_REQUIRED_FIELD', 'MSH[1]-10', 'the message control id is missing');
  const processing = get(msg, msh, 11, 1);
  if (!PROCESSING_IDS.includes(processing)) {
    issues.add(
      'HL7_UNSUPPORTED_PROCESSING_ID',
      'MSH[1]-11',
      `processing id ${processing.slice(0, 5) || '(empty)'} is not supported (P, T or D)`,
    );
  }
  if (!SUPPORTED_VERSIONS.includes(header.version)) {
    issues.add(
      'HL7_UNSUPPORTED_VERSION',
      'MSH[1]-12',
      `HL7 version ${header.version.slice(0, 10) || '(empty)'} is not supported (${SUPPORTED_VERSIONS.join(', ')})`,
    );
  }
  if (all(msg, 'MSH').length > 1) {
    issues.add('HL7_CARDINALITY', 'MSH[2]', 'one message per frame: a second MSH segment was found');
  }
  if (!issues.empty) throw new GatewayError(issues.issues[0]?.code ?? 'INVALID_INPUT', issues.issues);
  return type as MessageKind;
}
