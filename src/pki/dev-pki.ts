/**
 * Development PKI: one CA ("DMP Gateway Dev CA") issuing the three kinds of
 * certificates an establishment holds for the DMP (DOMAIN.md §1, §2, §5):
 * the "ORG SIGN" signing certificate (VIHF, XAdES), the "ORG AUTH_CLI" TLS
 * client certificate, and a TLS server certificate for the sandbox DMP.
 * RSA 2048 keys, SHA-256 signatures. For development and tests only: real
 * deployments use IGC-Santé certificates, and nothing generated here is committed.
 */
import { webcrypto } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GatewayError } from '../errors/catalogue.ts';
import { x509 } from './x509.ts';

/** A certificate and its private key, both PEM (PKCS#8 key). */
export interface PemPair {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface DevPki {
  readonly ca: PemPair;
  readonly signing: PemPair;
  readonly tlsClient: PemPair;
  readonly tlsServer: PemPair;
}

export interface DevPkiOptions {
  readonly establishmentName?: string;
  /** FINESS of the geographic site (9 characters). */
  readonly finess?: string;
  readonly softwareName?: string;
  /** Validity of every certificate, in days (default 365). */
  readonly days?: number;
}

/** The usages a certificate can be issued for. */
export type CertificateUsage = 'ca' | 'signing' | 'tlsClient' | 'tlsServer';

export interface IssueOptions {
  readonly usage: CertificateUsage;
  /** Subject relative distinguished names, in order (e.g. `[{ CN: ['x'] }, { O: ['y'] }]`). */
  readonly subject: x509.JsonName;
  readonly days?: number;
  /** Subject alternative names of a TLS server certificate. */
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  /** Start of validity (default: now). */
  readonly notBefore?: Date;
}

const RSA: webcrypto.RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};

const DAY_MS = 86_400_000;

function pem(der: ArrayBuffer, label: string): string {
  return x509.PemConverter.encode(der, label);
}

async function importPrivateKey(keyPem: string) {
  const der = x509.PemConverter.decodeFirst(keyPem);
  return webcrypto.subtle.importKey('pkcs8', der, { name: RSA.name, hash: RSA.hash }, false, ['sign']);
}

