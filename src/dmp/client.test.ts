/**
 * The DMP client against a real local HTTPS server with mutual TLS
 * (test/support/scripted-dmp.ts) playing scripted answers and failures.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXED_NOW, sequentialIds, testConfig } from '../../test/support/context.ts';
import {
  adhocQueryResponse,
  faultReply,
  mtomReply,
  type ReceivedRequest,
  registryResponse,
  requestEnvelope,
  type ScriptedDmp,
  soapReply,
  startScriptedDmp,
  td02Response,
} from '../../test/support/scripted-dmp.ts';
import { SCHEMA, xsdErrors } from '../../test/support/xsd.ts';
import { subjectDn } from '../config/signing-key.ts';
import { buildDeposit, type Deposit } from '../deposit/build-deposit.ts';
import { documentReferenceToSubmission } from '../inbound/fhir/document-reference.ts';
import type { Patient, Submission } from '../model/types.ts';
import { SOAP_ACTION, STATUS } from '../model/vocabulary.ts';
import { type DevPki, generateDevPki, issueCertificate } from '../pki/dev-pki.ts';
import type { SigningKey } from '../signature/signer.ts';
import { verifySignature } from '../signature/signer.ts';
import { readVihfAttributes } from '../signature/vihf.ts';
import { standaloneXml } from '../soap/envelope.ts';
import { parseMediaType } from '../soap/media-type.ts';
import { asArray, attr, parseXml, textOf, type XmlObject } from '../xml/parse.ts';
import { createDmpClient, type DmpClient, type DmpClientOptions } from './client.ts';

const RESPONSE = {
  iti41: SOAP_ACTION.iti41Response,
  iti18: SOAP_ACTION.iti18Response,
  iti57: SOAP_ACTION.iti57Response,
  td02: 'urn:hl7-org:v3:PRPA_IN201308UV02',
} as const;

let pki: DevPki;
let signing: { key: SigningKey; subjectDn: string };
let dmp: ScriptedDmp;
let client: DmpClient;
let submission: Submission;
let patient: Patient;
let deposit: Deposit;
const extraClients: DmpClient[] = [];
const extraServers: ScriptedDmp[] = [];

function options(overrides: Partial<DmpClientOptions> = {}, server: ScriptedDmp = dmp): DmpClientOptions {
  return {
    endpoints: {
      iti41: server.url('/iti41'),
      iti18: server.url('/iti18'),
      iti57: server.url('/iti57'),
      td02: server.url('/td02'),
    },
    tls: { certPem: pki.tlsClient.certPem, keyPem: pki.tlsClient.keyPem, caPem: pki.ca.certPem },
    timeoutMs: 10_000,
    signing,
    config: testConfig,
    ...overrides,
  };
}

function another(overrides: Partial<DmpClientOptions>, server?: ScriptedDmp): DmpClient {
  const c = createDmpClient(options(overrides, server));
  extraClients.push(c);
  return c;
}

beforeAll(async () => {
  pki = await generateDevPki();
  signing = {
    key: { keyPem: pki.signing.keyPem, certPem: pki.signing.certPem, digest: 'sha256' },
    subjectDn: subjectDn(pki.signing.certPem),
  };
  dmp = await startScriptedDmp({ ca: pki.ca, server: pki.tlsServer });
  client = createDmpClient(options());
  const fixture = JSON.parse(
    readFileSync(new URL('../../fixtures/fhir/documentreference-pdf.json', import.meta.url), 'utf8'),
  );
  submission = documentReferenceToSubmission(fixture, {
    config: testConfig,
    ids: sequentialIds(),
    now: FIXED_NOW,
  });
  patient = submission.patient;
  deposit = buildDeposit(submission, {
    config: testConfig,
    ids: sequentialIds(),
    now: FIXED_NOW,
    signingKey: signing.key,
    signerDn: signing.subjectDn,
  });
});

afterAll(async () => {
  for (const c of [client, ...extraClients]) c.close();
  for (const s of [dmp, ...extraServers]) await s.close();
});

const last = (): ReceivedRequest => dmp.requests.at(-1)!;

/** The VIHF attributes of a request, after verifying its signature with the pinned signing certificate. */
function vihfOf(request: ReceivedRequest): Record<string, string[]> {
  const assertion = standaloneXml(requestEnvelope(request).security[0]!);
  const verified = verifySignature(assertion, { certPem: pki.signing.certPem, idAttribute: 'ID' });
  return readVihfAttributes(verified.references[0]!.xml);
}

