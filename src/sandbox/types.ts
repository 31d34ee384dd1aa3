/**
 * Public types of the built-in sandbox DMP: its options, fault injection
 * settings, seeded patients, the admin view of stored documents and the
 * access trace (DOMAIN.md §1; issue "Sandbox DMP").
 */

/** The four DMP transactions the sandbox serves (DOMAIN.md §1). */
export type SandboxEndpoint = 'iti41' | 'iti18' | 'iti57' | 'td02';

export const SANDBOX_ENDPOINTS: readonly SandboxEndpoint[] = ['iti41', 'iti18', 'iti57', 'td02'];

/** State of a patient's DMP: open, closed, or never created. */
export type DmpState = 'active' | 'closed' | 'absent';

/** An INS as an identifier: matricule (`extension`) and INS OID (`root`). */
export interface InsId {
  readonly root: string;
  readonly extension: string;
}

/** A patient to seed: INS as `matricule^^^&<oid>&ISO^NH` or `{ root, extension }`. */
export interface PatientSeed {
  readonly ins: string | InsId;
  readonly dmp: DmpState;
}

export interface SeededPatient extends InsId {
  readonly dmp: DmpState;
}

/** Injected failures. */
export type FaultKind = 'http500' | 'soapFault' | 'registryBusy' | 'drop' | 'commitThenTimeout';

export const FAULT_KINDS: readonly FaultKind[] = [
  'http500',
  'soapFault',
  'registryBusy',
  'drop',
  'commitThenTimeout',
];

/** Deterministic failures: the next `count` requests (to `endpoint`, or any) get `kind`. */
export interface FailNext {
  readonly kind: FaultKind;
  readonly count: number;
  readonly endpoint?: SandboxEndpoint;
}

/**
 * Fault injection. Percentages (0–100) are drawn per request, in the order
 * drop, http500, soapFault, registryBusy, commitThenTimeout; `failNext`
 * entries are consumed first, in order. `latencyMs` delays every answer.
 */
export interface SandboxFaults {
  readonly latencyMs?: number;
  readonly http500Percent?: number;
  readonly soapFaultPercent?: number;
  /** RegistryResponse Failure `XDSRegistryBusy` (ITI-41/57/18); TD0.2 gets a Receiver SOAP Fault. */
  readonly registryBusyPercent?: number;
  /** The socket is destroyed after the request is read, without any answer. */
  readonly dropPercent?: number;
  /** The request is processed (a deposit is stored) and never answered. */
  readonly commitThenTimeoutPercent?: number;
  /** Endpoints the percentages apply to (default: all). */
  readonly endpoints?: readonly SandboxEndpoint[];
  readonly failNext?: readonly FailNext[];
}

/** Minimal logger (pino-compatible): internal errors of the sandbox are reported here, without patient data. */
export interface SandboxLogger {
  warn(obj: object, msg?: string): void;
}

export interface SandboxOptions {
  /** Listening address of the HTTPS endpoints (default 127.0.0.1). */
  readonly host?: string;
  /** HTTPS port; 0 = ephemeral (default 0). */
  readonly port?: number;
  /** Plain HTTP admin port on loopback; 0 = ephemeral (default 0). */
  readonly adminPort?: number;
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
  /** CA that issues the accepted TLS client certificates. */
  readonly clientCaPem: string;
  /** Pinned signing certificates accepted for the VIHF and the XAdES signature. */
  readonly trustedSigningCertsPem: readonly string[];
  /** Verify VIHF and XAdES signatures (default true; the benchmark turns it off). */
  readonly checkSignatures?: boolean;
  readonly patients?: readonly PatientSeed[];
  readonly faults?: SandboxFaults;
  /** Largest request body accepted (default 64 MiB). */
  readonly maxBodyBytes?: number;
  /** Random source of the fault percentages (default Math.random); see `seededRandom`. */
  readonly random?: () => number;
  /** Clock (default: the system clock). */
  readonly now?: () => Date;
  /** Accepted clock difference for the VIHF validity window (default 60 s). */
  readonly clockSkewSeconds?: number;
  /** How long a commit-then-timeout request keeps its socket open (default 10 min). */
  readonly hangTimeoutMs?: number;
  /** Number of trace entries kept (default 10,000). */
  readonly traceLimit?: number;
  readonly log?: SandboxLogger;
}

