/**
 * The business acknowledgement of a stored submission [VOLET-HL7
 * "Contraintes à appliquer au message ZAM^Z01^ZAM_Z01 - Accusé de réception
 * DMP"; corpus fr-ans/oru/Message-metier-reception-DMP.er7]: accepted (Y)
 * when the document was deposited or deleted; otherwise N with the DMP's
 * errors, or the reason the gateway did not deliver it.
 */
import { buildZam, type ZamInput } from '../inbound/hl7v2/ack.ts';
import type { Hl7Header } from '../inbound/hl7v2/types.ts';
import type { ReplyChannel, StoredSubmission } from '../store/records.ts';

/** Gateway codes written in ERR-5 when the DMP gave no error code of its own. */
const NO_DMP_CODE: Readonly<Record<string, string>> = {
  rejected: 'REJECTED',
  failed: 'NOT_DELIVERED',
  skipped: 'NOT_SENT',
};

/** The outcome a ZAM reports for a terminal record. */
export function zamOutcome(stored: StoredSubmission): ZamInput['outcome'] {
  if (stored.status === 'deposited' || stored.status === 'deleted') return { accepted: true };
  const dmpErrors = stored.outcome?.errors ?? [];
  if (dmpErrors.length > 0)
    return { accepted: false, errors: dmpErrors.map((e) => ({ code: e.errorCode, text: e.codeContext })) };
  const text = stored.outcome?.reason ?? stored.status;
  return { accepted: false, errors: [{ code: NO_DMP_CODE[stored.status] ?? 'NOT_DEPOSITED', text }] };
}

/** The header of the original message, as far as the record keeps it (what the ZAM needs). */
export function originalHeader(reply: ReplyChannel): Hl7Header {
  return {
    sender: reply.sender,
    receiver: reply.receiver,
    messageType: reply.messageType,
    controlId: reply.controlId,
    processingId: reply.processingId ?? 'P',
    version: reply.version ?? '2.6',
    charset: reply.charset ?? 'UNICODE UTF-8',
  };
}

/** The ZAM^Z01 of a terminal record, as UTF-8 bytes. */
export function zamBytes(
  stored: StoredSubmission,
  reply: ReplyChannel,
  controlId: string,
  now: Date,
): Buffer {
  const text = buildZam({ header: originalHeader(reply), outcome: zamOutcome(stored), now, controlId });
  return Buffer.from(text, 'utf8');
}

/** MSA-1 and MSA-2 of an acknowledgement (undefined fields when it has no MSA). */
export function readAck(bytes: Uint8Array): { code?: string; controlId?: string } {
  const text = Buffer.from(bytes)
    .toString('latin1')
    .replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '');
  const separator = text.startsWith('MSH') ? text.charAt(3) : '|';
  const msa = text.split(/\r\n|\r|\n/).find((s) => s.startsWith(`MSA${separator}`));
  if (!msa) return {};
  const fields = msa.split(separator);
  return { code: fields[1], controlId: fields[2] };
}
