/**
 * The translation core end to end: canonical submission → ITI-41 deposit,
 * checked against the official schemas, with both signatures verified with
 * the certificate and the MTOM request read back from its bytes.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDeposit, type Deposit } from '../../src/deposit/build-deposit.ts';
import { cdaToSubmission } from '../../src/inbound/cda/cda-document.ts';
import { documentReferenceToSubmission } from '../../src/inbound/fhir/document-reference.ts';
import type { Submission } from '../../src/model/types.ts';
import { verifySignature } from '../../src/signature/signer.ts';
import { readVihfAttributes } from '../../src/signature/vihf.ts';
import { verifySignatureDocument } from '../../src/signature/xades.ts';
import { readSoapEnvelope, standaloneXml } from '../../src/soap/envelope.ts';
import { readMtom } from '../../src/soap/mtom.ts';
import { readProvideAndRegister } from '../../src/xds/ebrim-reader.ts';
import { FIXED_NOW, sequentialIds, testConfig } from '../support/context.ts';
import { inlineXop, partsById, type TestSigner, testSigner } from '../support/deposit.ts';
import { CORPUS, corpusFile, SCHEMA, xsdErrors } from '../support/xsd.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/fhir/${name}`, import.meta.url), 'utf8'));
let signer: TestSigner;

beforeAll(async () => {
  signer = await testSigner();
});

function deposit(submission: Submission): Deposit {
  return buildDeposit(submission, { config: testConfig, ids: sequentialIds(), now: FIXED_NOW, ...signer });
}

function fromFhir(
  name: string,
  predecessor?: Parameters<typeof documentReferenceToSubmission>[1]['predecessor'],
): Submission {
  return documentReferenceToSubmission(fixture(name), {
    config: testConfig,
    ids: sequentialIds(),
    now: FIXED_NOW,
    predecessor,
  });
}

/** Every check a DMP would make on the request bytes; returns the ebRIM body read back. */
function checkDeposit(d: Deposit) {
  // The HTTP request reads back into the same parts.
  const mtom = readMtom(d.http.contentType, d.http.body);
  expect(mtom.root.bytes.toString('utf8')).toBe(d.envelope);
  for (const part of d.parts)
    expect(Buffer.compare(mtom.parts.get(part.contentId)!.bytes, Buffer.from(part.bytes))).toBe(0);
  expect(d.envelope).not.toMatch(/JVBERi0|<ClinicalDocument/); // documents travel as binary parts only

  const envelope = readSoapEnvelope(d.envelope);
  // The SOAP schema processes header blocks laxly, but the VIHF's xsi:type="CE" (HL7 v3) needs a schema the
  // corpus does not ship: validate the envelope without the assertion; the assertion is checked by its signature.
  const withoutVihf = d.envelope.replace(envelope.security[0]!.xml, '');
  expect(xsdErrors(withoutVihf, SCHEMA.soap12)).toEqual([]);
  expect(envelope.action).toBe('urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b');
  const body = inlineXop(standaloneXml(envelope.body!), partsById(d));
  expect(xsdErrors(body, SCHEMA.xdsRepository)).toEqual([]);

  // VIHF: verified with the pinned certificate only.
  const assertion = standaloneXml(envelope.security[0]!);
  const verified = verifySignature(assertion, { certPem: signer.signingKey.certPem, idAttribute: 'ID' });
  const attributes = readVihfAttributes(verified.references[0]!.xml);
  expect(attributes.Authentification_Mode).toEqual(['INDIRECTE']);
  expect(attributes.Identifiant_Structure).toEqual([`1${testConfig.establishment.finess}`]);

  const ebrim = readProvideAndRegister(body);
  return { ebrim, attributes };
}