function bodyOf(request: ReceivedRequest): XmlObject {
  return parseXml(standaloneXml(requestEnvelope(request).body!), { arrays: ['Slot', 'Value'] });
}

describe('ITI-41 provideAndRegister', () => {
  it('sends the deposit bytes unchanged with its Content-Type and action, and reads a Success', async () => {
    dmp.enqueue((r) => soapReply(r, RESPONSE.iti41, registryResponse('Success')));
    const outcome = await client.provideAndRegister(deposit);
    expect(outcome).toEqual({ kind: 'success', response: { status: 'Success', errors: [] } });
    const request = last();
    expect(request.path).toBe('/iti41');
    expect(Buffer.compare(request.body, deposit.http.body)).toBe(0);
    expect(request.headers['content-type']).toBe(deposit.http.contentType);
    const type = parseMediaType(request.headers['content-type']!);
    expect(type.type).toBe('multipart/related');
    expect(type.params.get('action')).toBe(SOAP_ACTION.iti41);
  });

  it('reads an MTOM answer', async () => {
    dmp.enqueue((r) => mtomReply(r, RESPONSE.iti41, registryResponse('Success')));
    expect((await client.provideAndRegister(deposit)).kind).toBe('success');
  });

  it.each([
    ['XDSRegistryBusy', 'transient'],
    ['XDSUnknownPatientId', 'permanent'],
    ['XDSNonIdenticalHash', 'permanent'],
  ] as const)('a Failure with %s is %s', async (code, kind) => {
    dmp.enqueue((r) => soapReply(r, RESPONSE.iti41, registryResponse('Failure', code)));
    const outcome = await client.provideAndRegister(deposit);
    expect(outcome.kind).toBe(kind);
    if (outcome.kind === 'transient') expect(outcome.codes).toEqual([code]);
    if (outcome.kind === 'permanent')
      expect(outcome.errors).toEqual([{ errorCode: code, codeContext: `scripted ${code}` }]);
  });

  it('HTTP 500 without a SOAP body is transient', async () => {
    dmp.enqueue(() => ({
      kind: 'respond',
      status: 500,
      contentType: 'text/html',
      body: '<html>Internal error</html>',
    }));
    expect(await client.provideAndRegister(deposit)).toMatchObject({
      kind: 'transient',
      codes: ['HTTP 500'],
    });
  });

  it('a SOAP Fault Sender is permanent, a SOAP Fault Receiver transient', async () => {
    dmp.enqueue((r) => faultReply(r, 'Sender', 'VIHF signature invalid', 'wsse:FailedAuthentication'));
    expect(await client.provideAndRegister(deposit)).toMatchObject({
      kind: 'permanent',
      errors: [{ errorCode: 'wsse:FailedAuthentication', codeContext: 'VIHF signature invalid' }],
    });
    dmp.enqueue((r) => faultReply(r, 'Receiver', 'database unavailable'));
    expect(await client.provideAndRegister(deposit)).toMatchObject({
      kind: 'transient',
      codes: ['soap:Receiver'],
    });
  });

  it('a connection destroyed before the body was read is transient: the request never fully left', async () => {
    dmp.enqueue('destroy-before-body');
    const big = {
      ...deposit,
      http: { contentType: deposit.http.contentType, body: Buffer.alloc(16 * 1024 * 1024, 0x41) },
    };
    expect((await client.provideAndRegister(big)).kind).toBe('transient');
  });

  it('a connection destroyed after the body was read is ambiguous', async () => {
    const before = dmp.requests.length;
    dmp.enqueue(() => ({ kind: 'destroy-after-body' }));
    expect((await client.provideAndRegister(deposit)).kind).toBe('ambiguous');
    expect(Buffer.compare(dmp.requests[before]!.body, deposit.http.body)).toBe(0);
  });

  it('no answer within timeoutMs after sending is ambiguous', async () => {
    dmp.enqueue(() => ({ kind: 'hang' }));
    const impatient = another({ timeoutMs: 300 });
    expect(await impatient.provideAndRegister(deposit)).toMatchObject({ kind: 'ambiguous' });
  });

  it('an answer larger than maxResponseBytes is abandoned: ambiguous', async () => {
    dmp.enqueue(() => ({
      kind: 'respond',
      status: 200,
      contentType: 'application/soap+xml',
      body: Buffer.alloc(256 * 1024, 0x20),
    }));
    const outcome = await another({ maxResponseBytes: 64 * 1024 }).provideAndRegister(deposit);
    expect(outcome).toMatchObject({ kind: 'ambiguous', reason: expect.stringContaining('size limit') });
  });

  it('a refused connection (nothing listening) is transient', async () => {
    const gone = await startScriptedDmp({ ca: pki.ca, server: pki.tlsServer });
    const url = gone.url('/iti41');
    await gone.close();
    const outcome = await another({ endpoints: { ...options().endpoints, iti41: url } }).provideAndRegister(
      deposit,
    );
    expect(outcome).toMatchObject({ kind: 'transient', codes: ['ECONNREFUSED'] });
  });
});

