/**
 * `rs:RegistryResponse`, the answer to ITI-41 (and ITI-57) [ebRS 3.0 rs.xsd;
 * IHE ITI TF-3 §4.2.4 "Success and Error Reporting"; ITI TF-2b §3.41.4.2.2].
 *
 * IHE (ITI TF-3 Table 4.2.4.2-1, Provide and Register responses): `Success`
 * means the documents were stored and the error list may hold Warnings only;
 * `Failure` means nothing was stored and at least one Error is reported;
 * `PartialSuccess` is a partial outcome with errors and/or warnings. A
 * response that breaks these rules is read as follows, and flagged:
 * - `Success` carrying an Error-severity RegistryError → read as `Failure`
 *   (an Error reports a request that was not carried out; trusting the
 *   status would call a rejected deposit done), anomaly `SuccessWithError`.
 *   Whether the deposit landed is then uncertain: callers should reconcile
 *   (ITI-18 by uniqueId) before resending.
 * - `Failure` with no RegistryError → still `Failure`, with one synthetic
 *   error {@link NO_ERROR_GIVEN}, anomaly `FailureWithoutError`.
 */
import { GatewayError } from '../errors/catalogue.ts';
import { NS, RESPONSE_STATUS } from '../model/vocabulary.ts';
import { asArray, attr, parseXml, type XmlObject } from '../xml/parse.ts';
import { el, type XmlElement } from '../xml/tree.ts';

export type RegistryStatus = 'Success' | 'Failure' | 'PartialSuccess';

export interface RegistryErrorEntry {
  readonly errorCode: string;
  readonly codeContext: string;
  readonly location?: string;
  readonly severity: 'Error' | 'Warning';
}

export interface RegistryResult {
  readonly status: RegistryStatus;
  readonly errors: readonly RegistryErrorEntry[];
  /** Set when the registry's status contradicted its error list (see module doc). */
  readonly anomaly?: 'SuccessWithError' | 'FailureWithoutError';
}

/** errorCode of the synthetic entry added to a Failure that names no error (not an IHE code). */
export const NO_ERROR_GIVEN = 'GatewayNoRegistryErrorGiven';

const STATUS_BY_URN: Readonly<Record<string, RegistryStatus>> = {
  [RESPONSE_STATUS.success]: 'Success',
  [RESPONSE_STATUS.failure]: 'Failure',
  [RESPONSE_STATUS.partialSuccess]: 'PartialSuccess',
};

const URN_BY_STATUS: Readonly<Record<RegistryStatus, string>> = {
  Success: RESPONSE_STATUS.success,
  Failure: RESPONSE_STATUS.failure,
  PartialSuccess: RESPONSE_STATUS.partialSuccess,
};

function invalid(path: string, message: string): GatewayError {
  return new GatewayError('INVALID_INPUT', [{ code: 'INVALID_INPUT', path, message }]);
}

/**
 * The severity of a RegistryError: absent means Error (rs.xsd default); any
 * value other than the Warning URN is read as Error, the safe side.
 */
function severityOf(value: string | undefined): 'Error' | 'Warning' {
  return value === RESPONSE_STATUS.warning ? 'Warning' : 'Error';
}

/**
 * Parses a RegistryResponse, bare or as the first child of a SOAP 1.2 Body.
 * Throws INVALID_INPUT for anything else (a SOAP Fault included) or an unknown status.
 */
export function parseRegistryResponse(xml: string | Uint8Array): RegistryResult {
  const root = parseXml(xml, { arrays: ['RegistryError'] });
  const body = (root.Envelope as XmlObject | undefined)?.Body as XmlObject | undefined;
  const response = (body ?? root).RegistryResponse as XmlObject | undefined;
  if (!response || typeof response !== 'object') throw invalid('/', 'no rs:RegistryResponse found');
  const statusUrn = attr(response, 'status') ?? '';
  const reported = STATUS_BY_URN[statusUrn];
  if (!reported) throw invalid('RegistryResponse/@status', 'unknown RegistryResponse status');
  const list = response.RegistryErrorList as XmlObject | undefined;
  const errors: RegistryErrorEntry[] = asArray(list?.RegistryError).map((e) => {
    const location = attr(e, 'location')?.trim();
    return {
      errorCode: attr(e, 'errorCode') ?? '',
      codeContext: attr(e, 'codeContext') ?? '',
      ...(location ? { location } : {}),
      severity: severityOf(attr(e, 'severity')),
    };
  });
  if (reported === 'Success' && errors.some((e) => e.severity === 'Error')) {
    return { status: 'Failure', errors, anomaly: 'SuccessWithError' };
  }
  if (reported === 'Failure' && !errors.some((e) => e.severity === 'Error')) {
    const synthetic: RegistryErrorEntry = {
      errorCode: NO_ERROR_GIVEN,
      codeContext: 'the registry answered Failure without naming an error',
      severity: 'Error',
    };
    return { status: 'Failure', errors: [...errors, synthetic], anomaly: 'FailureWithoutError' };
  }
  return { status: reported, errors };
}

/**
 * Builds `rs:RegistryResponse`, refusing the combinations IHE forbids
 * (Success with an Error, Failure without one).
 */
export function buildRegistryResponse(
  status: RegistryStatus,
  errors: readonly RegistryErrorEntry[],
): XmlElement {
  const hasError = errors.some((e) => e.severity === 'Error');
  if (status === 'Success' && hasError) throw new Error('a Success RegistryResponse may carry warnings only');
  if (status === 'Failure' && !hasError)
    throw new Error('a Failure RegistryResponse must carry at least one Error');
  const severityUrn = (s: RegistryErrorEntry['severity']): string =>
    s === 'Error' ? RESPONSE_STATUS.error : RESPONSE_STATUS.warning;
  return el(
    'rs:RegistryResponse',
    { 'xmlns:rs': NS.rs, status: URN_BY_STATUS[status] },
    errors.length > 0 &&
      el(
        'rs:RegistryErrorList',
        { highestSeverity: severityUrn(hasError ? 'Error' : 'Warning') },
        errors.map((e) =>
          el('rs:RegistryError', {
            codeContext: e.codeContext,
            errorCode: e.errorCode,
            severity: severityUrn(e.severity),
            location: e.location,
          }),
        ),
      ),
  );
}
