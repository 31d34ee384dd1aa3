/**
 * Validation of generated XML against the official schemas of ../shared/corpus,
 * with libxml2's xmllint. Missing corpus or xmllint is a loud failure, never a skip.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CORPUS = resolve(import.meta.dirname, '../../../shared/corpus');

export const SCHEMA = {
  cda: join(CORPUS, 'schemas/cda-ans/CDA_extended.xsd'),
  xdsRepository: join(CORPUS, 'schemas/IHE/XDS.b_DocumentRepository.xsd'),
  soap12: join(CORPUS, 'schemas/w3/soap-1.2-envelope.xsd'),
} as const;

/** Path of a corpus file; throws a clear error when the shared corpus is absent. */
export function corpusFile(relative: string): string {
  requireCorpus();
  return join(CORPUS, relative);
}

export function requireCorpus(): void {
  if (!existsSync(CORPUS)) {
    throw new Error(
      `CONFORMANCE CORPUS MISSING: expected ../shared/corpus at ${CORPUS}. These tests need it and fail without it.`,
    );
  }
}

/** Validates `xml` against `schema`; returns xmllint's complaints (empty when valid). */
export function xsdErrors(xml: string | Uint8Array, schema: string): string[] {
  requireCorpus();
  const dir = mkdtempSync(join(tmpdir(), 'xsd-'));
  const file = join(dir, 'doc.xml');
  writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--nonet', '--noout', '--schema', schema, file], { stdio: 'pipe' });
    return [];
  } catch (err) {
    const e = err as { code?: string; stderr?: Buffer };
    if (e.code === 'ENOENT')
      throw new Error('xmllint is not installed (Debian package libxml2-utils); .ci/run installs it');
    return (e.stderr?.toString() ?? String(err)).split('\n').filter((l) => l && !l.endsWith('validates'));
  }
}
