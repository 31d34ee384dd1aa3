/**
 * `dmp-gateway translate <input> --out <dir>`: shows exactly what the gateway
 * would deposit for one document. Input: a FHIR DocumentReference (JSON,
 * inline base64 PDF or text) or a ready-made CDA (XML) with the options it needs.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/load.ts';
import { loadSigningKey } from '../config/signing-key.ts';
import { buildDeposit } from '../deposit/build-deposit.ts';
import { type CdaIntakeOptions, cdaToSubmission } from '../inbound/cda/cda-document.ts';
import { documentReferenceToSubmission } from '../inbound/fhir/document-reference.ts';
import { randomIds } from '../model/ids.ts';
import type { IdentityStatus, Submission } from '../model/types.ts';
import { bytesReplacer } from '../store/codec.ts';

export interface TranslateOptions {
  readonly input: string;
  readonly out: string;
  readonly config?: string;
  readonly ipp?: string;
  readonly identityStatus?: string;
  readonly visibility?: string;
  readonly replacesEntryUUID?: string;
}

/** JSON form of the canonical submission: document bytes shown by size and SHA-1, not inlined. */
export function submissionJson(submission: Submission): string {
  return JSON.stringify(
    submission,
    bytesReplacer((b) => ({ size: b.length, sha1: createHash('sha1').update(b).digest('hex') })),
    2,
  );
}

function readSubmission(
  options: TranslateOptions,
  bytes: Buffer,
  ctx: Parameters<typeof documentReferenceToSubmission>[1],
): Submission {
  const text = bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (text.startsWith('{')) return documentReferenceToSubmission(JSON.parse(text), ctx);
  const cdaOptions: CdaIntakeOptions = {
    ...ctx,
    identityStatus: (options.identityStatus ?? 'VALI') as IdentityStatus,
    ipp: options.ipp,
    visibility: options.visibility?.split(',').filter(Boolean),
    replacesEntryUUID: options.replacesEntryUUID,
  };
  return cdaToSubmission(bytes, cdaOptions);
}

export async function translateCommand(options: TranslateOptions): Promise<void> {
  const config = loadConfig(options.config);
  const signing = await loadSigningKey(config);
  const now = new Date();
  const ctx = { config, ids: randomIds, now };
  const submission = readSubmission(options, readFileSync(options.input), ctx);
  const deposit = buildDeposit(submission, {
    config,
    ids: randomIds,
    now,
    signingKey: signing.key,
    signerDn: signing.subjectDn,
  });
  mkdirSync(join(options.out, 'parts'), { recursive: true });
  writeFileSync(join(options.out, 'iti41.xml'), deposit.envelope);
  for (const part of deposit.parts) writeFileSync(join(options.out, 'parts', part.contentId), part.bytes);
  writeFileSync(join(options.out, 'submission.json'), submissionJson(submission));
  writeFileSync(join(options.out, 'content-type.txt'), `${deposit.http.contentType}\n`);
  const lines = [
    `iti41.xml          SOAP envelope (${Buffer.byteLength(deposit.envelope)} bytes), MessageID ${deposit.messageId}`,
    ...deposit.parts.map((p) => `parts/${p.contentId}  ${p.bytes.length} bytes`),
    'submission.json    canonical submission',
    `content-type.txt   ${deposit.http.contentType}`,
  ];
  if (signing.development) lines.push(`(signed with the development PKI in ${config.devPkiDir})`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
