/**
 * Test helpers around a built deposit: a signing key from a fresh dev PKI,
 * and the XOP-decoded ITI-41 body (xop:Include replaced by the base64 of its
 * part, as XOP defines the infoset) for validation against the XDS schema.
 */
import { subjectDn } from '../../src/config/signing-key.ts';
import type { Deposit } from '../../src/deposit/build-deposit.ts';
import { generateDevPki } from '../../src/pki/dev-pki.ts';
import type { SigningKey } from '../../src/signature/signer.ts';
import { contentIdFromHref } from '../../src/soap/mtom.ts';

export interface TestSigner {
  readonly signingKey: SigningKey;
  readonly signerDn: string;
  readonly caPem: string;
}

export async function testSigner(digest: 'sha256' | 'sha1' = 'sha256'): Promise<TestSigner> {
  const pki = await generateDevPki();
  return {
    signingKey: { keyPem: pki.signing.keyPem, certPem: pki.signing.certPem, digest },
    signerDn: subjectDn(pki.signing.certPem),
    caPem: pki.ca.certPem,
  };
}

/** Replaces each `<xop:Include href="cid:..."/>` by the base64 of the part it names. */
export function inlineXop(xml: string, parts: ReadonlyMap<string, Uint8Array>): string {
  return xml.replace(/<xop:Include\b[^>]*\bhref="([^"]+)"[^>]*\/>/g, (_m, href: string) => {
    const bytes = parts.get(contentIdFromHref(href));
    if (!bytes) throw new Error(`xop:Include ${href} names no part`);
    return Buffer.from(bytes).toString('base64');
  });
}

export function partsById(deposit: Deposit): Map<string, Uint8Array> {
  return new Map(deposit.parts.map((p) => [p.contentId, p.bytes]));
}
