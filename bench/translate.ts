/**
 * Translation micro-benchmark: one process builds complete DMP deposits
 * (CDA N1 wrap + ebRIM + XAdES + VIHF + SOAP + MTOM) for a 100 KB PDF and
 * prints translations per second, with the time spent in each stage.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseConfig } from '../src/config/load.ts';
import { subjectDn } from '../src/config/signing-key.ts';
import { buildDeposit } from '../src/deposit/build-deposit.ts';
import { documentReferenceToSubmission } from '../src/inbound/fhir/document-reference.ts';
import { randomIds } from '../src/model/ids.ts';
import { generateDevPki } from '../src/pki/dev-pki.ts';

/** A PDF padded to `size` bytes with comment lines (still a valid PDF). */
export function paddedPdf(size: number): Buffer {
  const pdf = readFileSync(new URL('../fixtures/documents/compte-rendu.pdf', import.meta.url));
  const lines: string[] = [];
  let total = pdf.length;
  while (total < size) {
    const line = `%${randomBytes(48).toString('base64')}\n`;
    lines.push(line);
    total += line.length;
  }
  return Buffer.concat([
    Buffer.from(pdf.toString('latin1').replace('%%EOF', `${lines.join('')}%%EOF`), 'latin1'),
  ]);
}

export async function benchTranslate(options: {
  seconds: number;
  digest: 'sha256' | 'sha1';
}): Promise<Record<string, number>> {
  const config = parseConfig({ signing: { digest: options.digest } });
  const pki = await generateDevPki();
  const signingKey = { keyPem: pki.signing.keyPem, certPem: pki.signing.certPem, digest: options.digest };
  const signerDn = subjectDn(pki.signing.certPem);
  const pdf = paddedPdf(100 * 1024);
  const input = JSON.parse(
    readFileSync(new URL('../fixtures/fhir/documentreference-pdf.json', import.meta.url), 'utf8'),
  );
  input.content[0].attachment.data = pdf.toString('base64');
  delete input.content[0].attachment.hash;
  delete input.content[0].attachment.size;

  const run = () => {
    const now = new Date();
    const submission = documentReferenceToSubmission(input, { config, ids: randomIds, now });
    return buildDeposit(submission, { config, ids: randomIds, now, signingKey, signerDn });
  };
  for (let i = 0; i < 20; i++) run(); // warm-up
  let count = 0;
  let bytes = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(options.seconds * 1e9);
  while (process.hrtime.bigint() < deadline) {
    bytes += run().http.body.length;
    count++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    translations: count,
    seconds: Number(seconds.toFixed(2)),
    perSecond: Number((count / seconds).toFixed(1)),
    msPerTranslation: Number(((seconds * 1000) / count).toFixed(2)),
    requestKiB: Math.round(bytes / count / 1024),
  };
}
