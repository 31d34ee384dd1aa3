/**
 * FHIR OperationOutcome responses: every issue of a GatewayError with its
 * FHIRPath in `expression`, the gateway code in `details`, and the HTTP
 * status that fits the failure.
 */
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { type ErrorCode, GatewayError } from '../errors/catalogue.ts';

const ISSUE_TYPE: Readonly<Partial<Record<ErrorCode, OperationOutcomeIssue['code']>>> = {
  UNSAFE_XML: 'security',
  UNSUPPORTED_CONTENT: 'not-supported',
  MISSING_INS: 'required',
  INS_INCOMPLETE: 'required',
  INS_MISMATCH: 'business-rule',
};

export function outcome(
  severity: OperationOutcomeIssue['severity'],
  code: OperationOutcomeIssue['code'],
  text: string,
  expression?: string,
): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity, code, details: { text }, ...(expression ? { expression: [expression] } : {}) }],
  };
}

export function outcomeOf(error: GatewayError): OperationOutcome {
  const issues =
    error.issues.length > 0 ? error.issues : [{ code: error.code, path: '', message: error.entry.summary }];
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((i) => ({
      severity: 'error',
      code: ISSUE_TYPE[i.code] ?? 'invalid',
      details: { coding: [{ system: 'urn:dmp-gateway:error', code: i.code }], text: i.message },
      diagnostics: i.path ? `${i.path}: ${i.message}` : i.message,
      ...(i.path ? { expression: [i.path] } : {}),
    })),
  };
}

/** HTTP status of a validation failure: 415 for unsupported content, else 422. */
export function statusOf(error: GatewayError): number {
  return error.code === 'UNSUPPORTED_CONTENT' ? 415 : error.code === 'CONFIG_INVALID' ? 500 : 422;
}

/**
 * A mapper that met a value of an unexpected shape (e.g. an array where FHIR has a string) fails with a
 * TypeError instead of an issue: still the sender's error, answered 422 at the resource, never 500.
 */
export function malformedInput(err: unknown, path: string): GatewayError {
  if (err instanceof GatewayError) return err;
  const issue = {
    code: 'INVALID_INPUT' as const,
    path,
    message: `a value does not have the type FHIR R4 defines (${(err as Error).name})`,
  };
  return new GatewayError('INVALID_INPUT', [issue]);
}
