/**
 * Every XDS message of the public corpus (../shared/corpus/xds, see its
 * SOURCES.md) posted to POST /xds/iti41, with the outcome a French DMP
 * recipient must give and why. None of the ITI-41 samples can feed the DMP:
 * they are US, Swiss or test-harness submissions, so each is refused with
 * the XDS errors that say exactly what is wrong (non-INS patient → the
 * patient is unknown to a DMP feed, XDSUnknownPatientId; non-French codes →
 * XDSRegistryMetadataError; metadata without documents → XDSMissingDocument).
 * Every answer is a SOAP 1.2 message valid against the official schemas.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOAP_ACTION } from '../../src/model/vocabulary.ts';
import { standaloneXml } from '../../src/soap/envelope.ts';
import { parseHttpCapture } from '../support/http-capture.ts';
import { startXdsApp, type XdsReply, type XdsTestApp } from '../support/xds-app.ts';
import { answerOf, codesOf, soapWrap } from '../support/xds-requests.ts';
import { corpusFile, SCHEMA, xsdErrors } from '../support/xsd.ts';

let app: XdsTestApp;
beforeAll(async () => {
  app = await startXdsApp();
});
afterAll(async () => {
  await app?.close();
});

const SOAP = 'application/soap+xml; charset=UTF-8';
const read = (name: string) => readFileSync(corpusFile(`xds/${name}`));

type How = 'as is' | 'wrapped' | 'http capture';

/** The request of a corpus file: a SOAP file as is, a bare body in an ITI-41 envelope, a capture from its bytes. */
function request(name: string, how: How): { body: Buffer | string; contentType: string } {
  if (how === 'as is') return { body: read(name), contentType: SOAP };
  if (how === 'wrapped') return { body: soapWrap(read(name).toString('utf8')), contentType: SOAP };
  const capture = parseHttpCapture(read(name));
  return { body: capture.body, contentType: capture.headers['content-type'] ?? '' };
}

const US_METADATA = ['XDSMissingDocument', 'XDSRegistryMetadataError', 'XDSUnknownPatientId'];

/** file → how it is posted → the RegistryResponse error codes (Failure), and why. */
const REFUSED: readonly (readonly [string, How, readonly string[], string])[] = [
  [
    'nist/pnr_soap.xml',
    'as is',
    US_METADATA,
    'metadata only (no xds:Document); US patient id; US codes; authors without ids',
  ],
  ['nist/pnr.xml', 'wrapped', US_METADATA, 'the same submission as a bare body'],
  ['nist/PnR1Doc.xml', 'wrapped', US_METADATA, 'one entry, no xds:Document, US patient id and codes'],
  [
    'nist/pnr-limited.xml',
    'wrapped',
    ['XDSMissingDocument', 'XDSRegistryMetadataError'],
    'XDR Limited Metadata: no patientId at all (a metadata error, not an unknown patient), no codes, no document',
  ],
  [
    'nist/http-mtom-pnr.txt',
    'http capture',
    ['XDSRegistryMetadataError', 'XDSUnknownPatientId'],
    'MTOM read from the captured bytes: the document part is found (no XDSMissingDocument); US patient and codes',
  ],
  [
    'ipf/ProvideAndRegisterDocumentSet.xml',
    'wrapped',
    ['XDSRegistryMetadataError', 'XDSUnknownPatientId'],
    'Continua PHMR CDA inline: patient SELF-5 is no INS; LOINC 53576-5 is no DMP type; size "0815"',
  ],
];

/** file → how → SOAP Fault (code, subcode, reason), and why. */
const FAULTS: readonly (readonly [
  string,
  How,
  { code: string; subcode?: string; reason: RegExp },
  string,
])[] = [
  [
    'ehealthsuisse/ITI-41_request_raw.http',
    'http capture',
    { code: 'Sender', reason: /MTOM\/XOP package: multipart: no opening boundary --MIMEBoundary_05b39a33/ },
    'the Content-Type boundary is not the one of the body (hand-edited capture): the MIME package cannot be read, so nothing of it can be trusted',
  ],
  [
    'ipf/SubmitObjectsRequest_ebrs30.xml',
    'wrapped',
    { code: 'Sender', reason: /Body must hold an xds:ProvideAndRegisterDocumentSetRequest/ },
    'an ITI-42 body under the ITI-41 action',
  ],
  [
    'nist/regresp-suc-err.xml',
    'wrapped',
    { code: 'Sender', reason: /Body must hold/ },
    'a NIST negative RegistryResponse (Success with an Error): a response, not a request',
  ],
  [
    'nist/regresp-fail-noerr.xml',
    'wrapped',
    { code: 'Sender', reason: /Body must hold/ },
    'a NIST negative RegistryResponse (Failure without error): a response, not a request',
  ],
  ['nist/sq-req.xml', 'wrapped', { code: 'Sender', reason: /Body must hold/ }, 'an ITI-18 query body'],
  ['ipf/iti18request.xml', 'wrapped', { code: 'Sender', reason: /Body must hold/ }, 'an ITI-18 query body'],
  [
    'nist/soap-sq-req.xml',
    'as is',
    { code: 'Sender', subcode: 'wsa:ActionNotSupported', reason: /RegistryStoredQuery is not supported/ },
    'ITI-18 action',
  ],
  [
    'ehealthsuisse/ITI-18_request_raw.xml',
    'as is',
    { code: 'Sender', subcode: 'wsa:ActionNotSupported', reason: /RegistryStoredQuery is not supported/ },
    'ITI-18 action (with an XUA assertion)',
  ],
  [
    'nist/soap-pnr-resp.xml',
    'as is',
    { code: 'Sender', subcode: 'wsa:ActionNotSupported', reason: /bResponse is not supported/ },
    'an ITI-41 response',
  ],
  [
    'ehealthsuisse/ITI-41_response_raw.http',
    'http capture',
    { code: 'Sender', subcode: 'wsa:ActionNotSupported', reason: /bResponse is not supported/ },
    'an ITI-41 response (MTOM capture)',
  ],
];

