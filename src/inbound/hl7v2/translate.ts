/**
 * HL7 v2 message bytes → the intake the pipeline stores [VOLET-HL7
 * "Transmission de document(s) CDA en HL7v2" (MDM^T02/T10/T04, ORU^R01);
 * IHE PAM-FR 2.11 (ADT with ZFA); DOMAIN.md §7]. Pure: configuration, id
 * source and time are given. Every problem is a GatewayError whose issues are
 * located as `SEG[n]-f.c` and carry an HL7 table 0357 condition (and the
 * volet's 90x code where one applies); all of them are reported at once,
 * except a message the gateway does not handle at all (no MSH, unknown type,
 * event, version), refused on its header alone.
 */
import { IssueCollector } from '../../errors/catalogue.ts';
import { translateAdt } from './adt.ts';
import { type TranslateContext, translateDocuments } from './document.ts';
import { checkHeader, headerOf } from './header.ts';
import { mdmFacts } from './mdm.ts';
import { parseHl7 } from './message.ts';
import { oruFacts } from './oru.ts';
import type { Hl7Intake } from './types.ts';

export type { TranslateContext } from './document.ts';
export { readHl7Header } from './header.ts';
export type { PredecessorFacts, PredecessorLookup } from './n1-entry.ts';

/** Translates one message. Throws GatewayError listing every problem found. */
export function translateHl7(bytes: Uint8Array, ctx: TranslateContext): Hl7Intake {
  const msg = parseHl7(bytes);
  const header = headerOf(msg);
  const kind = checkHeader(msg, header);
  const issues = new IssueCollector();
  const event = header.messageType.split('^')[1] ?? '';
  let intake: Hl7Intake | undefined;
  switch (kind) {
    case 'MDM':
      intake = translateDocuments(msg, header, mdmFacts(msg, event, ctx.now, issues), 1, ctx, issues);
      break;
    case 'ORU':
      intake = translateDocuments(msg, header, oruFacts(msg, ctx.now, issues), 2, ctx, issues);
      break;
    case 'ADT':
      intake = translateAdt(msg, header, ctx, issues);
      break;
  }
  issues.throwIfAny();
  if (!intake) throw new Error('HL7 translation ended without intake nor issue');
  return intake;
}
