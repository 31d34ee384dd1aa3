/**
 * POST /xds/iti41 as an ITI-41 Document Recipient: the SOAP answer
 * (RegistryResponse with wsa:Action and RelatesTo, MTOM for MTOM), the
 * WS-Addressing and SOAP processing faults, idempotent resends, conflicts
 * (XDSDuplicateUniqueIdInRegistry, XDSNonIdenticalHash), a busy store
 * (XDSRepositoryBusy), and no patient data in any answer.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Submission } from '../../src/model/types.ts';
import { SOAP_ACTION, WSA, XDS } from '../../src/model/vocabulary.ts';
import { type TestSigner, testSigner } from '../support/deposit.ts';
import { startXdsApp, type XdsTestApp } from '../support/xds-app.ts';
import {
  answerOf,
  codesOf,
  hospitalDeposit,
  hospitalSubmission,
  inlineMessage,
  mtomMessage,
} from '../support/xds-requests.ts';
import { SCHEMA, xsdErrors } from '../support/xsd.ts';

const SOAP = 'application/soap+xml; charset=UTF-8';
let app: XdsTestApp;
let signer: TestSigner;
beforeAll(async () => {
  app = await startXdsApp();
  signer = await testSigner();
});
afterAll(async () => {
  await app?.close();
});

const records = async () =>
  (await app.store.redis.keys(`${app.config.redis.prefix}:sub:*`)).filter((k) => !k.endsWith(':events'));
const inline = (submission: Submission) => inlineMessage(hospitalDeposit(submission, signer));
const envelopeText = (submission: Submission) => inline(submission).body.toString('utf8');

describe('the answer', () => {
  it('MTOM in → MTOM RegistryResponse Success, wsa:Action …-bResponse, RelatesTo the request', async () => {
    const message = mtomMessage(hospitalDeposit(hospitalSubmission(), signer));
    const reply = await app.post(message.body, message.contentType);
    expect(reply.contentType).toMatch(/^multipart\/related; type="application\/xop\+xml"/);
    const answer = answerOf(reply);
    expect(answer.envelope).toMatchObject({
      action: SOAP_ACTION.iti41Response,
      relatesTo: message.messageId,
    });
    expect(answer.result).toEqual({ status: 'Success', errors: [] });
  });

  it('plain SOAP in → plain SOAP out, valid against the SOAP 1.2 schema', async () => {
    const message = inline(hospitalSubmission());
    const reply = await app.post(message.body, message.contentType);
    expect(reply.contentType).toBe(
      `application/soap+xml; charset=UTF-8; action="${SOAP_ACTION.iti41Response}"`,
    );
    expect(xsdErrors(reply.body, SCHEMA.soap12)).toEqual([]);
    expect(answerOf(reply).result?.status).toBe('Success');
  });
});

describe('SOAP and WS-Addressing faults', () => {
  it('a SOAP 1.1 envelope → 500 VersionMismatch with an Upgrade header naming SOAP 1.2', async () => {
    const soap11 = envelopeText(hospitalSubmission()).replaceAll(
      'http://www.w3.org/2003/05/soap-envelope',
      'http://schemas.xmlsoap.org/soap/envelope/',
    );
    const reply = await app.post(soap11, SOAP);
    expect(reply.status).toBe(500);
    expect(answerOf(reply).envelope?.fault?.code).toBe('VersionMismatch');
    expect(reply.body.toString()).toMatch(
      /<soap:Upgrade><soap:SupportedEnvelope qname="up:Envelope" xmlns:up="http:\/\/www\.w3\.org\/2003\/05\/soap-envelope"\/><\/soap:Upgrade>/,
    );
    expect(xsdErrors(reply.body, SCHEMA.soap12)).toEqual([]);
  });

  it('a header block flagged mustUnderstand that is not understood → 500 MustUnderstand + NotUnderstood', async () => {
    const text = envelopeText(hospitalSubmission()).replace(
      '<soap:Header>',
      '<soap:Header><x:Routing xmlns:x="urn:example:routing" soap:mustUnderstand="true"/>',
    );
    const reply = await app.post(text, SOAP);
    expect(reply.status).toBe(500);
    const answer = answerOf(reply);
    expect(answer.envelope?.fault?.code).toBe('MustUnderstand');
    expect(answer.envelope?.relatesTo).toBeDefined();
    expect(reply.body.toString()).toContain(
      '<soap:NotUnderstood qname="nu:Routing" xmlns:nu="urn:example:routing"/>',
    );
  });

  it.each([
    ['no wsa:Action', /<wsa:Action[^>]*>[^<]*<\/wsa:Action>/, '', 'wsa:MessageAddressingHeaderRequired'],
    ['no wsa:MessageID', /<wsa:MessageID>[^<]*<\/wsa:MessageID>/, '', 'wsa:MessageAddressingHeaderRequired'],
    [
      'an asynchronous wsa:ReplyTo',
      /<wsa:Address>[^<]*<\/wsa:Address>/,
      '<wsa:Address>http://source.example/replies</wsa:Address>',
      'wsa:OnlyAnonymousAddressSupported',
    ],
    ['an ITI-18 action', new RegExp(SOAP_ACTION.iti41), SOAP_ACTION.iti18, 'wsa:ActionNotSupported'],
  ])('%s → 400 Sender %s', async (_what, pattern, replacement, subcode) => {
    const text = envelopeText(hospitalSubmission()).replace(pattern, replacement);
    const answer = answerOf(await app.post(text, SOAP));
    expect(answer.status).toBe(400);
    expect(answer.envelope?.fault).toMatchObject({ code: 'Sender', subcode });
  });

  it('a fault answering a request with a MessageID carries the fault action and RelatesTo', async () => {
    const message = inline(hospitalSubmission());
    const text = message.body.toString('utf8').replace(SOAP_ACTION.iti41, SOAP_ACTION.iti18);
    const answer = answerOf(await app.post(text, SOAP));
    expect(answer.envelope).toMatchObject({ action: WSA.faultAction, relatesTo: message.messageId });
  });
});

/** A submission of two documents (a PDF and a text, each wrapped as a CDA by the source). */
function twoDocuments(): Submission {
  const a = hospitalSubmission();
  const b = hospitalSubmission('documentreference-text.json');
  return { ...a, documents: [a.documents[0]!, b.documents[0]!] };
}

