/**
 * The XDS door end to end: an ITI-41 from a hospital source (built with the
 * project's own builders) posted to POST /xds/iti41 → Success, then
 * deposited in the sandbox DMP by the gateway's worker with the metadata of
 * the request: a ready-made CDA passed through, a raw PDF wrapped as N1, a
 * replacement (RPLC) of it, a resend recognised.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Submission } from '../../src/model/types.ts';
import { OID } from '../../src/model/vocabulary.ts';
import { sha1Hex } from '../../src/xds/document-entry.ts';
import { type TestSigner, testSigner } from '../support/deposit.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { startXdsApp, type XdsTestApp } from '../support/xds-app.ts';
import {
  answerOf,
  freshOid,
  type HttpMessage,
  hospitalDeposit,
  hospitalSubmission,
  inlineMessage,
  mtomMessage,
  rawDocumentMessage,
} from '../support/xds-requests.ts';

let gw: TestGateway;
let xds: XdsTestApp;
let signer: TestSigner;

beforeAll(async () => {
  gw = await startTestGateway();
  xds = await startXdsApp({ config: gw.config });
  signer = await testSigner();
});
afterAll(async () => {
  await xds?.close();
  await gw?.close();
});

/** Posts `message`, expects Success, waits for the deposit of its first document; returns the record id. */
async function depositThrough(message: HttpMessage, uniqueId: string): Promise<string> {
  const answer = answerOf(await xds.post(message.body, message.contentType));
  expect(answer.status).toBe(200);
  expect(answer.envelope?.relatesTo).toBe(message.messageId);
  expect(answer.result).toEqual({ status: 'Success', errors: [] });
  const id = await xds.store.byDocumentUniqueId(uniqueId);
  expect(id).toBeDefined();
  await gw.waitFor(id as string, (s) => s.status === 'deposited');
  return id as string;
}

const stored = (uniqueId: string) => gw.sandbox!.documents().find((d) => d.uniqueId === uniqueId);

describe('POST /xds/iti41 → deposited in the sandbox DMP', () => {
  it('an MTOM ITI-41 with a CDA → Success, deposited byte for byte with the metadata of the request', async () => {
    const submission = hospitalSubmission();
    const doc = submission.documents[0]!;
    const deposit = hospitalDeposit(submission, signer);
    const id = await depositThrough(mtomMessage(deposit), doc.id.root);
    expect(stored(doc.id.root)?.hash).toBe(sha1Hex(deposit.parts[0]!.bytes));
    expect(stored(doc.id.root)).toMatchObject({
      kind: 'document',
      status: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved',
      entryUUID: doc.entryUUID, // the source's entryUUID is kept, so its later RPLC finds the document
      mimeType: 'text/xml',
      patientId: '279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH',
      title: doc.title,
      typeCode: { code: '11490-0', codeSystem: OID.loinc },
      classCode: { code: '10', codeSystem: OID.treA03Class },
      formatCode: { code: 'urn:ihe:iti:xds-sd:pdf:2008', codeSystem: OID.formatCodeScheme },
      healthcareFacilityTypeCode: { code: 'SA01' },
      practiceSettingCode: { code: 'ETABLISSEMENT' },
      depositorStructureId: `1${gw.config.establishment.finess}`,
      submissionSet: { sourceId: gw.config.ids.sourceId },
    });
    expect(stored(doc.id.root)!.confidentialityCodes.map((c) => c.code)).toEqual(['N']);
    const view = await gw.status(id);
    expect(view.source).toBe('xds');
    expect(view.identity).toMatch(/^xds:1\.2\.250\.1\.999\.1\.1:/);
  });

  it('the same request with the document inline (application/soap+xml) → Success too', async () => {
    const submission = hospitalSubmission('documentreference-text.json');
    await depositThrough(
      inlineMessage(hospitalDeposit(submission, signer)),
      submission.documents[0]!.id.root,
    );
    expect(stored(submission.documents[0]!.id.root)?.formatCode?.code).toBe('urn:ihe:iti:xds-sd:text:2008');
  });

  it('two documents in one request → one submission, both deposited in one DMP submission set', async () => {
    const a = hospitalSubmission();
    const b = hospitalSubmission('documentreference-text.json');
    const submission = { ...a, documents: [a.documents[0]!, b.documents[0]!] };
    await depositThrough(mtomMessage(hospitalDeposit(submission, signer)), a.documents[0]!.id.root);
    const [first, second] = submission.documents.map((d) => stored(d.id.root));
    expect(first?.status).toMatch(/Approved$/);
    expect(second?.status).toMatch(/Approved$/);
    expect(second?.submissionSet.uniqueId).toBe(first?.submissionSet.uniqueId);
  });

  it('a raw PDF (mimeType application/pdf) → wrapped as N1; its RPLC continues the set; a resend is not deposited twice', async () => {
    const original = hospitalSubmission();
    const first = original.documents[0]!;
    const message = rawDocumentMessage(original);
    const firstId = await depositThrough(message, first.id.root);
    expect(stored(first.id.root)).toMatchObject({
      mimeType: 'text/xml',
      formatCode: { code: 'urn:ihe:iti:xds-sd:pdf:2008' },
      entryUUID: first.entryUUID,
    });

    // the identical request again: answered Success, recognised, one copy in the DMP
    const again = answerOf(await xds.post(message.body, message.contentType));
    expect(again.result?.status).toBe('Success');
    expect(await xds.store.byDocumentUniqueId(first.id.root)).toBe(firstId);
    expect(gw.sandbox!.documents().filter((d) => d.uniqueId === first.id.root)).toHaveLength(1);

    const base = hospitalSubmission();
    const next: Submission = {
      ...base,
      documents: [
        {
          ...base.documents[0]!,
          id: { root: freshOid() },
          replaces: { uniqueId: first.id.root, entryUUID: first.entryUUID, cdaId: first.id },
        },
      ],
    };
    const nextDoc = next.documents[0]!;
    const nextId = await depositThrough(rawDocumentMessage(next), nextDoc.id.root);
    const firstView = await gw.status(firstId);
    expect((await gw.status(nextId)).documents[0]).toMatchObject({
      versionNumber: 2,
      setId: firstView.documents[0]!.setId,
      replaces: first.id.root,
    });
    expect(stored(first.id.root)!.status).toMatch(/Deprecated$/);
    expect(stored(nextDoc.id.root)).toMatchObject({
      status: expect.stringMatching(/Approved$/),
      replaces: first.entryUUID,
    });
  });
});
