/**
 * The establishment's signing key (ORG SIGN): PEM files named by
 * DMP_SIGN_KEY / DMP_SIGN_CERT or the configuration; without them, the
 * development PKI (generated on first use in `devPkiDir`, never committed).
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GatewayError } from '../errors/catalogue.ts';
import { ensureDevPki } from '../pki/dev-pki.ts';
import type { SigningKey } from '../signature/signer.ts';
import type { Config } from './schema.ts';

export interface LoadedSigningKey {
  readonly key: SigningKey;
  /** Subject DN of the certificate (VIHF Issuer), RFC 2253 order. */
  readonly subjectDn: string;
  /** Whether this is the generated development key. */
  readonly development: boolean;
}

/** RFC 2253 form of a node:crypto subject (`CN=..,O=..`, most specific first). */
export function subjectDn(certPem: string): string {
  const lines = new X509Certificate(certPem).subject.split('\n').filter(Boolean);
  return lines
    .reverse()
    .map((l) => l.replace(/([,+"\\<>;])/g, '\\$1'))
    .join(',');
}

function read(path: string, setting: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new GatewayError('CONFIG_INVALID', [
      {
        code: 'CONFIG_INVALID',
        path: setting,
        message: `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
      },
    ]);
  }
}

export async function loadSigningKey(
  config: Pick<Config, 'signing' | 'devPkiDir' | 'establishment' | 'software'>,
): Promise<LoadedSigningKey> {
  const { keyFile, certFile, digest } = config.signing;
  if (keyFile || certFile) {
    if (!keyFile || !certFile) {
      throw new GatewayError('CONFIG_INVALID', [
        {
          code: 'CONFIG_INVALID',
          path: keyFile ? 'signing.certFile' : 'signing.keyFile',
          message: 'the signing key and certificate go together (DMP_SIGN_KEY, DMP_SIGN_CERT)',
        },
      ]);
    }
    const certPem = read(certFile, 'signing.certFile');
    return {
      key: { keyPem: read(keyFile, 'signing.keyFile'), certPem, digest },
      subjectDn: subjectDn(certPem),
      development: false,
    };
  }
  const paths = await ensureDevPki(config.devPkiDir, {
    establishmentName: config.establishment.name,
    finess: config.establishment.finess,
    softwareName: config.software.name,
  });
  const certPem = readFileSync(paths.signing.certPath, 'utf8');
  return {
    key: { keyPem: readFileSync(paths.signing.keyPath, 'utf8'), certPem, digest },
    subjectDn: subjectDn(certPem),
    development: true,
  };
}
