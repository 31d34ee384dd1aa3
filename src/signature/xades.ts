/**
 * The signature document of a submission set (DOMAIN.md §2 item 3): an
 * IHE DSG "SubmissionSet Signature" (ITI TF-3 §5.5.3.1) in XAdES form
 * (ETSI TS 101 903 v1.3.2), as the DMP expects it (French specifics read
 * from DRIMbox's XadesSign: IHEManifest, purposeOfSignature property).
 *
 * One enveloping `ds:Signature` whose SignedInfo references:
 * - the `ds:Manifest` (Id `IHEManifest`): the SubmissionSet uniqueId with the
 *   DSG zero digest, then each document by `urn:oid:<uniqueId>` with the
 *   digest of its exact bytes;
 * - the `ds:SignatureProperties`: purposeOfSignature = ASTM E1762 "Source Signature";
 * - the `xades:SignedProperties`: SigningTime, SigningCertificate, implied
 *   policy, CommitmentTypeIndication (ITI TF-3 §5.5.2).
 */
import { GatewayError, type Issue } from '../errors/catalogue.ts';
import { DSG, DSIG, NS } from '../model/vocabulary.ts';
import { asArray, attr, parseXml, textOf, type XmlObject } from '../xml/parse.ts';
import { el, type XmlElement } from '../xml/tree.ts';
import { digestBase64, readCertificate } from './certificate.ts';
import { ALGORITHMS, type SigningKey, signEnveloping, verifySignature } from './signer.ts';

/** Ids of the signed parts inside the signature document. */
export const XADES_IDS = {
  manifest: 'IHEManifest',
  signatureProperties: 'SignatureProperties',
  signedProperties: 'SignedProperties',
} as const;

export interface SignedDocument {
  /** Document uniqueId (OID), referenced as `urn:oid:<uniqueId>`. */
  readonly uniqueId: string;
  /** The exact bytes deposited. */
  readonly bytes: Uint8Array;
}

export interface SignatureDocumentInput {
  readonly submissionSetUniqueId: string;
  readonly documents: readonly SignedDocument[];
  readonly signingTime: Date;
  /** Id of the `ds:Signature` element (an NCName). */
  readonly signatureId: string;
}

const OID = /^[0-2](\.(0|[1-9]\d*))+$/;

function reference(uri: string, digestAlgorithm: string, digestValue: string): XmlElement {
  return el(
    'ds:Reference',
    { URI: uri },
    el('ds:DigestMethod', { Algorithm: digestAlgorithm }),
    el('ds:DigestValue', {}, digestValue),
  );
}

function signedProperties(input: SignatureDocumentInput, key: SigningKey): XmlElement {
  const cert = readCertificate(key.certPem);
  return el(
    'xades:QualifyingProperties',
    { 'xmlns:xades': NS.xades, Target: `#${input.signatureId}` },
    el(
      'xades:SignedProperties',
      { Id: XADES_IDS.signedProperties },
      el(
        'xades:SignedSignatureProperties',
        {},
        el('xades:SigningTime', {}, input.signingTime.toISOString()),
        el(
          'xades:SigningCertificate',
          {},
          el(
            'xades:Cert',
            {},
            el(
              'xades:CertDigest',
              {},
              el('ds:DigestMethod', { Algorithm: ALGORITHMS[key.digest].digest }),
              el('ds:DigestValue', {}, digestBase64(key.digest, cert.der)),
            ),
            el(
              'xades:IssuerSerial',
              {},
              el('ds:X509IssuerName', {}, cert.issuer),
              el('ds:X509SerialNumber', {}, cert.serialNumber),
            ),
          ),
        ),
        el('xades:SignaturePolicyIdentifier', {}, el('xades:SignaturePolicyImplied')),
      ),
      el(
        'xades:SignedDataObjectProperties',
        {},
        el(
          'xades:CommitmentTypeIndication',
          {},
          el(
            'xades:CommitmentTypeId',
            {},
            el('xades:Identifier', { Qualifier: 'OIDAsURN' }, `urn:oid:${DSG.sourceSignature}`),
            el('xades:Description', {}, 'Source Signature'),
          ),
          el('xades:AllSignedDataObjects'),
        ),
      ),
    ),
  );
}

/**
 * Builds and signs the XAdES signature document of a submission set with the
 * establishment's signing key (digest profile `key.digest`). Returns the XML
 * document to deposit as the signature entry.
 */
export function buildSignatureDocument(input: SignatureDocumentInput, key: SigningKey): string {
  for (const oid of [input.submissionSetUniqueId, ...input.documents.map((d) => d.uniqueId)]) {
    if (!OID.test(oid)) throw new Error('submission set and document uniqueIds must be OIDs');
  }
  const digestAlgorithm = ALGORITHMS[key.digest].digest;
  const manifest = el(
    'ds:Manifest',
    { Id: XADES_IDS.manifest },
    reference(`urn:oid:${input.submissionSetUniqueId}`, digestAlgorithm, DSG.submissionSetDigest),
    input.documents.map((d) =>
      reference(`urn:oid:${d.uniqueId}`, digestAlgorithm, digestBase64(key.digest, d.bytes)),
    ),
  );
  const properties = el(
    'ds:SignatureProperties',
    { Id: XADES_IDS.signatureProperties },
    el(
      'ds:SignatureProperty',
      { Id: 'purposeOfSignature', Target: `#${input.signatureId}` },
      DSG.sourceSignature,
    ),
  );
  return signEnveloping({
    key,
    signatureId: input.signatureId,
    objects: [properties, manifest, signedProperties(input, key)],
    references: [
      { id: XADES_IDS.manifest, type: DSIG.manifestType },
      { id: XADES_IDS.signatureProperties },
      { id: XADES_IDS.signedProperties, type: DSIG.xadesSignedPropertiesType },
    ],
  });
}