describe('TLS', () => {
  it('a DMP server certificate from an unknown CA is a permanent configuration error', async () => {
    const stranger = await generateDevPki();
    const outcome = await another({
      tls: { certPem: pki.tlsClient.certPem, keyPem: pki.tlsClient.keyPem, caPem: stranger.ca.certPem },
    }).provideAndRegister(deposit);
    expect(outcome.kind).toBe('permanent');
    expect(outcome.kind === 'permanent' && outcome.errors[0]?.errorCode).toMatch(/CERT|SIGNATURE|ISSUER/);
  });

  it('a client certificate refused by HTTP 400 (nginx ssl_verify_client) is permanent', async () => {
    const strictServer = await startScriptedDmp({ ca: pki.ca, server: pki.tlsServer, clientAuth: 'http' });
    extraServers.push(strictServer);
    const otherCa = await issueCertificate(undefined, { usage: 'ca', subject: [{ CN: ['Unknown CA'] }] });
    const intruder = await issueCertificate(otherCa, { usage: 'tlsClient', subject: [{ CN: ['intruder'] }] });
    const outcome = await another(
      { tls: { certPem: intruder.certPem, keyPem: intruder.keyPem, caPem: pki.ca.certPem } },
      strictServer,
    ).provideAndRegister(deposit);
    expect(outcome).toMatchObject({ kind: 'permanent', errors: [{ errorCode: 'HTTP 400' }] });
    expect(strictServer.requests).toHaveLength(0);
  });

  it('a client certificate refused in a TLS 1.2 handshake never reads as sent', async () => {
    const strictServer = await startScriptedDmp({ ca: pki.ca, server: pki.tlsServer, maxVersion: 'TLSv1.2' });
    extraServers.push(strictServer);
    const otherCa = await issueCertificate(undefined, { usage: 'ca', subject: [{ CN: ['Unknown CA'] }] });
    const intruder = await issueCertificate(otherCa, { usage: 'tlsClient', subject: [{ CN: ['intruder'] }] });
    const outcome = await another(
      { tls: { certPem: intruder.certPem, keyPem: intruder.keyPem, caPem: pki.ca.certPem } },
      strictServer,
    ).provideAndRegister(deposit);
    // A TLS alert reads as permanent; Node's server resets the connection instead, before the request is sent.
    expect(['permanent', 'transient']).toContain(outcome.kind);
    expect(strictServer.requests).toHaveLength(0);
  });
});

