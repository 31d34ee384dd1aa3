/**
 * Failure classification of a DMP call (issue 3 "Worker and DMP client";
 * ARCHITECTURE.md "Three failure classes"). Pure functions: an outcome is
 * - `transient`: the same request may succeed later (network before the
 *   request was fully sent, HTTP 5xx without SOAP answer, 408/429, SOAP
 *   Fault `Receiver`, XDS busy / out of resources / not available / internal
 *   error codes, see src/xds/error-codes.ts);
 * - `permanent`: only a changed request or configuration can succeed (XDS
 *   metadata, patient, hash errors and unknown codes, SOAP Fault `Sender`
 *   such as a refused VIHF, HTTP 3xx/4xx, TLS certificate and TLS alert
 *   errors: an unknown or expired certificate does not heal by retrying, it
 *   needs an operator);
 * - `ambiguous`: the DMP may have stored the request (timeout or reset after
 *   it was fully sent, HTTP 504 from a gateway in front of the DMP, an
 *   unreadable 2xx answer, a Success carrying an Error, PartialSuccess to a
 *   write): the caller asks the DMP (ITI-18) before resending.
 * Reason strings are fixed texts with codes and HTTP statuses only: no
 * patient data, whatever the DMP wrote in its error texts (those stay in
 * `errors[].codeContext`).
 */

import type { SoapFault } from '../soap/envelope.ts';
import { xdsErrorClass } from '../xds/error-codes.ts';
import type { RegistryErrorEntry, RegistryStatus } from '../xds/registry-response.ts';
import { bodyXml, type HttpResponse, soapEnvelopeOf } from './response.ts';

export interface DmpError {
  readonly errorCode: string;
  readonly codeContext: string;
  readonly location?: string;
}

export type DmpOutcome<R = unknown> =
  | { readonly kind: 'success'; readonly response: R }
  | { readonly kind: 'transient'; readonly reason: string; readonly codes: readonly string[] }
  | { readonly kind: 'permanent'; readonly reason: string; readonly errors: readonly DmpError[] }
  | { readonly kind: 'ambiguous'; readonly reason: string };

/** Every outcome but success. */
export type DmpFailure = Exclude<DmpOutcome<never>, { readonly kind: 'success' }>;

/** Whether the request body had been fully written to the connection when the error happened. */
export type TransportPhase = 'connect' | 'sent';

/** Error codes of the transport layer itself (src/dmp/transport.ts). */
export const TRANSPORT_ERROR = {
  timeout: 'DMP_TIMEOUT',
  responseTooLarge: 'DMP_RESPONSE_TOO_LARGE',
} as const;

/** OpenSSL / Node codes of a server certificate the client cannot verify. */
const CERTIFICATE_ERRORS = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_REJECTED',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code !== '' ? code : 'UNKNOWN';
}

/** A TLS failure that is a configuration matter: a TLS alert from the DMP (refused client certificate, protocol) or a local TLS error. */
function isTlsConfigurationError(code: string): boolean {
  if (/ALERT_INTERNAL_ERROR$/.test(code)) return false;
  return code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_');
}

/** Classifies a failed exchange that produced no HTTP answer. */
export function classifyTransportError(err: unknown, phase: TransportPhase): DmpFailure {
  const code = errorCode(err);
  if (CERTIFICATE_ERRORS.has(code)) {
    return {
      kind: 'permanent',
      reason: `the DMP server certificate could not be verified (${code}): check the configured CA`,
      errors: [{ errorCode: code, codeContext: 'TLS verification of the DMP server certificate failed' }],
    };
  }
  if (isTlsConfigurationError(code)) {
    return {
      kind: 'permanent',
      reason: `the TLS connection to the DMP failed (${code}): check the client certificate and TLS settings`,
      errors: [{ errorCode: code, codeContext: 'TLS handshake with the DMP failed' }],
    };
  }
  if (code === TRANSPORT_ERROR.responseTooLarge) {
    return { kind: 'ambiguous', reason: 'the DMP answer exceeded the size limit and was not read' };
  }
  const what =
    code === TRANSPORT_ERROR.timeout ? 'no answer within the time limit' : `connection error ${code}`;
  return phase === 'connect'
    ? { kind: 'transient', reason: `${what} before the request was fully sent`, codes: [code] }
    : { kind: 'ambiguous', reason: `${what} after the request was sent: the DMP may have processed it` };
}

