import { createPrivateKey, X509Certificate as NodeCertificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/catalogue.ts';
import { type DevPki, devPkiPaths, ensureDevPki, generateDevPki, issueCertificate } from './dev-pki.ts';
import { x509 } from './x509.ts';

let pki: DevPki;
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dev-pki-'));
  dirs.push(dir);
  return dir;
}

beforeAll(async () => {
  pki = await generateDevPki({
    establishmentName: 'CH de Test, Site Nord',
    finess: '123456789',
    softwareName: 'gw-test',
  });
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('generateDevPki', () => {
  it('issues every certificate from the CA', () => {
    const ca = new NodeCertificate(pki.ca.certPem);
    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    for (const pair of [pki.signing, pki.tlsClient, pki.tlsServer]) {
      const cert = new NodeCertificate(pair.certPem);
      expect(cert.checkIssued(ca)).toBe(true);
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.ca).toBe(false);
    }
  });

  it('pairs each certificate with its private key', () => {
    for (const pair of [pki.ca, pki.signing, pki.tlsClient, pki.tlsServer]) {
      expect(new NodeCertificate(pair.certPem).checkPrivateKey(createPrivateKey(pair.keyPem))).toBe(true);
    }
  });

  it('gives the signing certificate the ORG SIGN subject and usages', async () => {
    const cert = new x509.X509Certificate(pki.signing.certPem);
    expect(cert.subject).toContain('CN=gw-test');
    expect(cert.subject).toContain('OU=123456789');
    expect(cert.subjectName.getField('O')).toEqual(['CH de Test, Site Nord']);
    const usage = cert.getExtension(x509.KeyUsagesExtension);
    expect(usage?.usages).toBe(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation);
    expect(await cert.verify({ publicKey: new x509.X509Certificate(pki.ca.certPem).publicKey })).toBe(true);
  });

  it('gives the TLS certificates their extended key usages and the server its SANs', () => {
    const client = new x509.X509Certificate(pki.tlsClient.certPem);
    expect(client.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([
      x509.ExtendedKeyUsage.clientAuth,
    ]);
    const server = new NodeCertificate(pki.tlsServer.certPem);
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkIP('::1')).toBe('::1');
    expect(server.checkHost('example.org')).toBeUndefined();
    const eku = new x509.X509Certificate(pki.tlsServer.certPem).getExtension(x509.ExtendedKeyUsageExtension);
    expect(eku?.usages).toEqual([x509.ExtendedKeyUsage.serverAuth]);
  });

  it('lets tests make an untrusted CA whose certificates do not chain to the dev CA', async () => {
    const other = await issueCertificate(undefined, { usage: 'ca', subject: [{ CN: ['Other CA'] }] });
    const foreign = await issueCertificate(other, { usage: 'signing', subject: [{ CN: ['intruder'] }] });
    const cert = new NodeCertificate(foreign.certPem);
    expect(cert.verify(new NodeCertificate(other.certPem).publicKey)).toBe(true);
    expect(cert.verify(new NodeCertificate(pki.ca.certPem).publicKey)).toBe(false);
  });
});

describe('ensureDevPki', () => {
  it('writes the PKI once, keys private, and never overwrites it', async () => {
    const dir = join(tempDir(), 'pki');
    const paths = await ensureDevPki(dir, { days: 30 });
    expect(paths).toEqual(devPkiPaths(dir));
    expect(statSync(paths.signing.keyPath).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const before = readFileSync(paths.signing.certPath, 'utf8');
    const again = await ensureDevPki(dir, { days: 30 });
    expect(again).toEqual(paths);
    expect(readFileSync(paths.signing.certPath, 'utf8')).toBe(before);
    const signing = new NodeCertificate(before);
    expect(signing.verify(new NodeCertificate(readFileSync(paths.ca.certPath, 'utf8')).publicKey)).toBe(true);
  });

  it('refuses a directory holding only part of a PKI', async () => {
    const dir = tempDir();
    writeFileSync(devPkiPaths(dir).ca.certPath, 'x');
    await expect(ensureDevPki(dir)).rejects.toBeInstanceOf(GatewayError);
    expect(readFileSync(devPkiPaths(dir).ca.certPath, 'utf8')).toBe('x');
  });
});
