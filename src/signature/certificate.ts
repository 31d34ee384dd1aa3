/**
 * What the signers need to know about an X.509 certificate: its DER bytes,
 * subject and issuer DNs (VIHF Issuer, XAdES IssuerSerial) and its decimal
 * serial number (XML-DSig `X509SerialNumber` is an integer).
 */
import { createHash } from 'node:crypto';
import { x509 } from '../pki/x509.ts';

export interface CertificateInfo {
  readonly der: Uint8Array;
  /** DER as base64, the content of `ds:X509Certificate`. */
  readonly base64: string;
  /** Subject DN as an RFC 4514 string (most specific RDN first: `CN=..,OU=..,O=..,C=FR`). */
  readonly subject: string;
  readonly issuer: string;
  /** Serial number in decimal [XMLDSig §4.4.4 X509SerialNumber]. */
  readonly serialNumber: string;
}

/** Parsed certificates by PEM: a gateway signs and a sandbox verifies with the same few certificates. */
const parsed = new Map<string, CertificateInfo>();
const CACHE_LIMIT = 64;

/** Parses one PEM certificate (memoised: the result is immutable). */
export function readCertificate(pem: string): CertificateInfo {
  const known = parsed.get(pem);
  if (known) return known;
  const info = parseCertificate(pem);
  if (parsed.size >= CACHE_LIMIT) parsed.delete(parsed.keys().next().value as string);
  parsed.set(pem, info);
  return info;
}

function parseCertificate(pem: string): CertificateInfo {
  const cert = new x509.X509Certificate(pem);
  const der = new Uint8Array(cert.rawData);
  return Object.freeze({
    der,
    base64: Buffer.from(der).toString('base64'),
    subject: rfc4514(cert.subjectName),
    issuer: rfc4514(cert.issuerName),
    serialNumber: BigInt(`0x${cert.serialNumber}`).toString(10),
  });
}

function escapeValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}

/** RFC 4514 string of a name: RDNs in reverse ASN.1 order, multi-valued RDNs joined by `+`. */
export function rfc4514(name: x509.Name): string {
  return name
    .toJSON()
    .reverse()
    .map((rdn) =>
      Object.entries(rdn)
        .flatMap(([type, values]) => values.map((v) => `${type}=${escapeValue(v)}`))
        .join('+'),
    )
    .join(',');
}

/** Base64 digest of `bytes` with `algorithm` (`sha256` or `sha1`). */
export function digestBase64(algorithm: 'sha256' | 'sha1', bytes: Uint8Array): string {
  return createHash(algorithm).update(bytes).digest('base64');
}