export interface VerifiedSignatureDocument {
  readonly submissionSetUniqueId: string;
  /** Document uniqueIds in manifest order. */
  readonly documentUniqueIds: readonly string[];
}

const DIGEST_NAME: Readonly<Record<string, 'sha256' | 'sha1'>> = {
  [DSIG.sha256]: 'sha256',
  [DSIG.sha1]: 'sha1',
};

/** The object at `path` under `root` (empty when absent). */
function at(root: XmlObject, ...path: string[]): XmlObject {
  let node: unknown = root;
  for (const key of path) node = node && typeof node === 'object' ? (node as XmlObject)[key] : undefined;
  return node && typeof node === 'object' ? (node as XmlObject) : {};
}

function signedPart(fragments: readonly { id: string; xml: string }[], id: string): XmlObject {
  const xml = fragments.find((f) => f.id === id)?.xml ?? '';
  return parseXml(xml, { arrays: ['Reference'] });
}

const URN_OID = 'urn:oid:';

function oidOf(ref: XmlObject): string | undefined {
  const uri = attr(ref, 'URI') ?? '';
  return uri.startsWith(URN_OID) ? uri.slice(URN_OID.length) : undefined;
}

type Fail = (path: string, message: string) => void;

/** Checks the signed manifest against the given documents (ITI TF-3 §5.5.3.1, §5.5.5). */
function checkManifest(
  manifest: XmlObject,
  documents: readonly SignedDocument[],
  fail: Fail,
): VerifiedSignatureDocument {
  const refs = asArray(manifest.Reference as XmlObject[] | undefined);
  const submissionSets = refs.filter((r) => textOf(r.DigestValue) === DSG.submissionSetDigest);
  const submissionSetUniqueId = submissionSets.length === 1 ? oidOf(submissionSets[0]!) : undefined;
  if (submissionSetUniqueId === undefined)
    fail('ds:Manifest', 'exactly one submission set reference is expected');
  const byUniqueId = new Map(documents.map((d) => [d.uniqueId, d.bytes]));
  const documentUniqueIds: string[] = [];
  for (const [i, r] of refs.entries()) {
    if (submissionSets.includes(r)) continue;
    const path = `ds:Manifest/ds:Reference[${i + 1}]`;
    const uniqueId = oidOf(r) ?? '';
    const bytes = byUniqueId.get(uniqueId);
    const digest = DIGEST_NAME[attr(r.DigestMethod, 'Algorithm') ?? ''];
    if (!bytes || documentUniqueIds.includes(uniqueId)) {
      fail(path, 'the manifest names a document that was not given, or names it twice');
      continue;
    }
    documentUniqueIds.push(uniqueId);
    if (!digest) fail(path, 'digest algorithm not accepted');
    else if (digestBase64(digest, bytes) !== textOf(r.DigestValue))
      fail(path, 'the digest does not match the document bytes');
  }
  if (documentUniqueIds.length !== byUniqueId.size)
    fail('ds:Manifest', 'a given document is not in the signed manifest');
  return { submissionSetUniqueId: submissionSetUniqueId ?? '', documentUniqueIds };
}

/**
 * Verifies a signature document with the pinned certificate, then checks,
 * from the signed parts only, that the manifest names one submission set (the
 * zero digest) and exactly `documents`, each digest matching the given bytes,
 * and that the signed SigningCertificate is the pinned one. Throws SIGNATURE_INVALID.
 */
export function verifySignatureDocument(
  xml: string,
  opts: { certPem: string; documents: readonly SignedDocument[] },
): VerifiedSignatureDocument {
  const { references } = verifySignature(xml, {
    certPem: opts.certPem,
    idAttribute: 'Id',
    expectedReferenceIds: Object.values(XADES_IDS),
  });
  const issues: Issue[] = [];
  const fail: Fail = (path, message) => {
    issues.push({ code: 'SIGNATURE_INVALID', path, message });
  };
  const result = checkManifest(
    at(signedPart(references, XADES_IDS.manifest), 'Manifest'),
    opts.documents,
    fail,
  );
  const signed = at(
    signedPart(references, XADES_IDS.signedProperties),
    'SignedProperties',
    'SignedSignatureProperties',
  );
  const certDigest = at(signed, 'SigningCertificate', 'Cert', 'CertDigest');
  const certAlgorithm = DIGEST_NAME[attr(certDigest.DigestMethod, 'Algorithm') ?? ''];
  const der = readCertificate(opts.certPem).der;
  if (!certAlgorithm || digestBase64(certAlgorithm, der) !== textOf(certDigest.DigestValue)) {
    fail('xades:SigningCertificate', 'the signed signing certificate is not the pinned certificate');
  }
  if (issues.length > 0) throw new GatewayError('SIGNATURE_INVALID', issues);
  return result;
}
