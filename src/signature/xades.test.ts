import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/catalogue.ts';
import { type DevPki, generateDevPki, issueCertificate } from '../pki/dev-pki.ts';
import { parseXml } from '../xml/parse.ts';
import { readCertificate } from './certificate.ts';
import { type SigningKey, verifySignature } from './signer.ts';
import { buildSignatureDocument, type SignedDocument, verifySignatureDocument, XADES_IDS } from './xades.ts';

/** Parsed XML navigated freely in assertions. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions walk untyped parsed XML
type Parsed = Record<string, any>;

let pki: DevPki;
const signingTime = new Date('2024-05-02T10:20:30.000Z');
const SUBMISSION_SET = '1.2.250.1.999.1.1.20240502';
const documents: SignedDocument[] = [
  {
    uniqueId: '1.2.250.1.999.1.2.1',
    bytes: new TextEncoder().encode('<ClinicalDocument>one</ClinicalDocument>'),
  },
  { uniqueId: '1.2.250.1.999.1.2.2', bytes: new Uint8Array([0, 1, 2, 3, 250, 251]) },
];

function key(digest: SigningKey['digest'] = 'sha256'): SigningKey {
  return { keyPem: pki.signing.keyPem, certPem: pki.signing.certPem, digest };
}

function build(digest: SigningKey['digest'] = 'sha256', signingKey = key(digest)): string {
  return buildSignatureDocument(
    { submissionSetUniqueId: SUBMISSION_SET, documents, signingTime, signatureId: 'sig-1' },
    signingKey,
  );
}

function expectInvalid(run: () => unknown): GatewayError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).code).toBe('SIGNATURE_INVALID');
    return err as GatewayError;
  }
  throw new Error('the signature document verified');
}

beforeAll(async () => {
  pki = await generateDevPki({ establishmentName: 'CH Test', finess: '123456789', softwareName: 'gw-test' });
});

describe('buildSignatureDocument', () => {
  it.each(['sha256', 'sha1'] as const)(
    'verifies with the signing certificate and the documents (%s)',
    (digest) => {
      const xml = build(digest);
      expect(verifySignatureDocument(xml, { certPem: pki.signing.certPem, documents })).toEqual({
        submissionSetUniqueId: SUBMISSION_SET,
        documentUniqueIds: documents.map((d) => d.uniqueId),
      });
    },
  );

  it('is an enveloping signature over the manifest, purpose and signed properties', () => {
    const xml = build('sha1');
    const { references } = verifySignature(xml, { certPem: pki.signing.certPem, idAttribute: 'Id' });
    expect(references.map((r) => r.id)).toEqual([
      XADES_IDS.manifest,
      XADES_IDS.signatureProperties,
      XADES_IDS.signedProperties,
    ]);
    const doc = parseXml(xml, { arrays: ['Reference', 'Object'] }) as { Signature: Parsed };
    const signature = doc.Signature;
    expect(signature['@_Id']).toBe('sig-1');
    const signedInfo = signature.SignedInfo.Reference as Parsed[];
    expect(signedInfo.map((r) => r['@_Type'])).toEqual([
      'http://www.w3.org/2000/09/xmldsig#Manifest',
      undefined,
      'http://uri.etsi.org/01903#SignedProperties',
    ]);
    expect(signature.SignedInfo.SignatureMethod['@_Algorithm']).toBe(
      'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
    );
    expect(signedInfo[0]?.DigestMethod['@_Algorithm']).toBe('http://www.w3.org/2000/09/xmldsig#sha1');
  });

  it('lists the submission set with the DSG zero digest and each document with the digest of its bytes', () => {
    const doc = parseXml(build('sha256'), { arrays: ['Reference', 'Object'] }) as {
      Signature: Parsed;
    };
    const manifest = (doc.Signature.Object as Parsed[]).find((o) => o.Manifest)?.Manifest;
    expect(manifest['@_Id']).toBe('IHEManifest');
    const refs = manifest.Reference as Parsed[];
    expect(refs.map((r) => r['@_URI'])).toEqual([
      `urn:oid:${SUBMISSION_SET}`,
      ...documents.map((d) => `urn:oid:${d.uniqueId}`),
    ]);
    expect(refs[0]?.DigestValue).toBe('AA==');
    for (const [i, d] of documents.entries()) {
      expect(refs[i + 1]?.DigestValue).toBe(createHash('sha256').update(d.bytes).digest('base64'));
    }
  });

  it('carries the XAdES signed properties and the purpose of signature', () => {
    const doc = parseXml(build('sha256'), { arrays: ['Object'] }) as { Signature: Parsed };
    const objects = doc.Signature.Object as Parsed[];
    const purpose = objects.find((o) => o.SignatureProperties)?.SignatureProperties.SignatureProperty;
    expect(purpose).toMatchObject({ '@_Target': '#sig-1', '#text': '1.2.840.10065.1.12.1.14' });
    const qualifying = objects.find((o) => o.QualifyingProperties)?.QualifyingProperties;
    expect(qualifying['@_Target']).toBe('#sig-1');
    const props = qualifying.SignedProperties.SignedSignatureProperties;
    expect(props.SigningTime).toBe('2024-05-02T10:20:30.000Z');
    const cert = readCertificate(pki.signing.certPem);
    expect(props.SigningCertificate.Cert.IssuerSerial.X509SerialNumber).toBe(cert.serialNumber);
    expect(props.SigningCertificate.Cert.IssuerSerial.X509IssuerName).toBe(cert.issuer);
    expect(props.SigningCertificate.Cert.CertDigest.DigestValue).toBe(
      createHash('sha256').update(cert.der).digest('base64'),
    );
    const commitment = qualifying.SignedProperties.SignedDataObjectProperties.CommitmentTypeIndication;
    expect(commitment.CommitmentTypeId.Identifier['#text']).toBe('urn:oid:1.2.840.10065.1.12.1.14');
  });

  it('refuses uniqueIds that are not OIDs', () => {
    expect(() =>
      buildSignatureDocument(
        { submissionSetUniqueId: '1.2.3^ext', documents, signingTime, signatureId: 'sig-1' },
        key(),
      ),
    ).toThrow(/OID/);
  });
});

describe('verifySignatureDocument rejects', () => {
  const verify = (xml: string, docs = documents, certPem = pki.signing.certPem) =>
    verifySignatureDocument(xml, { certPem, documents: docs });

  it('a document changed by one byte', () => {
    const changed = documents.map((d, i) =>
      i === 1 ? { ...d, bytes: d.bytes.map((b, j) => (j === 0 ? b ^ 1 : b)) } : d,
    );
    const err = expectInvalid(() => verify(build(), changed));
    expect(err.issues.map((i) => i.path)).toEqual(['ds:Manifest/ds:Reference[3]']);
  });

  it('a document missing from, or added to, the manifest', () => {
    expectInvalid(() => verify(build(), documents.slice(0, 1)));
    expectInvalid(() => verify(build(), [...documents, { uniqueId: '1.2.3.4', bytes: new Uint8Array([1]) }]));
  });

  it('a changed manifest digest or signing time', () => {
    const xml = build();
    expectInvalid(() => verify(xml.replace('AA==', 'AQ==')));
    expectInvalid(() => verify(xml.replace('2024-05-02T10:20:30.000Z', '2024-05-03T10:20:30.000Z')));
  });

  it('a signature made by another key, even with the real certificate in KeyInfo', async () => {
    const other = await issueCertificate(undefined, { usage: 'ca', subject: [{ CN: ['Other CA'] }] });
    const intruder = await issueCertificate(other, { usage: 'signing', subject: [{ CN: ['gw-test'] }] });
    const forged = build('sha256', { ...intruder, digest: 'sha256' });
    expect(verify(forged, documents, intruder.certPem).submissionSetUniqueId).toBe(SUBMISSION_SET);
    expectInvalid(() => verify(forged));
    const realCert = readCertificate(pki.signing.certPem).base64;
    expectInvalid(() =>
      verify(forged.replace(/<ds:X509Certificate>[^<]*</, `<ds:X509Certificate>${realCert}<`)),
    );
  });
});