/** A coded metadata value as stored. */
export interface CodeView {
  readonly code: string;
  readonly codeSystem?: string;
  readonly displayName?: string;
}

/** One registry entry, as the admin view shows it. */
export interface SandboxDocument {
  readonly entryUUID: string;
  readonly uniqueId: string;
  /** `signature`: the XAdES entry that signs its submission set. */
  readonly kind: 'document' | 'signature';
  /** XDSDocumentEntry.patientId (CX, `^NH`). */
  readonly patientId: string;
  /** availabilityStatus URN (Approved, Deprecated, or the DMP's Deleted). */
  readonly status: string;
  readonly mimeType?: string;
  readonly title?: string;
  readonly typeCode?: CodeView;
  readonly classCode?: CodeView;
  readonly formatCode?: CodeView;
  readonly healthcareFacilityTypeCode?: CodeView;
  readonly practiceSettingCode?: CodeView;
  readonly confidentialityCodes: readonly CodeView[];
  readonly creationTime?: string;
  readonly hash: string;
  readonly size: number;
  readonly submissionSet: {
    readonly entryUUID: string;
    readonly uniqueId: string;
    readonly sourceId?: string;
    readonly submissionTime?: string;
  };
  /** VIHF Identifiant_Structure of the depositor. */
  readonly depositorStructureId: string;
  readonly storedAt: string;
  readonly updatedAt: string;
  /** entryUUID this entry replaces (RPLC). */
  readonly replaces?: string;
  /** entryUUID of the entry that replaced this one. */
  readonly replacedBy?: string;
  /** The document bytes, base64, only when asked for. */
  readonly contentBase64?: string;
}

/** How a call ended. */
export type TraceOutcome = 'success' | 'failure' | 'soapFault' | 'http500' | 'dropped' | 'noAnswer';

/** One call to the sandbox: identifiers only, never patient data. */
export interface TraceEntry {
  readonly time: string;
  readonly endpoint: SandboxEndpoint;
  readonly action?: string;
  readonly messageId?: string;
  /** Subject DN of the TLS client certificate. */
  readonly clientSubject?: string;
  readonly outcome: TraceOutcome;
  /** XDS error codes (or SOAP fault subcode / HL7 detail code). */
  readonly errorCodes: readonly string[];
  /** Injected fault, if any. */
  readonly fault?: FaultKind;
  /** uniqueIds of the documents stored by the call. */
  readonly storedUniqueIds?: readonly string[];
  /** uniqueIds of the documents of a successful ITI-41, stored now or already held (identical resend). */
  readonly acceptedUniqueIds?: readonly string[];
  readonly durationMs: number;
}

/** A running sandbox and its in-process API (also served by the admin listener). */
export interface Sandbox {
  readonly host: string;
  readonly port: number;
  /** `https://host:port` */
  readonly url: string;
  readonly adminPort: number;
  /** `http://host:adminPort` */
  readonly adminUrl: string;
  /** Endpoint URLs by transaction. */
  readonly endpoints: Readonly<Record<SandboxEndpoint, string>>;
  documents(): SandboxDocument[];
  document(uniqueId: string, withContent?: boolean): SandboxDocument | undefined;
  trace(): TraceEntry[];
  faults(): SandboxFaults;
  /** Replaces the fault settings (validated; throws on a bad value). */
  setFaults(faults: SandboxFaults): void;
  seedPatient(seed: PatientSeed): SeededPatient;
  patients(): SeededPatient[];
  /** Forgets documents and trace; patients and faults go back to the start options. */
  reset(): void;
  close(): Promise<void>;
}
