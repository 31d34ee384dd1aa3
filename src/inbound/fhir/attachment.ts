/**
 * DocumentReference.content[0] → the document bytes and their kind. The bytes
 * are inline (`attachment.data`, POST /fhir/DocumentReference) or in a Binary
 * of the ITI-65 bundle (IHE MHD: `attachment.url` → Binary, `data` 0..0).
 * `size` and `hash` must describe those bytes: FHIR R4 Attachment.hash is the
 * base64 of the SHA-1 digest (§2.24.0.1), XDS hash/size (ITI TF-3 §4.2.3.2).
 */
import { createHash } from 'node:crypto';
import type { DocumentReference } from '@medplum/fhirtypes';
import type { IssueCollector } from '../../errors/catalogue.ts';
import type { DocumentContent } from '../../model/types.ts';
import { N1_FORMAT_CODE } from '../../model/vocabulary.ts';
import { decodeBase64 } from './fhir-values.ts';

/** Media types of a ready-made CDA document. */
export const CDA_MEDIA_TYPES: readonly string[] = ['text/xml', 'application/xml', 'application/hl7-cda+xml'];

/** Where the bytes are: inline, or in a bundle Binary (already decoded, with its FHIRPath). */
export type ContentSource =
  | { readonly kind: 'inline' }
  | { readonly kind: 'binary'; readonly bytes?: Uint8Array; readonly path: string };

export interface ReadContent {
  readonly content?: DocumentContent;
  readonly title?: string;
  readonly creation?: string;
  readonly mediaType?: string;
}

/** The media type of a Content-Type value, lower case, without parameters. */
export function mediaTypeOf(value: string | undefined): string | undefined {
  const type = typeof value === 'string' ? value.split(';')[0]?.trim().toLowerCase() : undefined;
  return type || undefined;
}

function checkSizeAndHash(
  attachment: { size?: number; hash?: string },
  bytes: Uint8Array,
  path: string,
  where: string,
  issues: IssueCollector,
): void {
  if (attachment.size !== undefined && attachment.size !== bytes.length)
    issues.add(
      'INVALID_INPUT',
      `${path}.size`,
      `is ${attachment.size} but ${where} has ${bytes.length} bytes`,
    );
  if (typeof attachment.hash !== 'string') return;
  const digest = createHash('sha1').update(bytes).digest();
  if (attachment.hash === digest.toString('base64')) return;
  const hexText = Buffer.from(digest.toString('hex'), 'utf8').toString('base64');
  issues.add(
    'INVALID_INPUT',
    `${path}.hash`,
    attachment.hash === hexText
      ? 'is the base64 of the hexadecimal SHA-1 text; FHIR Attachment.hash is the base64 of the 20-byte SHA-1 digest'
      : `does not match the SHA-1 of ${where}`,
  );
}

export function readContent(
  doc: DocumentReference,
  base: string,
  source: ContentSource,
  issues: IssueCollector,
): ReadContent {
  const path = `${base}.content[0].attachment`;
  const attachment = Array.isArray(doc.content) ? doc.content[0]?.attachment : undefined;
  if (!attachment || typeof attachment !== 'object') {
    issues.add('INVALID_INPUT', path, 'required');
    return {};
  }
  if (doc.content.length > 1)
    issues.add('INVALID_INPUT', `${base}.content`, 'exactly one content is supported');
  const mediaType = mediaTypeOf(attachment.contentType);
  if (!mediaType) issues.add('INVALID_INPUT', `${path}.contentType`, 'required');
  let bytes: Uint8Array | undefined;
  if (source.kind === 'inline') {
    if (!attachment.data)
      issues.add('INVALID_INPUT', `${path}.data`, 'an inline base64 document is required');
    else if (typeof attachment.data === 'string')
      bytes = decodeBase64(attachment.data, `${path}.data`, issues);
    if (bytes) checkSizeAndHash(attachment, bytes, path, 'the data', issues);
  } else if (source.bytes) {
    bytes = source.bytes;
    checkSizeAndHash(attachment, bytes, path, `the document (${source.path})`, issues);
  }
  let content: DocumentContent | undefined;
  if (bytes && mediaType) {
    if (N1_FORMAT_CODE[mediaType]) content = { kind: 'unstructured', mediaType, bytes };
    else if (CDA_MEDIA_TYPES.includes(mediaType)) content = { kind: 'cda', bytes };
    else
      issues.add(
        'UNSUPPORTED_CONTENT',
        `${path}.contentType`,
        `${mediaType} is not supported (PDF, text, JPEG, RTF, TIFF or a CDA)`,
      );
  }
  return {
    content,
    title: typeof attachment.title === 'string' ? attachment.title : undefined,
    creation: attachment.creation,
    mediaType,
  };
}
