/**
 * The one XML-DSig wrapper (over xml-crypto 6). Everything the gateway signs
 * (the VIHF assertion, the XAdES submission-set signature) goes through
 * {@link signEnveloped} or {@link signEnveloping}; everything it verifies
 * through {@link verifySignature}, which trusts only the pinned certificate
 * and hands back the canonical signed fragments, the only XML a caller may
 * read data from (W3C XMLDSig Core 1.1 §3.2, §8.1.3; DOMAIN.md §2, §5).
 */
import type { Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { DSIG, NS } from '../model/vocabulary.ts';
import { serialize, type XmlElement } from '../xml/tree.ts';
import { readCertificate } from './certificate.ts';
import { byName, children, hasComment, idValues, parseDom, signatureFailure } from './dom.ts';

/** A signing key: PEM private key, its PEM certificate, and the digest profile. */
export interface SigningKey {
  readonly keyPem: string;
  readonly certPem: string;
  /** `sha256`: RSA-SHA256 + SHA-256 (ANS); `sha1`: RSA-SHA1 + SHA-1 (older GIE profile). */
  readonly digest: 'sha256' | 'sha1';
}

/** Signature and digest algorithm URIs of each digest profile. */
export const ALGORITHMS = {
  sha256: { signature: DSIG.rsaSha256, digest: DSIG.sha256 },
  sha1: { signature: DSIG.rsaSha1, digest: DSIG.sha1 },
} as const;

export interface InsertLocation {
  /** XPath of the anchor node; use `local-name()` tests (no prefixes are bound). */
  readonly xpath: string;
  readonly action: 'after' | 'prepend' | 'append' | 'before';
}

export interface SignedReference {
  /** The referenced id (the Reference URI without `#`). */
  readonly id: string;
  /** Canonical XML of the referenced element, as signed. */
  readonly xml: string;
}

export interface VerifyOptions {
  /** The pinned signing certificate (PEM): the only key trusted. */
  readonly certPem: string;
  /** Name of the ID attribute the references point at (`ID` for SAML, `Id` for XAdES). */
  readonly idAttribute: string;
  /** When given, the references must be exactly these ids. */
  readonly expectedReferenceIds?: readonly string[];
}

export interface VerifiedSignature {
  /** The signed elements in SignedInfo order. Read data from these only. */
  readonly references: readonly SignedReference[];
}

const XML_ID = /^[A-Za-z_][\w.-]*$/;
const DEFAULT_ID_ATTRIBUTES = new Set(['Id', 'ID', 'id']);
const ALLOWED_SIGNATURE_METHODS = new Set<string>([DSIG.rsaSha256, DSIG.rsaSha1]);
const ALLOWED_DIGESTS = new Set<string>([DSIG.sha256, DSIG.sha1]);
const ALLOWED_TRANSFORMS = new Set<string>([DSIG.envelopedSignature, DSIG.excC14n]);

function assertXmlId(id: string): void {
  if (!XML_ID.test(id)) throw new Error('an XML ID must be an NCName (letters, digits, _ . -)');
}

function idXPath(idAttribute: string, id: string): string {
  return `//*[@*[local-name(.)='${idAttribute}']='${id}']`;
}

function newSigner(key: SigningKey, idAttribute: string, objects?: { content: string }[]): SignedXml {
  return new SignedXml({
    privateKey: key.keyPem,
    publicCert: key.certPem,
    signatureAlgorithm: ALGORITHMS[key.digest].signature,
    canonicalizationAlgorithm: DSIG.excC14n,
    idAttribute,
    objects,
  });
}

/**
 * Signs the element whose `idAttribute` equals `referenceId` with an
 * enveloped signature (enveloped-signature + exclusive c14n transforms,
 * `Reference URI="#id"`, certificate in KeyInfo/X509Data) placed at `insert`.
 */
export function signEnveloped(
  xml: string,
  opts: { key: SigningKey; referenceId: string; idAttribute: string; insert: InsertLocation },
): string {
  assertXmlId(opts.referenceId);
  assertXmlId(opts.idAttribute);
  const sig = newSigner(opts.key, opts.idAttribute);
  sig.addReference({
    xpath: idXPath(opts.idAttribute, opts.referenceId),
    transforms: [DSIG.envelopedSignature, DSIG.excC14n],
    digestAlgorithm: ALGORITHMS[opts.key.digest].digest,
  });
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: opts.insert.xpath, action: opts.insert.action },
  });
  return sig.getSignedXml();
}

/**
 * Builds an enveloping `ds:Signature` (Id = `signatureId`) whose `ds:Object`s
 * hold `objects` and whose SignedInfo references the elements (inside those
 * objects) with the given `Id`s, each with exclusive c14n and its `Type`.
 * Returns the signature element as a standalone document.
 */
export function signEnveloping(opts: {
  key: SigningKey;
  signatureId: string;
  objects: readonly XmlElement[];
  references: readonly { id: string; type?: string }[];
}): string {
  assertXmlId(opts.signatureId);
  const sig = newSigner(
    opts.key,
    'Id',
    opts.objects.map((o) => ({ content: serialize(o) })),
  );
  for (const ref of opts.references) {
    assertXmlId(ref.id);
    sig.addReference({
      xpath: idXPath('Id', ref.id),
      transforms: [DSIG.excC14n],
      digestAlgorithm: ALGORITHMS[opts.key.digest].digest,
      type: ref.type,
    });
  }
  sig.computeSignature('<enveloping/>', { prefix: 'ds', attrs: { Id: opts.signatureId } });
  return `<?xml version="1.0" encoding="UTF-8"?>${sig.getSignatureXml()}`;
}

