/**
 * The one error catalogue. Every failure the gateway reports has a stable
 * code, says whether retrying can help, and carries the specification's own
 * code where one exists (XDS error code, HL7 v2 volet code 900–906, HL7
 * table 0357 condition code). Each boundary translates these into its own
 * vocabulary (OperationOutcome, ACK/ERR, RegistryResponse).
 */

export interface CatalogueEntry {
  /** Stable gateway code. */
  readonly code: string;
  /** Whether the same request may succeed later unchanged. */
  readonly retryable: boolean;
  /** XDS error code (ITI TF-3 Table 4.2.4.1-2) when the failure maps to one. */
  readonly xds?: string;
  /** ANS HL7 v2 volet consumer error code (DOMAIN.md §7) when one applies. */
  readonly volet?: string;
  /** HL7 v2 message error condition (table 0357: 100 segment sequence, 101 required field missing, 102 data type, 103 table value, 200 unsupported message type, 207 application internal error...). */
  readonly hl7?: string;
  readonly summary: string;
}

export const CATALOGUE = {
  INVALID_INPUT: {
    code: 'INVALID_INPUT',
    retryable: false,
    xds: 'XDSRegistryMetadataError',
    summary: 'the input is not valid',
  },
  MISSING_INS: {
    code: 'MISSING_INS',
    retryable: false,
    xds: 'XDSPatientIdDoesNotMatch',
    volet: '903',
    summary: 'no INS for the patient',
  },
  INS_MISMATCH: {
    code: 'INS_MISMATCH',
    retryable: false,
    xds: 'XDSPatientIdDoesNotMatch',
    volet: '904',
    summary: 'the INS differs between the message and the document',
  },
  INS_INCOMPLETE: {
    code: 'INS_INCOMPLETE',
    retryable: false,
    xds: 'XDSPatientIdDoesNotMatch',
    volet: '905',
    summary: 'the INS identity traits are incomplete',
  },
  UNSUPPORTED_CONTENT: {
    code: 'UNSUPPORTED_CONTENT',
    retryable: false,
    xds: 'XDSRepositoryMetadataError',
    summary: 'the document content type is not supported',
  },
  UNSAFE_XML: {
    code: 'UNSAFE_XML',
    retryable: false,
    xds: 'XDSRegistryMetadataError',
    summary: 'the XML uses a DOCTYPE or entity declaration',
  },
  CONFIG_INVALID: { code: 'CONFIG_INVALID', retryable: false, summary: 'the configuration is not valid' },
  // HL7 v2 message errors, by HL7 table 0357 condition [HL7 v2.5 §2.15.5.3; VOLET-HL7 error-codes.md].
  HL7_SEGMENT_SEQUENCE: {
    code: 'HL7_SEGMENT_SEQUENCE',
    retryable: false,
    hl7: '100',
    summary: 'a required segment is missing or out of order',
  },
  HL7_REQUIRED_FIELD: {
    code: 'HL7_REQUIRED_FIELD',
    retryable: false,
    hl7: '101',
    summary: 'a required field is missing',
  },
  HL7_DATA_TYPE: {
    code: 'HL7_DATA_TYPE',
    retryable: false,
    hl7: '102',
    summary: 'a field does not match its data type',
  },
  HL7_TABLE_VALUE: {
    code: 'HL7_TABLE_VALUE',
    retryable: false,
    hl7: '103',
    summary: 'a coded value is not in its table',
  },
  HL7_CARDINALITY: {
    code: 'HL7_CARDINALITY',
    retryable: false,
    hl7: '198',
    summary: 'a segment or field occurs more often than allowed',
  },
  HL7_UNSUPPORTED_MESSAGE_TYPE: {
    code: 'HL7_UNSUPPORTED_MESSAGE_TYPE',
    retryable: false,
    hl7: '200',
    summary: 'the message type is not supported',
  },
  HL7_UNSUPPORTED_EVENT: {
    code: 'HL7_UNSUPPORTED_EVENT',
    retryable: false,
    hl7: '201',
    summary: 'the trigger event is not supported',
  },
  HL7_UNSUPPORTED_PROCESSING_ID: {
    code: 'HL7_UNSUPPORTED_PROCESSING_ID',
    retryable: false,
    hl7: '202',
    summary: 'the processing id is not supported',
  },
  HL7_UNSUPPORTED_VERSION: {
    code: 'HL7_UNSUPPORTED_VERSION',
    retryable: false,
    hl7: '203',
    summary: 'the HL7 version is not supported',
  },
  HL7_INCONSISTENT_TRIGGER: {
    code: 'HL7_INCONSISTENT_TRIGGER',
    retryable: false,
    hl7: '207',
    summary: 'ORC-1, OBX-11 and the trigger event do not agree',
  },
  // Consumer error codes of the HL7 v2 volet (ERR-5, table applicationErrorCondition) [VOLET-HL7 error-codes.md].
  DOCUMENT_VERSION_MISMATCH: {
    code: 'DOCUMENT_VERSION_MISMATCH',
    retryable: false,
    hl7: '207',
    volet: '900',
    summary: 'the document to replace or delete is not the latest version held',
  },
  AUTHOR_NOT_ALLOWED: {
    code: 'AUTHOR_NOT_ALLOWED',
    retryable: false,
    hl7: '207',
    volet: '901',
    summary: 'the author may not replace or delete this document',
  },
  UNKNOWN_PATIENT: {
    code: 'UNKNOWN_PATIENT',
    retryable: false,
    hl7: '207',
    xds: 'XDSUnknownPatientId',
    volet: '902',
    summary: 'the patient is unknown',
  },
  /** 906 "other" is in DOMAIN.md §7, not in the published volet table (900–905). */
  VOLET_OTHER: {
    code: 'VOLET_OTHER',
    retryable: false,
    hl7: '207',
    volet: '906',
    summary: 'other application error',
  },
  SIGNATURE_INVALID: {
    code: 'SIGNATURE_INVALID',
    retryable: false,
    summary: 'an XML signature does not verify',
  },
  // Intake failures that are not about the content (HL7 ACK AR, HTTP 503/413/409).
  STORE_UNAVAILABLE: {
    code: 'STORE_UNAVAILABLE',
    retryable: true,
    hl7: '207',
    summary:
      'the gateway cannot store the message now: send it again later (a message sent twice is stored once)',
  },
  MESSAGE_TOO_LARGE: {
    code: 'MESSAGE_TOO_LARGE',
    retryable: false,
    hl7: '207',
    summary: 'the message exceeds the size the gateway accepts',
  },
  DUPLICATE_CONTROL_ID: {
    code: 'DUPLICATE_CONTROL_ID',
    retryable: false,
    hl7: '207',
    summary: 'the message control id was already used by another message of this sender',
  },
  DOCUMENT_CONFLICT: {
    code: 'DOCUMENT_CONFLICT',
    retryable: false,
    hl7: '207',
    summary: 'a document with this id was already received with other content',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof CATALOGUE;

/** One problem with an input, located by the path of the sender's own format. */
export interface Issue {
  readonly code: ErrorCode;
  /** Location in the sender's format: FHIRPath, HL7 `OBX[1]-5`, XDS slot, CDA XPath... */
  readonly path: string;
  readonly message: string;
}

/** A failure from the catalogue, with every issue found (validators collect, then fail once). */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly entry: CatalogueEntry;
  readonly issues: readonly Issue[];

  constructor(code: ErrorCode, issues: readonly Issue[], message?: string) {
    const entry: CatalogueEntry = CATALOGUE[code];
    super(message ?? (issues.length > 0 ? issues.map(formatIssue).join('; ') : entry.summary));
    this.name = 'GatewayError';
    this.code = code;
    this.entry = entry;
    this.issues = issues;
  }

  get retryable(): boolean {
    return this.entry.retryable;
  }
}

export function formatIssue(issue: Issue): string {
  return `${issue.path}: ${issue.message}`;
}

/** Collects issues while validating; `throwIfAny` fails once with all of them. */
export class IssueCollector {
  readonly issues: Issue[] = [];

  add(code: ErrorCode, path: string, message: string): void {
    this.issues.push({ code, path, message });
  }

  get empty(): boolean {
    return this.issues.length === 0;
  }

  throwIfAny(code: ErrorCode = 'INVALID_INPUT'): void {
    if (this.issues.length > 0) throw new GatewayError(this.issues[0]?.code ?? code, this.issues);
  }
}
