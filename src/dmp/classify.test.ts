import { describe, expect, it } from 'vitest';
import { adhocQueryResponse, registryResponse, td02Response } from '../../test/support/scripted-dmp.ts';
import { NS, RESPONSE_STATUS, STATUS } from '../model/vocabulary.ts';
import { buildSoapEnvelope, buildSoapFault } from '../soap/envelope.ts';
import { writeMtom } from '../soap/mtom.ts';
import {
  buildRegistryResponse,
  parseRegistryResponse,
  type RegistryResult,
} from '../xds/registry-response.ts';
import { readAdhocQueryResponse } from '../xds/stored-query.ts';
import { el, serialize, type XmlElement } from '../xml/tree.ts';
import {
  classifyRegistryResult,
  classifyResponse,
  classifyTransportError,
  type DmpOutcome,
  type ResponseReader,
  type TransportPhase,
} from './classify.ts';
import type { HttpResponse } from './response.ts';

const MESSAGE_ID = 'urn:uuid:5e0c5d5a-0000-4000-8000-000000000001';
const INS = '279035121518989';
const SOAP = 'application/soap+xml; charset=UTF-8';

const writeReader: ResponseReader<RegistryResult> = {
  read: parseRegistryResponse,
  judge: (r) => classifyRegistryResult(r, 'ambiguous'),
};

function soap(body: XmlElement, relatesTo = MESSAGE_ID): string {
  return serialize(buildSoapEnvelope({ action: 'urn:x', messageId: 'urn:uuid:answer', relatesTo, body }));
}

function http(status: number, contentType: string | undefined, body: string | Buffer): HttpResponse {
  return { status, contentType, body: Buffer.from(body) };
}

const soapHttp = (body: XmlElement, status = 200, relatesTo?: string) =>
  http(status, SOAP, soap(body, relatesTo));
const fault = (code: 'Sender' | 'Receiver', subcode?: string) =>
  http(
    code === 'Sender' ? 400 : 500,
    SOAP,
    serialize(buildSoapFault(code, `VIHF rejected for ${INS}`, subcode)),
  );
const mtom = writeMtom({ rootXml: soap(registryResponse('Success')), action: 'urn:x', parts: [] });
const failureWith = (...codes: string[]) => soapHttp(registryResponse('Failure', ...codes));
/** What buildRegistryResponse refuses to build: a Success carrying an Error. */
const successWithError = soapHttp(
  el(
    'rs:RegistryResponse',
    { 'xmlns:rs': NS.rs, status: RESPONSE_STATUS.success },
    el(
      'rs:RegistryErrorList',
      {},
      el('rs:RegistryError', {
        errorCode: 'XDSRegistryError',
        codeContext: 'x',
        severity: RESPONSE_STATUS.error,
      }),
    ),
  ),
);

function coded(code: string): Error {
  return Object.assign(new Error(`failure for patient ${INS}`), { code });
}