function checkStructure(xml: string, opts: VerifyOptions): Element {
  const doc = parseDom(xml);
  const signatures = byName(doc, NS.ds, 'Signature');
  if (signatures.length !== 1) {
    signatureFailure('/', `exactly one ds:Signature is expected, found ${signatures.length}`);
  }
  const signature = signatures[0]!;
  const ids = idValues(doc, new Set([opts.idAttribute, ...DEFAULT_ID_ATTRIBUTES]));
  if (new Set(ids).size !== ids.length) {
    signatureFailure('/', 'the document holds several elements with the same ID (signature wrapping)');
  }
  if (hasComment(signature))
    signatureFailure('ds:Signature', 'comments are not accepted inside ds:Signature');
  const pinned = readCertificate(opts.certPem).base64;
  for (const c of byName(signature, NS.ds, 'X509Certificate')) {
    if ((c.textContent ?? '').replace(/\s+/g, '') !== pinned) {
      signatureFailure(
        'ds:Signature/ds:KeyInfo',
        'the KeyInfo certificate is not the expected signing certificate',
      );
    }
  }
  const signedInfo = children(signature, NS.ds, 'SignedInfo');
  if (signedInfo.length !== 1)
    signatureFailure('ds:Signature/ds:SignedInfo', 'exactly one SignedInfo is expected');
  checkAlgorithms(signedInfo[0]!);
  const referenceIds = children(signedInfo[0]!, NS.ds, 'Reference').map((r, i) => {
    const uri = r.getAttribute('URI') ?? '';
    if (!uri.startsWith('#') || uri.length < 2) {
      signatureFailure(
        `ds:SignedInfo/ds:Reference[${i + 1}]`,
        'only same-document "#id" references are accepted',
      );
    }
    return uri.slice(1);
  });
  const expected = opts.expectedReferenceIds;
  if (expected) {
    const same = referenceIds.length === expected.length && expected.every((id) => referenceIds.includes(id));
    if (!same)
      signatureFailure('ds:SignedInfo', 'the signature does not reference exactly the expected elements');
  }
  return signature;
}

function checkAlgorithms(signedInfo: Element): void {
  const algorithm = (e: Element | undefined) => e?.getAttribute('Algorithm') ?? '';
  if (algorithm(children(signedInfo, NS.ds, 'CanonicalizationMethod')[0]) !== DSIG.excC14n) {
    signatureFailure('ds:SignedInfo/ds:CanonicalizationMethod', 'only exclusive c14n is accepted');
  }
  if (!ALLOWED_SIGNATURE_METHODS.has(algorithm(children(signedInfo, NS.ds, 'SignatureMethod')[0]))) {
    signatureFailure('ds:SignedInfo/ds:SignatureMethod', 'signature algorithm not accepted');
  }
  for (const ref of children(signedInfo, NS.ds, 'Reference')) {
    if (!ALLOWED_DIGESTS.has(algorithm(children(ref, NS.ds, 'DigestMethod')[0]))) {
      signatureFailure('ds:SignedInfo/ds:Reference', 'digest algorithm not accepted');
    }
    for (const t of byName(ref, NS.ds, 'Transform')) {
      if (!ALLOWED_TRANSFORMS.has(algorithm(t)))
        signatureFailure('ds:Reference/ds:Transforms', 'transform not accepted');
    }
  }
}

/**
 * Verifies the only `ds:Signature` of `xml` with the pinned certificate
 * (never the KeyInfo one), after structural checks: one signature, no
 * duplicate IDs, no comment inside the signature, KeyInfo certificate (if
 * any) equal to the pinned one, allowed algorithms, `#id` references only,
 * and exactly `expectedReferenceIds` when given. Throws SIGNATURE_INVALID.
 */
export function verifySignature(xml: string, opts: VerifyOptions): VerifiedSignature {
  const signature = checkStructure(xml, opts);
  const sig = new SignedXml({
    publicCert: opts.certPem,
    // xml-crypto always looks at Id/ID/id; naming one of them again makes it count each element twice.
    idAttribute: DEFAULT_ID_ATTRIBUTES.has(opts.idAttribute) ? undefined : opts.idAttribute,
    getCertFromKeyInfo: () => null,
  });
  let valid = false;
  try {
    sig.loadSignature(signature as unknown as Parameters<SignedXml['loadSignature']>[0]);
    valid = sig.checkSignature(xml);
  } catch {
    valid = false;
  }
  if (!valid) signatureFailure('ds:Signature', 'a reference digest or the signature value does not verify');
  const references = sig
    .getReferences()
    .map((ref) => ({ id: ref.uri.slice(1), xml: ref.signedReference ?? '' }));
  if (references.some((r) => r.xml === '')) signatureFailure('ds:Signature', 'a reference was not verified');
  return { references };
}