describe('ITI-18 queries', () => {
  it('findByUniqueId sends a signed GetDocuments (LeafClass) and reads the entries', async () => {
    dmp.enqueue((r) =>
      soapReply(
        r,
        RESPONSE.iti18,
        adhocQueryResponse([
          { entryUUID: 'urn:uuid:aa', uniqueId: '2.25.77', status: STATUS.approved, hash: 'ABCDEF' },
        ]),
      ),
    );
    const answer = await client.findByUniqueId(patient, '2.25.77');
    expect(answer.outcome.kind).toBe('success');
    expect(answer.documents).toEqual([
      {
        entryUUID: 'urn:uuid:aa',
        uniqueId: '2.25.77',
        status: STATUS.approved,
        hash: 'abcdef',
        mimeType: 'text/xml',
      },
    ]);
    const request = last();
    expect(request.path).toBe('/iti18');
    const type = parseMediaType(request.headers['content-type']!);
    expect([type.type, type.params.get('action')]).toEqual(['application/soap+xml', SOAP_ACTION.iti18]);
    expect(requestEnvelope(request).action).toBe(SOAP_ACTION.iti18);
    expect(requestEnvelope(request).to).toBe(dmp.url('/iti18'));
    expect(vihfOf(request)['urn:oasis:names:tc:xacml:2.0:resource:resource-id']).toEqual([
      `${patient.ins.extension}^^^&${patient.ins.root}&ISO^NH`,
    ]);
    const body = bodyOf(request).AdhocQueryRequest as XmlObject;
    expect(attr(body.AdhocQuery, 'id')).toBe('urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4');
    expect(attr(body.ResponseOption, 'returnType')).toBe('LeafClass');
  });

  it('findDocuments sends the patient and statuses; every call has its own VIHF', async () => {
    dmp.enqueue((r) => soapReply(r, RESPONSE.iti18, adhocQueryResponse([])));
    dmp.enqueue((r) => soapReply(r, RESPONSE.iti18, adhocQueryResponse([])));
    await client.findDocuments(patient, [STATUS.approved]);
    const first = last();
    const answer = await client.findDocuments(patient, [STATUS.approved]);
    expect(answer).toEqual({ outcome: expect.objectContaining({ kind: 'success' }), documents: [] });
    const slots = asArray(
      ((bodyOf(first).AdhocQueryRequest as XmlObject).AdhocQuery as XmlObject).Slot as XmlObject[],
    );
    const values = slots.map((s) => textOf(asArray((s.ValueList as XmlObject).Value)[0]));
    expect(values).toEqual([
      `'${patient.ins.extension}^^^&${patient.ins.root}&ISO^NH'`,
      `('${STATUS.approved}')`,
    ]);
    const ids = [first, last()].map((r) => requestEnvelope(r).security[0]!.xml.match(/ID="([^"]+)"/)?.[1]);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('a query with no answer in time is transient (a query can be sent again)', async () => {
    dmp.enqueue(() => ({ kind: 'hang' }));
    const answer = await another({ timeoutMs: 300 }).findByUniqueId(patient, '2.25.1');
    expect(answer).toEqual({ outcome: expect.objectContaining({ kind: 'transient' }), documents: [] });
  });
});

describe('ITI-57 deleteDocument', () => {
  it('sends a schema-valid UpdateAvailabilityStatus to Deleted, signed for the patient', async () => {
    dmp.enqueue((r) => soapReply(r, RESPONSE.iti57, registryResponse('Success')));
    const outcome = await client.deleteDocument(patient, {
      entryUUID: 'urn:uuid:0b0c94d3-7a3b-4c0f-9b5e-1c2d3e4f5a6b',
      contentTypeCode: submission.contentTypeCode,
    });
    expect(outcome.kind).toBe('success');
    const request = last();
    expect(request.path).toBe('/iti57');
    expect(parseMediaType(request.headers['content-type']!).params.get('action')).toBe(SOAP_ACTION.iti57);
    const body = standaloneXml(requestEnvelope(request).body!);
    expect(xsdErrors(body, SCHEMA.xdsRepository)).toEqual([]);
    expect(body).toContain('targetObject="urn:uuid:0b0c94d3-7a3b-4c0f-9b5e-1c2d3e4f5a6b"');
    expect(body).toContain('urn:asip:ci-sis:2010:StatusType:Deleted');
    expect(vihfOf(request).Authentification_Mode).toEqual(['INDIRECTE']);
  });
});

describe('TD0.2 checkPatient', () => {
  it.each([
    [{ queryResponseCode: 'OK', dmpStatus: 'active', patientStatus: 'active' }, 'active'],
    [{ queryResponseCode: 'OK', patientStatus: 'terminated' }, 'closed'],
    [{ queryResponseCode: 'NF' }, 'absent'],
  ] as const)('%o → %s', async (spec, state) => {
    dmp.enqueue((r) => soapReply(r, RESPONSE.td02, td02Response(spec)));
    expect(await client.checkPatient(patient)).toBe(state);
    const request = last();
    expect(request.path).toBe('/td02');
    expect(parseMediaType(request.headers['content-type']!).params.get('action')).toBe(SOAP_ACTION.td02);
    const message = bodyOf(request).PRPA_IN201307UV02 as XmlObject;
    const identifier = ((message.controlActProcess as XmlObject).queryByParameter as XmlObject)
      .parameterList as XmlObject;
    expect(attr((identifier.patientIdentifier as XmlObject).value, 'extension')).toBe(patient.ins.extension);
  });

  it('a refusal (AE) is permanent with the DMP detail codes', async () => {
    dmp.enqueue((r) =>
      soapReply(
        r,
        RESPONSE.td02,
        td02Response({ ack: 'AE', details: [{ code: 'DMPInvalidData', text: 'bad INS' }] }),
      ),
    );
    expect(await client.checkPatient(patient)).toMatchObject({
      kind: 'permanent',
      errors: [{ errorCode: 'DMPInvalidData', codeContext: 'bad INS' }],
    });
  });
});