describe('classifyTransportError', () => {
  it.each([
    ['ECONNREFUSED', 'connect', 'transient'],
    ['ECONNRESET', 'connect', 'transient'],
    ['EPIPE', 'connect', 'transient'],
    ['ENOTFOUND', 'connect', 'transient'],
    ['EAI_AGAIN', 'connect', 'transient'],
    ['DMP_TIMEOUT', 'connect', 'transient'],
    ['ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR', 'connect', 'transient'],
    ['ECONNRESET', 'sent', 'ambiguous'],
    ['EPIPE', 'sent', 'ambiguous'],
    ['DMP_TIMEOUT', 'sent', 'ambiguous'],
    ['HPE_INVALID_CONSTANT', 'sent', 'ambiguous'],
    ['DMP_RESPONSE_TOO_LARGE', 'sent', 'ambiguous'],
    ['CERT_HAS_EXPIRED', 'connect', 'permanent'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'connect', 'permanent'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'connect', 'permanent'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'connect', 'permanent'],
    ['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'connect', 'permanent'],
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'sent', 'permanent'],
    ['ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'connect', 'permanent'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'connect', 'permanent'],
  ] as const)('%s during %s → %s', (code, phase: TransportPhase, kind) => {
    const outcome = classifyTransportError(coded(code), phase);
    expect(outcome.kind).toBe(kind);
    expect(outcome.reason).toContain(
      code === 'DMP_TIMEOUT' ? 'time limit' : code === 'DMP_RESPONSE_TOO_LARGE' ? 'size' : code,
    );
    expect(outcome.reason).not.toContain(INS);
    if (outcome.kind === 'transient') expect(outcome.codes).toEqual([code]);
    if (outcome.kind === 'permanent') expect(outcome.errors[0]?.errorCode).toBe(code);
  });

  it('names an error without a code UNKNOWN', () => {
    expect(classifyTransportError(new Error('x'), 'connect')).toMatchObject({
      kind: 'transient',
      codes: ['UNKNOWN'],
    });
  });
});

describe('classifyResponse (ITI-41 / ITI-57 writes)', () => {
  const cases: [string, HttpResponse, DmpOutcome['kind'], string[]?][] = [
    ['RegistryResponse Success', soapHttp(registryResponse('Success')), 'success'],
    ['Success as MTOM', http(200, mtom.contentType, mtom.body), 'success'],
    ['Failure XDSRegistryBusy', failureWith('XDSRegistryBusy'), 'transient', ['XDSRegistryBusy']],
    ['Failure XDSRepositoryBusy', failureWith('XDSRepositoryBusy'), 'transient', ['XDSRepositoryBusy']],
    [
      'Failure *OutOfResources',
      failureWith('XDSRegistryOutOfResources', 'XDSRepositoryOutOfResources'),
      'transient',
      ['XDSRegistryOutOfResources', 'XDSRepositoryOutOfResources'],
    ],
    [
      'Failure XDSRegistryNotAvailable',
      failureWith('XDSRegistryNotAvailable'),
      'transient',
      ['XDSRegistryNotAvailable'],
    ],
    ['Failure XDSUnknownPatientId', failureWith('XDSUnknownPatientId'), 'permanent', ['XDSUnknownPatientId']],
    [
      'Failure XDSPatientIdDoesNotMatch',
      failureWith('XDSPatientIdDoesNotMatch'),
      'permanent',
      ['XDSPatientIdDoesNotMatch'],
    ],
    ['Failure XDSNonIdenticalHash', failureWith('XDSNonIdenticalHash'), 'permanent', ['XDSNonIdenticalHash']],
    [
      'Failure metadata error',
      failureWith('XDSRegistryMetadataError'),
      'permanent',
      ['XDSRegistryMetadataError'],
    ],
    ['Failure unknown code', failureWith('DMPSomethingNew'), 'permanent', ['DMPSomethingNew']],
    [
      'Failure busy + metadata',
      failureWith('XDSRegistryBusy', 'XDSRegistryMetadataError'),
      'permanent',
      ['XDSRegistryBusy', 'XDSRegistryMetadataError'],
    ],
    [
      'Failure on HTTP 500',
      soapHttp(registryResponse('Failure', 'XDSRegistryBusy'), 500),
      'transient',
      ['XDSRegistryBusy'],
    ],
    ['Success carrying an Error', successWithError, 'ambiguous'],
    ['PartialSuccess', soapHttp(registryResponse('PartialSuccess', 'XDSRegistryMetadataError')), 'ambiguous'],
    ['SOAP Fault Receiver', fault('Receiver'), 'transient', ['soap:Receiver']],
    [
      'SOAP Fault Sender (bad VIHF)',
      fault('Sender', 'wsse:InvalidSecurity'),
      'permanent',
      ['wsse:InvalidSecurity'],
    ],
    ['HTTP 500 HTML page', http(500, 'text/html', '<html>oops</html>'), 'transient', ['HTTP 500']],
    ['HTTP 503 no body', http(503, undefined, ''), 'transient', ['HTTP 503']],
    ['HTTP 429', http(429, 'text/plain', 'slow down'), 'transient', ['HTTP 429']],
    ['HTTP 504 from a gateway', http(504, 'text/html', '<html>gateway timeout</html>'), 'ambiguous'],
    [
      'HTTP 400 (client certificate refused by nginx)',
      http(400, 'text/html', '<html>SSL certificate error</html>'),
      'permanent',
      ['HTTP 400'],
    ],
    ['HTTP 404', http(404, 'text/plain', 'no such endpoint'), 'permanent', ['HTTP 404']],
    ['HTTP 302', http(302, 'text/plain', ''), 'permanent', ['HTTP 302']],
    ['HTTP 200 not SOAP', http(200, 'text/plain', 'OK'), 'ambiguous'],
    [
      'HTTP 200 SOAP 1.1',
      http(
        200,
        'text/xml',
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>',
      ),
      'ambiguous',
    ],
    ['HTTP 200 unexpected body', soapHttp(adhocQueryResponse([])), 'ambiguous'],
    [
      'HTTP 200 answer to another message',
      soapHttp(registryResponse('Success'), 200, 'urn:uuid:other'),
      'ambiguous',
    ],
  ];

  it.each(cases)('%s → %s', (_name, response, kind, codes) => {
    const outcome = classifyResponse(response, writeReader, MESSAGE_ID);
    expect(outcome.kind).toBe(kind);
    if (outcome.kind === 'transient') expect(outcome.codes).toEqual(codes);
    if (outcome.kind === 'permanent') expect(outcome.errors.map((e) => e.errorCode)).toEqual(codes);
    if (outcome.kind === 'success') expect(outcome.response.status).toBe('Success');
    if (outcome.kind !== 'success') expect(outcome.reason).not.toContain(INS);
  });

  it('keeps the DMP texts and locations in the errors, not in the reason', () => {
    const response = soapHttp(
      buildRegistryResponse('Failure', [
        {
          errorCode: 'XDSUnknownPatientId',
          codeContext: `unknown ${INS}`,
          location: 'SubmissionSet',
          severity: 'Error',
        },
        { errorCode: 'XDSExtraMetadataNotSaved', codeContext: 'ignored slot', severity: 'Warning' },
      ]),
    );
    expect(classifyResponse(response, writeReader, MESSAGE_ID)).toEqual({
      kind: 'permanent',
      reason: 'the DMP answered Failure (XDSUnknownPatientId)',
      errors: [
        { errorCode: 'XDSUnknownPatientId', codeContext: `unknown ${INS}`, location: 'SubmissionSet' },
      ],
    });
  });
});

describe('classifyRegistryResult for queries', () => {
  const queryReader = {
    read: readAdhocQueryResponse,
    judge: (r: ReturnType<typeof readAdhocQueryResponse>) => classifyRegistryResult(r, 'success'),
  };

  it('a query answer is a success with its documents; a PartialSuccess too', () => {
    const outcome = classifyResponse(
      soapHttp(
        adhocQueryResponse([{ entryUUID: 'urn:uuid:1', uniqueId: '2.25.1', status: STATUS.approved }]),
      ),
      queryReader,
      MESSAGE_ID,
    );
    expect(outcome.kind === 'success' && outcome.response.documents.map((d) => d.uniqueId)).toEqual([
      '2.25.1',
    ]);
    expect(classifyRegistryResult({ status: 'PartialSuccess', errors: [] }, 'success').kind).toBe('success');
  });

  it('a TD0.2 body is not a query answer', () => {
    expect(classifyResponse(soapHttp(td02Response({ queryResponseCode: 'NF' })), queryReader).kind).toBe(
      'ambiguous',
    );
  });
});
