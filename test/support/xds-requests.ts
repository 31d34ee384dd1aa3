/**
 * ITI-41 requests as a hospital XDS source sends them, built with the
 * project's own builders: a CDA (the N1 the translation core makes from the
 * FHIR fixtures) with the source's XAdES signature entry and VIHF, as MTOM
 * or with the documents inline; a raw PDF entry (mimeType application/pdf);
 * and readers of the recipient's answers.
 */
import { readFileSync } from 'node:fs';
import { buildDeposit, type Deposit, documentBytes } from '../../src/deposit/build-deposit.ts';
import { bodyXml, soapEnvelopeOf } from '../../src/dmp/response.ts';
import { documentReferenceToSubmission } from '../../src/inbound/fhir/document-reference.ts';
import { type IdSource, randomIds } from '../../src/model/ids.ts';
import type { Submission } from '../../src/model/types.ts';
import { NS, SOAP_ACTION } from '../../src/model/vocabulary.ts';
import { buildSoapEnvelope, newMessageId, type SoapEnvelope } from '../../src/soap/envelope.ts';
import { writeMtom } from '../../src/soap/mtom.ts';
import { buildProvideAndRegister } from '../../src/xds/provide-and-register.ts';
import { parseRegistryResponse, type RegistryResult } from '../../src/xds/registry-response.ts';
import { el, serialize, signedFragment, type XmlElement, type XmlNode } from '../../src/xml/tree.ts';
import { testConfig } from './context.ts';
import { inlineXop, partsById, type TestSigner } from './deposit.ts';

let sequence = 0;

/** A fresh OID, so each request carries new documents. */
export function freshOid(): string {
  return `1.2.250.1.999.1.3.${Date.now()}${process.pid}${++sequence}`;
}

/** The canonical submission of a FHIR fixture (test INS with an open DMP in the sandbox), new document id. */
export function hospitalSubmission(
  fixture = 'documentreference-pdf.json',
  ids: IdSource = randomIds,
): Submission {
  const doc = JSON.parse(readFileSync(new URL(`../../fixtures/fhir/${fixture}`, import.meta.url), 'utf8'));
  doc.masterIdentifier.value = `urn:oid:${freshOid()}`;
  return documentReferenceToSubmission(doc, { config: testConfig, ids, now: new Date() });
}

export interface HttpMessage {
  readonly contentType: string;
  readonly body: Buffer;
  readonly messageId: string;
}

/** The deposit the translation core builds for `submission`: an MTOM ITI-41 with a CDA document. */
export function hospitalDeposit(submission: Submission, signer: TestSigner): Deposit {
  return buildDeposit(submission, { config: testConfig, ids: randomIds, now: new Date(), ...signer });
}

export function mtomMessage(deposit: Deposit): HttpMessage {
  return { ...deposit.http, messageId: deposit.messageId };
}

/** The same request as plain SOAP 1.2, each document inline in base64. */
export function inlineMessage(deposit: Deposit): HttpMessage {
  const xml = inlineXop(deposit.envelope, partsById(deposit));
  return {
    contentType: 'application/soap+xml; charset=UTF-8',
    body: Buffer.from(xml, 'utf8'),
    messageId: deposit.messageId,
  };
}

function setMimeType(node: XmlNode, entryId: string, mimeType: string): XmlNode {
  if (node.kind !== 'element') return node;
  const attrs =
    node.name === 'rim:ExtrinsicObject' && node.attrs.id === entryId
      ? { ...node.attrs, mimeType }
      : node.attrs;
  return { ...node, attrs, children: node.children.map((c) => setMimeType(c, entryId, mimeType)) };
}

/**
 * An ITI-41 whose document is the raw file of an unstructured submission
 * (e.g. a PDF, mimeType application/pdf), as a source that lets the
 * recipient make the CDA sends it; MTOM, with a dummy source signature entry.
 */
export function rawDocumentMessage(submission: Submission): HttpMessage {
  const entry = submission.documents[0]!;
  if (entry.content.kind !== 'unstructured') throw new Error('an unstructured document is needed');
  const body = buildProvideAndRegister({
    submission,
    documents: [{ entry, bytes: entry.content.bytes, contentId: 'doc1@hospital' }],
    signature: {
      entryUUID: `urn:uuid:${randomIds.uuid()}`,
      uniqueId: freshOid(),
      bytes: Buffer.from('<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>'),
      contentId: 'sig@hospital',
      creationTime: new Date().toISOString(),
    },
  });
  const patched = setMimeType(body, entry.entryUUID, entry.content.mediaType) as XmlElement;
  const messageId = newMessageId();
  const rootXml = serialize(buildSoapEnvelope({ action: SOAP_ACTION.iti41, messageId, body: patched }), {
    declaration: true,
  });
  const parts = [
    { contentId: 'doc1@hospital', contentType: entry.content.mediaType, bytes: entry.content.bytes },
    {
      contentId: 'sig@hospital',
      contentType: 'text/xml',
      bytes: Buffer.from('<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>'),
    },
  ];
  return { ...writeMtom({ rootXml, action: SOAP_ACTION.iti41, parts }), messageId };
}

/** The bytes of the CDA the deposit carries for its first document. */
export function cdaOf(submission: Submission): Uint8Array {
  return documentBytes(submission, submission.documents[0]!);
}

/** `xml` (a corpus body, as text) in a SOAP 1.2 envelope with the ITI-41 action and a MessageID. */
export function soapWrap(xml: string, messageId = newMessageId()): string {
  const header = el(
    'soap:Header',
    {},
    el('wsa:Action', {}, SOAP_ACTION.iti41),
    el('wsa:MessageID', {}, messageId),
  );
  return serialize(
    el(
      'soap:Envelope',
      { 'xmlns:soap': NS.soap12, 'xmlns:wsa': NS.wsa },
      header,
      el('soap:Body', {}, signedFragment(xml)),
    ),
  );
}

/** What the recipient answered: its SOAP envelope, and the RegistryResponse when there is one. */
export interface Answer {
  readonly status: number;
  readonly envelope?: SoapEnvelope;
  readonly result?: RegistryResult;
}

export function answerOf(reply: { status: number; contentType: string; body: Buffer }): Answer {
  const envelope = soapEnvelopeOf(reply);
  const body = envelope && !envelope.fault ? bodyXml(envelope) : undefined;
  return { status: reply.status, envelope, ...(body ? { result: parseRegistryResponse(body) } : {}) };
}

/** The XDS error codes of an answer, sorted and without repetition. */
export function codesOf(answer: Answer): string[] {
  return [...new Set(answer.result?.errors.map((e) => e.errorCode) ?? [])].sort();
}