/** The answer is protocol-correct: SOAP 1.2 valid against the schema, the RegistryResponse against rs.xsd. */
function expectValidSoap(reply: XdsReply, body: string | undefined): void {
  const root = reply.contentType.startsWith('multipart/related')
    ? /<\?xml[\s\S]*<\/soap:Envelope>/.exec(reply.body.toString('utf8'))?.[0]
    : reply.body.toString('utf8');
  expect(root).toBeDefined();
  expect(xsdErrors(root as string, SCHEMA.soap12)).toEqual([]);
  if (body !== undefined) expect(xsdErrors(body, SCHEMA.xdsRepository)).toEqual([]);
}

describe('the corpus ITI-41 requests are refused with the right XDS errors', () => {
  it.each(REFUSED)('%s (%s) → Failure %j: %s', async (name, how, codes) => {
    const { body, contentType } = request(name, how);
    const reply = await app.post(body, contentType);
    const answer = answerOf(reply);
    expect(answer.status).toBe(200);
    expect(answer.envelope?.action).toBe(SOAP_ACTION.iti41Response);
    expect(answer.envelope?.relatesTo).toBeTruthy();
    expect(answer.result?.status).toBe('Failure');
    expect(codesOf(answer)).toEqual(codes);
    for (const e of answer.result?.errors ?? [])
      expect(e.location).toMatch(
        /^(RegistryPackage|ExtrinsicObject|Association|Document|RegistryObjectList|multipart)/,
      );
    expect(
      reply.contentType.startsWith(how === 'http capture' ? 'multipart/related' : 'application/soap+xml'),
    ).toBe(true);
    expectValidSoap(reply, answer.envelope?.body && standaloneXml(answer.envelope.body));
    expect(await app.store.redis.keys(`${app.config.redis.prefix}:sub:*`)).toEqual([]);
  });

  it('errors name the object and the slot: the non-INS patientId of the NIST submission set', async () => {
    const answer = answerOf(await app.post(read('nist/pnr_soap.xml'), SOAP));
    expect(answer.result?.errors).toContainEqual({
      errorCode: 'XDSUnknownPatientId',
      severity: 'Error',
      location:
        "RegistryPackage[@id='SubmissionSet01']/ExternalIdentifier[@identificationScheme='urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446']",
      codeContext: expect.stringMatching(/^SubmissionSet SubmissionSet01: patientId is not an INS/),
    });
    expect(answer.result?.errors).toContainEqual(
      expect.objectContaining({
        errorCode: 'XDSMissingDocument',
        location: "ExtrinsicObject[@id='Document02']",
      }),
    );
  });
});

describe('non-ITI-41 corpus messages and the broken capture get a SOAP Fault', () => {
  it.each(FAULTS)('%s (%s) → Fault %j: %s', async (name, how, fault) => {
    const { body, contentType } = request(name, how);
    const reply = await app.post(body, contentType);
    const answer = answerOf(reply);
    expect(answer.status).toBe(400);
    expect(answer.envelope?.fault).toMatchObject({
      code: fault.code,
      ...(fault.subcode ? { subcode: fault.subcode } : {}),
    });
    expect(answer.envelope?.fault?.reason).toMatch(fault.reason);
    expectValidSoap(reply, undefined);
  });

  it('eHealth Suisse capture with the body boundary put back: still refused, its SOAP part is not namespace-well-formed', async () => {
    const capture = parseHttpCapture(read('ehealthsuisse/ITI-41_request_raw.http'));
    const boundary = /^--([^\r\n]+)/.exec(capture.body.toString('latin1'))?.[1] as string;
    const contentType = (capture.headers['content-type'] as string)
      .replace(/boundary="[^"]+"/, `boundary="${boundary}"`)
      .replace(/start="[^"]+"/, 'start="<root.message@cxf.apache.org>"');
    const answer = answerOf(await app.post(capture.body, contentType));
    expect(answer.status).toBe(400);
    expect(answer.envelope?.fault?.reason).toMatch(/namespace prefix "wsse" is not declared/);
  });
});