describe('all documents of a request or none', () => {
  it('two valid documents → Success, one submission holding both', async () => {
    const submission = twoDocuments();
    expect(answerOf(await app.post(inline(submission).body, SOAP)).result?.status).toBe('Success');
    const id = await app.store.byDocumentUniqueId(submission.documents[0]!.id.root);
    const stored = await app.store.get(id as string);
    expect(stored?.record.documents.map((d) => d.uniqueId)).toEqual(
      submission.documents.map((d) => d.id.root),
    );
  });

  it('one bad document of two → Failure naming it, and neither is stored', async () => {
    const submission = twoDocuments();
    const second = submission.documents[1]!;
    const text = envelopeText(submission);
    const hash = /<rim:Slot name="hash"><rim:ValueList><rim:Value>([0-9a-f]{40})</g;
    const hashes = [...text.matchAll(hash)].map((m) => m[1] as string);
    const tampered = text.replace(hashes[1] as string, '0'.repeat(40));
    const before = (await records()).length;
    const answer = answerOf(await app.post(tampered, SOAP));
    expect(answer.result?.errors).toEqual([
      expect.objectContaining({
        errorCode: 'XDSRepositoryMetadataError',
        location: `ExtrinsicObject[@id='${second.entryUUID}']/Slot[@name='hash']`,
      }),
    ]);
    expect(await records()).toHaveLength(before);
    expect(await app.store.byDocumentUniqueId(submission.documents[0]!.id.root)).toBeUndefined();
  });
});

