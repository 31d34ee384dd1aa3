/**
 * `dmp-gateway translate` as a user runs it: a child process writing
 * iti41.xml, the MIME parts and submission.json; invalid input exits non-zero
 * and prints every problem with its path.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readSoapEnvelope, standaloneXml } from '../../src/soap/envelope.ts';
import { contentIdFromHref } from '../../src/soap/mtom.ts';
import { inlineXop } from '../support/deposit.ts';
import { corpusFile, SCHEMA, xsdErrors } from '../support/xsd.ts';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const cli = join(root, 'src/cli/main.ts');

async function translate(...args: string[]) {
  const out = mkdtempSync(join(tmpdir(), 'translate-'));
  const pki = mkdtempSync(join(tmpdir(), 'pki-'));
  const config = join(pki, 'config.json');
  writeFileSync(config, JSON.stringify({ devPkiDir: pki }));
  try {
    const r = await run(process.execPath, [cli, 'translate', ...args, '--out', out, '--config', config], {
      cwd: root,
    });
    return { code: 0, out, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out, stdout: e.stdout, stderr: e.stderr };
  }
}

function checkOutput(out: string) {
  const envelope = readFileSync(join(out, 'iti41.xml'), 'utf8');
  const parts = new Map(readdirSync(join(out, 'parts')).map((f) => [f, readFileSync(join(out, 'parts', f))]));
  const hrefs = [...envelope.matchAll(/<xop:Include\b[^>]*\bhref="([^"]+)"/g)].map((m) =>
    contentIdFromHref(m[1]!),
  );
  expect(hrefs.sort()).toEqual([...parts.keys()].sort());
  const body = inlineXop(standaloneXml(readSoapEnvelope(envelope).body!), parts);
  expect(xsdErrors(body, SCHEMA.xdsRepository)).toEqual([]);
  const submission = JSON.parse(readFileSync(join(out, 'submission.json'), 'utf8'));
  expect(submission.documents[0].content.bytes).toMatchObject({
    size: expect.any(Number),
    sha1: expect.stringMatching(/^[0-9a-f]{40}$/),
  });
  return { envelope, parts, submission };
}

describe('dmp-gateway translate', () => {
  it('FHIR DocumentReference with a PDF → iti41.xml, parts, submission.json', async () => {
    const r = await translate(join(root, 'fixtures/fhir/documentreference-pdf.json'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { parts } = checkOutput(r.out);
    const cda = [...parts.entries()].find(([k]) => k.startsWith('document'))![1];
    expect(xsdErrors(cda, SCHEMA.cda)).toEqual([]);
  });

  it('ready-made CDA → passed through byte for byte', async () => {
    const file = corpusFile('cda/VAC-NOTE_2023.01.xml');
    const r = await translate(file, '--identity-status', 'VALI');
    expect(r.code).toBe(0);
    const { parts } = checkOutput(r.out);
    const cda = [...parts.entries()].find(([k]) => k.startsWith('document'))![1];
    expect(cda.equals(readFileSync(file))).toBe(true);
  });

  it('invalid input: exit 1 and every problem with its path', async () => {
    const r = await translate(join(root, 'fixtures/fhir/documentreference-invalid.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'DocumentReference.contained[0].identifier: no INS (1.2.250.1.213.1.4.8/1.2.250.1.213.1.4.9/1.2.250.1.213.1.4.10/1.2.250.1.213.1.4.11)',
    );
    expect(r.stderr).toContain('DocumentReference.content[0].attachment.data: not valid base64');
    expect(r.stderr).toContain('DocumentReference.type: required');
  });
});