function extensionsFor(opts: IssueOptions): x509.Extension[] {
  const { KeyUsageFlags: K, ExtendedKeyUsage: E } = x509;
  switch (opts.usage) {
    case 'ca':
      return [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(K.keyCertSign | K.cRLSign, true),
      ];
    case 'signing':
      return [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(K.digitalSignature | K.nonRepudiation, true),
      ];
    case 'tlsClient':
      return [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(K.digitalSignature | K.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([E.clientAuth], false),
      ];
    case 'tlsServer':
      return [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(K.digitalSignature | K.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([E.serverAuth], false),
        new x509.SubjectAlternativeNameExtension([
          ...(opts.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
          ...(opts.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
        ]),
      ];
    default: {
      const never: never = opts.usage;
      throw new Error(`unknown certificate usage ${String(never)}`);
    }
  }
}

/** A name whose values are taken literally (the string form would unescape quotes and backslashes). */
function literalName(rdns: x509.JsonName): x509.Name {
  return new x509.Name(
    rdns.map((rdn) =>
      Object.fromEntries(
        Object.entries(rdn).map(([type, values]) => [
          type,
          values.map((v) => (x509.Name.isPrintableString(v) ? { printableString: v } : { utf8String: v })),
        ]),
      ),
    ),
  );
}

/**
 * Issues a certificate for `opts.usage` with a fresh RSA 2048 key. With
 * `ca` undefined the certificate is self-signed (a root CA: use `usage: 'ca'`).
 */
export async function issueCertificate(ca: PemPair | undefined, opts: IssueOptions): Promise<PemPair> {
  const keys = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
  const notBefore = opts.notBefore ?? new Date();
  const subject = literalName(opts.subject);
  const issuerCert = ca ? new x509.X509Certificate(ca.certPem) : undefined;
  const signingKey = ca ? await importPrivateKey(ca.keyPem) : keys.privateKey;
  const extensions = extensionsFor(opts);
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey));
  if (issuerCert) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuerCert.publicKey));
  const cert = await x509.X509CertificateGenerator.create({
    subject,
    issuer: issuerCert ? issuerCert.subjectName : subject,
    notBefore,
    notAfter: new Date(notBefore.getTime() + (opts.days ?? 365) * DAY_MS),
    signingAlgorithm: {
      name: RSA.name,
      hash: RSA.hash,
    } as unknown as x509.X509CertificateCreateParams['signingAlgorithm'],
    publicKey: keys.publicKey,
    signingKey,
    extensions,
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certPem: cert.toString('pem'), keyPem: pem(pkcs8, 'PRIVATE KEY') };
}

/** Generates the CA and the signing, TLS client and TLS server certificates it issues. */
export async function generateDevPki(opts: DevPkiOptions = {}): Promise<DevPki> {
  const establishment = opts.establishmentName ?? 'Etablissement de developpement';
  const finess = opts.finess ?? '000000000';
  const software = opts.softwareName ?? 'dmp-gateway';
  const days = opts.days ?? 365;
  const org: x509.JsonName = [{ C: ['FR'] }, { O: [establishment] }, { OU: [finess] }];
  const ca = await issueCertificate(undefined, {
    usage: 'ca',
    subject: [{ C: ['FR'] }, { CN: ['DMP Gateway Dev CA'] }],
    days,
  });
  const [signing, tlsClient, tlsServer] = await Promise.all([
    issueCertificate(ca, { usage: 'signing', subject: [...org, { CN: [software] }], days }),
    issueCertificate(ca, { usage: 'tlsClient', subject: [...org, { CN: [`${software} client`] }], days }),
    issueCertificate(ca, {
      usage: 'tlsServer',
      subject: [{ C: ['FR'] }, { CN: ['localhost'] }],
      days,
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1', '::1'],
    }),
  ]);
  return { ca, signing, tlsClient, tlsServer };
}

/** Where one certificate and its key are stored. */
export interface PemPaths {
  readonly certPath: string;
  readonly keyPath: string;
}

export interface DevPkiPaths {
  readonly dir: string;
  readonly ca: PemPaths;
  readonly signing: PemPaths;
  readonly tlsClient: PemPaths;
  readonly tlsServer: PemPaths;
}

const FILE_STEMS = {
  ca: 'ca',
  signing: 'signing',
  tlsClient: 'tls-client',
  tlsServer: 'tls-server',
} as const;
const KINDS = ['ca', 'signing', 'tlsClient', 'tlsServer'] as const;

/** The file names of a development PKI stored in `dir`. */
export function devPkiPaths(dir: string): DevPkiPaths {
  const at = (stem: string): PemPaths => ({
    certPath: join(dir, `${stem}.cert.pem`),
    keyPath: join(dir, `${stem}.key.pem`),
  });
  return {
    dir,
    ca: at(FILE_STEMS.ca),
    signing: at(FILE_STEMS.signing),
    tlsClient: at(FILE_STEMS.tlsClient),
    tlsServer: at(FILE_STEMS.tlsServer),
  };
}

/**
 * Makes sure `dir` holds a development PKI and returns its paths. When every
 * file is present nothing is touched; when none is, a PKI is generated and
 * written (directory 0700, keys 0600, never overwriting a file); a partial
 * set is a CONFIG_INVALID error, since mixing two PKIs would break the chain.
 */
export async function ensureDevPki(dir: string, opts: DevPkiOptions = {}): Promise<DevPkiPaths> {
  const paths = devPkiPaths(dir);
  const files = KINDS.flatMap((k) => [paths[k].certPath, paths[k].keyPath]);
  const present = files.filter((f) => existsSync(f)).length;
  if (present === files.length) return paths;
  if (present > 0) {
    throw new GatewayError('CONFIG_INVALID', [
      {
        code: 'CONFIG_INVALID',
        path: dir,
        message: `incomplete development PKI (${present} of ${files.length} files); remove the directory to regenerate it`,
      },
    ]);
  }
  const pki = await generateDevPki(opts);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const kind of KINDS) {
    await writeFile(paths[kind].certPath, pki[kind].certPem, { flag: 'wx', mode: 0o644 });
    await writeFile(paths[kind].keyPath, pki[kind].keyPem, { flag: 'wx', mode: 0o600 });
  }
  return paths;
}