describe('resends and conflicts', () => {
  it('the same request twice → Success twice, one submission', async () => {
    const message = inline(hospitalSubmission());
    const before = (await records()).length;
    for (let i = 0; i < 2; i++)
      expect(answerOf(await app.post(message.body, SOAP)).result?.status).toBe('Success');
    expect(await records()).toHaveLength(before + 1);
  });

  it('the same submission set uniqueId with other content → XDSDuplicateUniqueIdInRegistry on that uniqueId', async () => {
    const submission = hospitalSubmission();
    await app.post(inline(submission).body, SOAP);
    const changed = { ...submission, documents: [{ ...submission.documents[0]!, title: 'Autre titre' }] };
    const answer = answerOf(await app.post(inline(changed).body, SOAP));
    expect(answer.result?.errors).toEqual([
      expect.objectContaining({
        errorCode: 'XDSDuplicateUniqueIdInRegistry',
        location: `RegistryPackage[@id='${submission.entryUUID}']/ExternalIdentifier[@identificationScheme='${XDS.submissionSet.uniqueId}']`,
      }),
    ]);
  });

  it('a document uniqueId accepted earlier with other bytes → XDSNonIdenticalHash; with the same bytes → Success, nothing new', async () => {
    const first = hospitalSubmission();
    await app.post(inline(first).body, SOAP);
    const before = (await records()).length;
    const resent = {
      ...first,
      uniqueId: `${first.uniqueId}.2`,
      entryUUID: `urn:uuid:${crypto.randomUUID()}`,
    };
    expect(answerOf(await app.post(inline(resent).body, SOAP)).result?.status).toBe('Success');
    expect(await records()).toHaveLength(before);
    const other = {
      ...resent,
      uniqueId: `${first.uniqueId}.3`,
      documents: [{ ...first.documents[0]!, title: 'Autre' }],
    };
    const answer = answerOf(await app.post(inline(other).body, SOAP));
    expect(answer.result?.errors).toEqual([
      expect.objectContaining({
        errorCode: 'XDSNonIdenticalHash',
        location: `ExtrinsicObject[@id='${first.documents[0]!.entryUUID}']`,
      }),
    ]);
  });
});

describe('a store that cannot accept', () => {
  it('the gateway shutting down → Failure XDSRepositoryBusy, nothing stored', async () => {
    app.accepting = false;
    try {
      const answer = answerOf(await app.post(inline(hospitalSubmission()).body, SOAP));
      expect(codesOf(answer)).toEqual(['XDSRepositoryBusy']);
    } finally {
      app.accepting = true;
    }
  });

  it('Redis down → Failure XDSRepositoryBusy (transient), not a 500', async () => {
    const down = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const broken = await startXdsApp({ redis: down });
    try {
      const answer = answerOf(await broken.post(inline(hospitalSubmission()).body, SOAP));
      expect(answer.status).toBe(200);
      expect(codesOf(answer)).toEqual(['XDSRepositoryBusy']);
    } finally {
      await broken.close();
      down.disconnect();
    }
  });
});

describe('no patient data in answers', () => {
  it('an entry whose patientId differs names the slot, never the INS or the name', async () => {
    const submission = hospitalSubmission();
    const text = envelopeText(submission);
    const ins = submission.patient.ins.extension;
    const tampered = text.replace(`value="${ins}^^^`, 'value="190017512345612^^^'); // first occurrence: the document entry
    const reply = await app.post(tampered, SOAP);
    expect(codesOf(answerOf(reply))).toContain('XDSPatientIdDoesNotMatch');
    const out = reply.body.toString();
    for (const secret of [
      ins,
      '190017512345612',
      submission.patient.birthFamilyName,
      submission.patient.birthDate,
    ]) {
      expect(out).not.toContain(secret);
    }
  });
});
