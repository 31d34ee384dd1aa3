/**
 * The shapes of submission records: statuses, the operator-visible record
 * (identifiers and codes, never patient data), timeline events and outcomes.
 */
import type { RecordedMapping } from '../mappings/submission.ts';
import type { Code, InstanceId, Submission, Visibility } from '../model/types.ts';

export type SubmissionStatus =
  | 'received'
  | 'queued'
  | 'sending'
  | 'retrying'
  | 'held'
  | 'deposited'
  | 'deleted'
  | 'skipped'
  | 'rejected'
  | 'failed'
  | 'cancelled';
/** Statuses a record does not leave (except by replay). */
export const TERMINAL: ReadonlySet<SubmissionStatus> = new Set([
  'deposited',
  'deleted',
  'skipped',
  'rejected',
  'failed',
  'cancelled',
]);

export type Source = 'fhir' | 'hl7v2' | 'xds';

/** Where the outcome goes back to (business acknowledgement), when the sender asked for it. */
export interface ReplyChannel {
  readonly channel: 'hl7v2';
  /** Sending application and facility of the original message (MSH-3/MSH-4). */
  readonly sender: { readonly application: string; readonly facility: string };
  /** Receiving application and facility of the original message (MSH-5/MSH-6). */
  readonly receiver: { readonly application: string; readonly facility: string };
  /** MSH-10 of the original message. */
  readonly controlId: string;
  /** MSH-9 of the original message. */
  readonly messageType: string;
  /** Whether a business acknowledgement (ZAM^Z01) is wanted. */
  readonly businessAck: boolean;
  /** MSH-11, MSH-12 and MSH-18 of the original message: the ZAM answers in the same processing mode, version and charset. */
  readonly processingId?: string;
  readonly version?: string;
  readonly charset?: string;
}

/** What an operator may see of a submission: identifiers and codes, never patient data. */
export interface SubmissionRecord {
  readonly id: string;
  /** A deposit of documents, or the deletion of a deposited document. */
  readonly kind: 'deposit' | 'deletion';
  readonly source: Source;
  readonly createdAt: string;
  readonly identity: string;
  readonly contentHash: string;
  readonly submissionSet: { readonly uniqueId: string; readonly entryUUID: string };
  readonly documents: readonly {
    readonly uniqueId: string;
    readonly entryUUID: string;
    readonly setId: InstanceId;
    readonly versionNumber: number;
    readonly typeCode: Code;
    readonly replaces?: string;
    /** HL7 `MODIF_CONF_CODE=Y`: the sender restated the document's confidentiality with this version. */
    readonly confidentialityChange?: boolean;
  }[];
  /** uniqueId of the document a deletion removes. */
  readonly target?: string;
  readonly reply?: ReplyChannel;
  /** A replacement the gateway made itself (src/lifecycle): an announcement release or a visibility change. */
  readonly lifecycle?: LifecycleTag;
  /** The mapping applied at intake (files, versions) and, per document, the facts the feeding rules match on. */
  readonly mapping?: RecordedMapping;
  /** The geographic site the deposit's VIHF names (Submission.site); a deletion must name the same. */
  readonly site?: Submission['site'];
}

/** What a gateway-made replacement is for; no patient data. */
export interface LifecycleTag {
  /** `release`: INVISIBLE_PATIENT lifted (announcement or time limit); `visibility`: flags changed by the API. */
  readonly kind: 'release' | 'visibility';
  /** uniqueId of the deposited document it replaces. */
  readonly replaces: string;
  /** A release waits until then (the visibility policy's releaseAt), unless the announcement comes first. */
  readonly holdUntil?: string;
}

/** The visibility actually sent for one document (kept to build a later replacement). */
export interface SentVisibility {
  readonly uniqueId: string;
  readonly flags: Visibility;
  readonly secretConnection: boolean;
  /** While INVISIBLE_PATIENT was sent: when it must be released. */
  readonly releaseAt?: string;
  /**
   * The version actually sent, which differs from the record's when the document followed the gateway's
   * own later version (src/queue/ordering-step.ts): its versionNumber, entryUUID and the entry it
   * replaced. Absent in records written before it was kept: the record's then hold.
   */
  readonly versionNumber?: number;
  readonly entryUUID?: string;
  readonly replaces?: { readonly uniqueId: string; readonly entryUUID?: string };
}

export interface XdsErrorView {
  readonly errorCode: string;
  readonly codeContext: string;
  readonly location?: string;
}

export interface Outcome {
  readonly reason?: string;
  readonly errors?: readonly XdsErrorView[];
}

export interface TimelineEvent {
  readonly at: string;
  readonly type:
    | 'received'
    | 'queued'
    | 'attempt'
    | 'retry'
    | 'reconciled'
    | 'deposited'
    | 'deleted'
    | 'skipped'
    | 'rejected'
    | 'failed'
    | 'replayed'
    | 'recovered'
    | 'notified'
    | 'held'
    | 'cancelled'
    | 'event'
    | 'scheduled';
  readonly attempt?: number;
  readonly outcome?: string;
  readonly detail?: string;
  readonly codes?: readonly string[];
}

export interface StoredSubmission {
  readonly record: SubmissionRecord;
  readonly status: SubmissionStatus;
  readonly updatedAt: string;
  readonly attempts: number;
  readonly jobId?: string;
  readonly outcome?: Outcome;
  /** A request that may have reached the DMP is unanswered: look the documents up before resending. */
  readonly mayHaveLanded: boolean;
  /** The feeding decision (rules, reasons, CME references) of the last attempt; no patient data. */
  readonly decision?: unknown;
  /** While `held`: when the hold ends (the job may wake earlier to decide again), and why it waits. */
  readonly holdUntil?: string;
  readonly holdReason?: string;
  /** The minor asked for secrecy through the API (INVISIBLE_REPRESENTANTS_LEGAUX). */
  readonly secrecyRequested?: boolean;
  /** The visibility sent with the deposit, per document. */
  readonly sent?: readonly SentVisibility[];
  readonly timeline: readonly TimelineEvent[];
}

export type CreateResult =
  | { readonly kind: 'created'; readonly id: string; readonly supersedes?: string }
  | { readonly kind: 'duplicate'; readonly id: string }
  | { readonly kind: 'conflict'; readonly id: string };

export type ClaimResult =
  | { readonly ok: true; readonly jobId: string }
  | { readonly ok: false; readonly reason: string };
