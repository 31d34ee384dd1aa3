/**
 * Test support for the sandbox DMP: a sandbox started on 127.0.0.1 with a
 * development PKI generated for the test, an HTTPS client presenting the
 * TLS client certificate, deposits built by the translation core from the
 * FHIR fixtures, and small readers of the answers.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { subjectDn } from '../../src/config/signing-key.ts';
import { buildDeposit, type Deposit } from '../../src/deposit/build-deposit.ts';
import { documentReferenceToSubmission } from '../../src/inbound/fhir/document-reference.ts';
import type { IdSource } from '../../src/model/ids.ts';
import type { Submission } from '../../src/model/types.ts';
import { type DevPki, generateDevPki } from '../../src/pki/dev-pki.ts';
import { DEMO_PATIENTS } from '../../src/sandbox/demo-patients.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import type {
  InsId,
  PatientSeed,
  Sandbox,
  SandboxEndpoint,
  SandboxOptions,
} from '../../src/sandbox/types.ts';
import type { SigningKey } from '../../src/signature/signer.ts';
import { readSoapEnvelope, type SoapEnvelope, standaloneXml } from '../../src/soap/envelope.ts';
import { readMtom, writeMtom } from '../../src/soap/mtom.ts';
import { FIXED_NOW, sequentialIds, testConfig } from './context.ts';

/** The fixture patient (INS-NIR test OID): active DMP. */
export const ACTIVE: InsId = { root: '1.2.250.1.213.1.4.10', extension: '279035121518989' };
export const CLOSED: InsId = { root: '1.2.250.1.213.1.4.10', extension: '248097512345679' };
export const ABSENT: InsId = { root: '1.2.250.1.213.1.4.10', extension: '190017512345612' };

/** The sandbox's demonstration patients: ACTIVE, CLOSED and ABSENT above. */
export const TEST_PATIENTS: readonly PatientSeed[] = DEMO_PATIENTS;

export interface TestSandbox {
  readonly pki: DevPki;
  readonly signingKey: SigningKey;
  readonly signerDn: string;
  readonly sandbox: Sandbox;
}

/** Generates a dev PKI and starts a sandbox trusting its CA and signing certificate. */
export async function startTestSandbox(
  options: Partial<SandboxOptions> = {},
  pki?: DevPki,
): Promise<TestSandbox> {
  const keys = pki ?? (await generateDevPki({ finess: testConfig.establishment.finess }));
  const sandbox = await startSandbox({
    serverCertPem: keys.tlsServer.certPem,
    serverKeyPem: keys.tlsServer.keyPem,
    clientCaPem: keys.ca.certPem,
    trustedSigningCertsPem: [keys.signing.certPem],
    patients: TEST_PATIENTS,
    now: () => new Date(FIXED_NOW.getTime() + 1000),
    ...options,
  });
  return {
    pki: keys,
    signingKey: { keyPem: keys.signing.keyPem, certPem: keys.signing.certPem, digest: 'sha256' },
    signerDn: subjectDn(keys.signing.certPem),
    sandbox,
  };
}

export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

export interface PostOptions {
  /** Client certificate and key (default: the PKI's TLS client pair); `null` = none. */
  readonly client?: { certPem: string; keyPem: string } | null;
  readonly timeoutMs?: number;
  readonly maxVersion?: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
}

/** POSTs `message` to a sandbox endpoint over mutual TLS. */
export function post(
  t: TestSandbox,
  endpoint: SandboxEndpoint,
  message: { readonly contentType: string; readonly body: Buffer },
  options: PostOptions = {},
): Promise<HttpAnswer> {
  const client = options.client === undefined ? t.pki.tlsClient : options.client;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: t.sandbox.host,
        port: t.sandbox.port,
        path: `/dmp/${endpoint}`,
        method: 'POST',
        ca: t.pki.ca.certPem,
        ...(client && { cert: client.certPem, key: client.keyPem }),
        ...(options.maxVersion && { maxVersion: options.maxVersion }),
        headers: { 'Content-Type': message.contentType, 'Content-Length': message.body.length },
        agent: false,
        timeout: options.timeoutMs ?? 20_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'] ?? '',
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end(message.body);
  });
}

/** The SOAP envelope of an answer (MTOM or plain) and its Body child, standalone. */
export function readAnswer(answer: HttpAnswer): { envelope: SoapEnvelope; body: string } {
  const root = answer.contentType.startsWith('multipart/related')
    ? readMtom(answer.contentType, answer.body).root.bytes
    : answer.body;
  const envelope = readSoapEnvelope(root);
  return { envelope, body: envelope.body ? standaloneXml(envelope.body) : '' };
}

/** Sequential UUIDs starting after `start` (a second deposit that shares no id with the first). */
export function idsFrom(start: number): IdSource {
  let n = start;
  return { uuid: () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}` };
}

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/fhir/${name}`, import.meta.url), 'utf8'));

export interface FixtureOverrides {
  readonly ins?: InsId;
  /** Document uniqueId (masterIdentifier). */
  readonly uniqueId?: string;
  readonly predecessor?: { setId: { root: string }; versionNumber: number; entryUUID: string };
  /** Id source, shared by the submission and the deposit (default: sequential from 1). */
  readonly ids?: IdSource;
}

/** A Submission from a FHIR fixture, with the patient INS and the document id changed when asked. */
export function fixtureSubmission(name: string, overrides: FixtureOverrides = {}): Submission {
  const doc = fixture(name);
  if (overrides.ins) {
    const patient = doc.contained.find((r: { resourceType: string }) => r.resourceType === 'Patient');
    const ins = patient.identifier.find((i: { system: string }) =>
      i.system.startsWith('urn:oid:1.2.250.1.213.1.4.'),
    );
    ins.system = `urn:oid:${overrides.ins.root}`;
    ins.value = overrides.ins.extension;
  }
  if (overrides.uniqueId) doc.masterIdentifier.value = `urn:oid:${overrides.uniqueId}`;
  return documentReferenceToSubmission(doc, {
    config: testConfig,
    ids: overrides.ids ?? sequentialIds(),
    now: FIXED_NOW,
    predecessor: overrides.predecessor,
  });
}

/** The ITI-41 deposit the gateway would send for a fixture. */
export function fixtureDeposit(
  t: Pick<TestSandbox, 'signingKey' | 'signerDn'>,
  name = 'documentreference-pdf.json',
  overrides: FixtureOverrides = {},
): Deposit {
  const ids = overrides.ids ?? sequentialIds();
  const submission = fixtureSubmission(name, { ...overrides, ids });
  return buildDeposit(submission, {
    config: testConfig,
    ids,
    now: FIXED_NOW,
    signingKey: t.signingKey,
    signerDn: t.signerDn,
  });
}

/** The deposit's HTTP request with its envelope and/or parts changed (to test the sandbox's checks). */
export function tampered(
  deposit: Deposit,
  change: { envelope?: (xml: string) => string; part?: (index: number, bytes: Uint8Array) => Uint8Array },
): { contentType: string; body: Buffer } {
  const rootXml = change.envelope ? change.envelope(deposit.envelope) : deposit.envelope;
  const parts = deposit.parts.map((p, i) => ({
    ...p,
    bytes: change.part ? change.part(i, p.bytes) : p.bytes,
  }));
  return writeMtom({ rootXml, action: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b', parts });
}