describe('deposit of a FHIR DocumentReference (N1 wrap)', () => {
  it('PDF: valid SOAP, ebRIM and CDA; signatures verify; hash and size are those of the CDA part', () => {
    const submission = fromFhir('documentreference-pdf.json');
    const d = deposit(submission);
    const { attributes } = checkDeposit(d);
    expect(attributes['urn:oasis:names:tc:xacml:2.0:resource:resource-id']).toEqual([
      '279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH',
    ]);

    const [cda, signature] = d.parts;
    expect(xsdErrors(cda!.bytes, SCHEMA.cda)).toEqual([]);
    const cdaText = Buffer.from(cda!.bytes).toString('utf8');
    expect(cdaText).toContain(
      readFileSync(new URL('../../fixtures/documents/compte-rendu.pdf', import.meta.url)).toString('base64'),
    );
    const hash = createHash('sha1').update(cda!.bytes).digest('hex');
    expect(d.envelope).toContain(`<rim:Value>${hash}</rim:Value>`);
    expect(d.envelope).toContain(`<rim:Value>${cda!.bytes.length}</rim:Value>`);

    const xades = verifySignatureDocument(Buffer.from(signature!.bytes).toString('utf8'), {
      certPem: signer.signingKey.certPem,
      documents: [{ uniqueId: '1.2.250.1.999.1.3.1001', bytes: cda!.bytes }],
    });
    expect(xades.submissionSetUniqueId).toBe(submission.uniqueId);
  });

  it('text with INVISIBLE_PATIENT: confidentiality N then the flag', () => {
    const d = deposit(fromFhir('documentreference-text.json'));
    checkDeposit(d);
    const confidentiality = [
      ...d.envelope.matchAll(
        /classificationScheme="urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f"[^>]*nodeRepresentation="([^"]+)"/g,
      ),
    ].map((m) => m[1]);
    // document entry, then signature entry (always N + MASQUE_PS + INVISIBLE_PATIENT)
    expect(confidentiality.slice(0, 2)).toEqual(['N', 'INVISIBLE_PATIENT']);
    expect(confidentiality.slice(2).sort()).toEqual(['INVISIBLE_PATIENT', 'MASQUE_PS', 'N']);
    expect(xsdErrors(d.parts[0]!.bytes, SCHEMA.cda)).toEqual([]);
  });

  it('replacement: RPLC association to the predecessor, CDA relatedDocument, next version', () => {
    const d = deposit(
      fromFhir('documentreference-replace.json', {
        setId: { root: '1.2.250.1.999.1.4.7' },
        versionNumber: 1,
      }),
    );
    const { ebrim } = checkDeposit(d);
    const rplc = ebrim.associations.find(
      (a) => a.associationType === 'urn:ihe:iti:2007:AssociationType:RPLC',
    );
    expect(rplc?.targetObject).toBe('urn:uuid:0b8e2c1a-6a53-4c0c-9d2e-5f1f8a6b2c01');
    const cda = Buffer.from(d.parts[0]!.bytes).toString('utf8');
    expect(cda).toMatch(
      /<relatedDocument typeCode="RPLC"><parentDocument><id root="1.2.250.1.999.1.3.1001"\/>/,
    );
    expect(cda).toContain('<versionNumber value="2"/>');
    expect(cda).toContain('<setId root="1.2.250.1.999.1.4.7"/>');
    expect(xsdErrors(cda, SCHEMA.cda)).toEqual([]);
  });
});

describe('deposit of the ready-made CDA documents of the corpus (passthrough)', () => {
  const files = (() => {
    try {
      return readdirSync(`${CORPUS}/cda`).filter((f) => f.endsWith('.xml'));
    } catch {
      return ['CONFORMANCE CORPUS MISSING'];
    }
  })();
  it('finds the eight corpus documents', () => expect(files).toHaveLength(8));
  it.each(files)('%s: deposited byte for byte with metadata from its header', (file) => {
    const bytes = readFileSync(corpusFile(`cda/${file}`));
    const submission = cdaToSubmission(bytes, {
      config: testConfig,
      ids: sequentialIds(),
      now: FIXED_NOW,
      identityStatus: 'VALI',
      replacesEntryUUID: 'urn:uuid:11111111-2222-4333-8444-555555555555',
    });
    const d = deposit(submission);
    checkDeposit(d);
    expect(Buffer.compare(Buffer.from(d.parts[0]!.bytes), bytes)).toBe(0);
    const doc = submission.documents[0]!;
    expect(d.envelope).toContain(`value="${doc.id.root}"`);
    expect(d.envelope).toContain(`nodeRepresentation="${doc.typeCode.code}"`);
  });
});
