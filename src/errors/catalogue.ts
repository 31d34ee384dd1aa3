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
  SIGNATURE_INVALID: {
    code: 'SIGNATURE_INVALID',
    retryable: false,
    summary: 'an XML signature does not verify',
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