/** Classifies a SOAP 1.2 Fault (SOAP 1.2 Part 1 §5.4.6): `Receiver` is transient, anything else permanent. */
export function classifySoapFault(fault: SoapFault): DmpFailure {
  const code = fault.subcode ?? `soap:${fault.code}`;
  if (fault.code === 'Receiver') {
    return { kind: 'transient', reason: `SOAP Fault Receiver from the DMP (${code})`, codes: [code] };
  }
  return {
    kind: 'permanent',
    reason: `SOAP Fault ${fault.code} from the DMP (${code})`,
    errors: [{ errorCode: code, codeContext: fault.reason }],
  };
}

/** The shape of a RegistryResponse or AdhocQueryResponse as read by src/xds. */
export interface RegistryLikeResult {
  readonly status: RegistryStatus;
  readonly errors: readonly RegistryErrorEntry[];
  readonly anomaly?: 'SuccessWithError' | 'FailureWithoutError';
}

/**
 * Classifies an XDS answer [ITI TF-3 §4.2.4]. A Failure is transient only when
 * every Error-severity code is transient (src/xds/error-codes.ts); one
 * permanent or unknown code makes it permanent. `partialSuccess` says what a
 * PartialSuccess means: `ambiguous` for a write (what was stored is unknown),
 * `success` for a query (results came back, with errors alongside).
 */
export function classifyRegistryResult<R extends RegistryLikeResult>(
  result: R,
  partialSuccess: 'ambiguous' | 'success',
): DmpOutcome<R> {
  if (result.anomaly === 'SuccessWithError') {
    return {
      kind: 'ambiguous',
      reason: 'the DMP answered Success with an Error: whether it stored the request is unknown',
    };
  }
  if (result.status === 'Success') return { kind: 'success', response: result };
  if (result.status === 'PartialSuccess') {
    return partialSuccess === 'success'
      ? { kind: 'success', response: result }
      : { kind: 'ambiguous', reason: 'the DMP answered PartialSuccess' };
  }
  const errors = result.errors.filter((e) => e.severity === 'Error');
  const codes = errors.map((e) => e.errorCode);
  if (codes.length > 0 && codes.every((c) => xdsErrorClass(c) === 'transient')) {
    return { kind: 'transient', reason: `the DMP answered Failure (${codes.join(', ')})`, codes };
  }
  return {
    kind: 'permanent',
    reason: `the DMP answered Failure (${codes.join(', ')})`,
    errors: errors.map(({ errorCode: code, codeContext, location }) => ({
      errorCode: code,
      codeContext,
      ...(location !== undefined && { location }),
    })),
  };
}

/** Classifies an HTTP answer that holds no SOAP envelope, or one that cannot be read. */
export function classifyHttpStatus(status: number): DmpFailure {
  const code = `HTTP ${status}`;
  if (status === 504) {
    return {
      kind: 'ambiguous',
      reason: 'HTTP 504 from a gateway in front of the DMP: the DMP may have processed the request',
    };
  }
  if (status >= 500 || status === 408 || status === 429) {
    return { kind: 'transient', reason: `${code} without a SOAP answer`, codes: [code] };
  }
  if (status >= 300 && status < 500) {
    return {
      kind: 'permanent',
      reason: `${code} without a SOAP answer`,
      errors: [{ errorCode: code, codeContext: 'the DMP endpoint refused the HTTP request' }],
    };
  }
  return {
    kind: 'ambiguous',
    reason: `${code} with an unreadable answer: the DMP may have processed the request`,
  };
}

/** How to read the body of one transaction's answer (`R`) and judge it into an outcome (`S` on success). */
export interface ResponseReader<R, S = R> {
  /** Parses the first Body child (standalone XML); throws when it is not the expected answer. */
  readonly read: (bodyXml: string) => R;
  readonly judge: (result: R) => DmpOutcome<S>;
}

/**
 * Classifies an HTTP answer: its SOAP envelope (plain or MTOM) when there is
 * one that relates to `messageId` (WS-Addressing RelatesTo, when present),
 * a Fault by its code, a body by `reader`; otherwise by HTTP status.
 */
export function classifyResponse<R, S = R>(
  res: HttpResponse,
  reader: ResponseReader<R, S>,
  messageId?: string,
): DmpOutcome<S> {
  const envelope = soapEnvelopeOf(res);
  if (!envelope || (messageId && envelope.relatesTo && envelope.relatesTo !== messageId)) {
    return classifyHttpStatus(res.status);
  }
  if (envelope.fault) return classifySoapFault(envelope.fault);
  const xml = bodyXml(envelope);
  if (xml === undefined) return classifyHttpStatus(res.status);
  let result: R;
  try {
    result = reader.read(xml);
  } catch {
    return classifyHttpStatus(res.status);
  }
  return reader.judge(result);
}
