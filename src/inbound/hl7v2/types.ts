/**
 * What an inbound HL7 v2 message (ANS CI-SIS volet "Transmission de
 * documents CDA en HL7v2", PAM-FR) becomes once parsed and validated: a
 * wire-format-free intake for the pipeline, plus what the acknowledgements
 * need. Produced by the pure translators of this folder, consumed by the
 * MLLP/HTTP listeners.
 */
import type { Author, Code, IdentityStatus, Submission } from '../../model/types.ts';
import type { Hl7Message } from './message.ts';

/**
 * MSH-3/MSH-4 (sending) or MSH-5/MSH-6 (receiving) application and facility:
 * each the whole HD (`namespace^universal id^type`), re-encoded with the
 * standard delimiters `^`/`&` and escapes, ready to be written back as is.
 */
export interface Hl7Party {
  readonly application: string;
  readonly facility: string;
}

/** The MSH facts the acknowledgements and the duplicate check need. */
export interface Hl7Header {
  readonly sender: Hl7Party;
  readonly receiver: Hl7Party;
  /** MSH-9 as `TYPE^TRIGGER` (e.g. `MDM^T02`). */
  readonly messageType: string;
  /** MSH-10. */
  readonly controlId: string;
  /** MSH-11. */
  readonly processingId: string;
  /** MSH-12 (first component). */
  readonly version: string;
  /** MSH-18 as declared (e.g. `UNICODE UTF-8`, `8859/15`), or empty. */
  readonly charset: string;
}

/** MetaDMPMSS routing flags that are not visibility codes (those live in the DocumentEntry). */
export interface RoutingFlags {
  /** `DESTDMP`: false means the document must not be sent to the DMP. */
  readonly toDmp: boolean;
  /** `MODIF_CONF_CODE=Y`: the message changes confidentiality/visibility of a deposited document. */
  readonly confidentialityChange: boolean;
  /** `CONNEXION_SECRETE=Y`: the VIHF must carry the "connexion secrète" attribute. */
  readonly secretConnection: boolean;
  /** `ACK_RECEPTION=Y`: the sender wants a business acknowledgement (ZAM^Z01). */
  readonly businessAck: boolean;
  /** The message states ACK_RECEPTION (Y or N): it then overrides the sender's default. */
  readonly businessAckStated?: boolean;
}

/** One document of a message, ready for the pipeline. */
export interface Hl7Document {
  readonly submission: Submission;
  readonly flags: RoutingFlags;
  /** Where it came from in the message, e.g. `OBX[1]`. */
  readonly location: string;
}

/** Patient facts from PAM-FR ADT messages (ZFA), kept for the feeding rules. */
export interface PatientDmpFacts {
  /** INS as `matricule` + OID, when PID-3 carries one. */
  readonly ins?: { readonly root: string; readonly extension: string };
  readonly ipp?: { readonly root: string; readonly extension: string };
  /** ZFA-1 DMP status (e.g. `ACTIF`, `FERME`, `INEXISTANT`) as sent. */
  readonly dmpStatus?: string;
  /** ZFA-9: the patient opposes feeding the DMP (`IO`; any code but `INO` counts as opposition). */
  readonly opposedToFeeding: boolean;
  /** ZFA-9 as sent (`INO` informed, not opposed; `IO` informed, opposed), when present. */
  readonly feedingInformation?: string;
  /** ZFA-11 as sent (information and consent to consultation, e.g. `IC`, `INC`), when present. */
  readonly consultationInformation?: string;
  /** PID-32 identity reliability (`VALI` = qualified); absent when PID-32 is empty. */
  readonly identityStatus?: IdentityStatus;
}

export type Hl7Intake =
  | {
      readonly kind: 'documents';
      readonly header: Hl7Header;
      readonly documents: readonly Hl7Document[];
      /** The parsed message, for what reads it beside the translation (the mapping's facts). */
      readonly message: Hl7Message;
    }
  | {
      readonly kind: 'deletion';
      readonly header: Hl7Header;
      /** uniqueId (OID) of the document to delete (the first one when the message deletes several). */
      readonly documentUniqueId: string;
      /** Every document the message deletes, in OBX order (two for an ORU carrying the N1 and N3 instances). */
      readonly documentUniqueIds: readonly string[];
      readonly patient: Submission['patient'];
      /** Activity of the update submission set (PV1-2). */
      readonly contentTypeCode: Code;
      /** Who asks for the deletion (PRT `SB`). */
      readonly author: Author;
      readonly flags: RoutingFlags;
      /** Where the deleted document was named, e.g. `TXA[1]-12` or `OBX[1]`. */
      readonly location: string;
    }
  | { readonly kind: 'patient'; readonly header: Hl7Header; readonly facts: PatientDmpFacts };
