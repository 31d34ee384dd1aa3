/**
 * The document OBX: value type ED, OBX-3 the document type, OBX-5 the
 * encapsulated document `^<type>^<subtype>^Base64^<data>` [VOLET-HL7
 * profils-messages.md "Les données concernant la demande de traitement sur
 * le(s) document(s)": OBX-5.2 `TEXT` (ORU) or `text` (MDM), OBX-5.3 `XML`,
 * OBX-5.4 `Base64`, OBX-5.5 the CDA R2; HL7 v2.5 §2.A.24 ED, tables 0191 type
 * of referenced data, 0291 subtype, 0299 encoding]. Beyond the volet, an
 * unstructured document (PDF, JPEG, TIFF, RTF, plain text) is accepted and
 * wrapped as CDA N1 by the pipeline.
 */
import type { IssueCollector } from '../../errors/catalogue.ts';
import type { DocumentContent } from '../../model/types.ts';
import { all, get, type Hl7Message, leaf, path, repetitions, type Segment } from './message.ts';
import { isMetaDmp } from './metadmp.ts';

/** The OBX that carry a document: OBX-2 `ED` and OBX-3 not a MetaDMPMSS code. */
export function documentSegments(msg: Hl7Message): Segment[] {
  return all(msg, 'OBX').filter((s) => get(msg, s, 2).toUpperCase() === 'ED' && !isMetaDmp(msg, s));
}

/** (OBX-5.2, OBX-5.3) upper-cased → media type; `cda` for the volet's XML. */
const MEDIA: Readonly<Record<string, string>> = {
  'TEXT|XML': 'cda',
  'APPLICATION|XML': 'cda',
  'AP|PDF': 'application/pdf',
  'APPLICATION|PDF': 'application/pdf',
  'IM|JPEG': 'image/jpeg',
  'IMAGE|JPEG': 'image/jpeg',
  'IM|TIFF': 'image/tiff',
  'IMAGE|TIFF': 'image/tiff',
  'TEXT|RTF': 'text/rtf',
  'AP|RTF': 'text/rtf',
  'APPLICATION|RTF': 'text/rtf',
  'TEXT|PLAIN': 'text/plain',
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Strict base64 (RFC 4648 alphabet, padding optional as RFC 4648 §3.2
 * allows when the length is implied); undefined when the text is not base64.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  if (text.endsWith('=') ? text.length % 4 !== 0 : text.length % 4 === 1) return undefined;
  return new Uint8Array(Buffer.from(text, 'base64'));
}

function startsWith(bytes: Uint8Array, prefix: string): boolean {
  return Buffer.from(bytes.subarray(0, prefix.length)).toString('latin1') === prefix;
}

/** Checks the decoded bytes look like what OBX-5.2/5.3 announce (catches placeholders and swapped payloads). */
function signatureProblem(bytes: Uint8Array, media: string): string | undefined {
  if (media === 'cda') {
    const head = Buffer.from(bytes.subarray(0, 64))
      .toString('utf-8')
      .replace(/^\uFEFF/, '')
      .trimStart();
    return head.startsWith('<') ? undefined : 'the data is not an XML (CDA) document';
  }
  if (media === 'application/pdf') return startsWith(bytes, '%PDF-') ? undefined : 'the data is not a PDF';
  if (media === 'image/jpeg')
    return bytes[0] === 0xff && bytes[1] === 0xd8 ? undefined : 'the data is not a JPEG';
  if (media === 'text/rtf')
    return startsWith(bytes, '{\\rtf') ? undefined : 'the data is not an RTF document';
  return undefined;
}

/** Decodes the ED of a document OBX; issues at `OBX[n]-5.c`. */
export function readDocumentContent(
  msg: Hl7Message,
  obx: Segment,
  issues: IssueCollector,
): DocumentContent | undefined {
  const raw = repetitions(msg, obx, 5)[0];
  if (raw === undefined) {
    issues.add('HL7_REQUIRED_FIELD', path(obx, 5), 'the document (OBX-5) is missing');
    return undefined;
  }
  const type = leaf(msg, raw, 2).toUpperCase();
  const subtype = leaf(msg, raw, 3).toUpperCase();
  const media = MEDIA[`${type}|${subtype}`];
  if (!media) {
    issues.add(
      'UNSUPPORTED_CONTENT',
      path(obx, 5, 3),
      'the document must be a CDA (TEXT^XML) or a PDF, JPEG, TIFF, RTF or plain text to wrap as CDA N1',
    );
    return undefined;
  }
  if (leaf(msg, raw, 4).toUpperCase() !== 'BASE64') {
    issues.add('HL7_TABLE_VALUE', path(obx, 5, 4), 'the encoding must be Base64');
    return undefined;
  }
  const data = leaf(msg, raw, 5);
  if (!data) {
    issues.add('HL7_REQUIRED_FIELD', path(obx, 5, 5), 'the document data is empty');
    return undefined;
  }
  const bytes = decodeBase64(data);
  if (!bytes || bytes.length === 0) {
    issues.add('HL7_DATA_TYPE', path(obx, 5, 5), 'the document data is not valid base64');
    return undefined;
  }
  const problem = signatureProblem(bytes, media);
  if (problem) {
    issues.add(media === 'cda' ? 'INVALID_INPUT' : 'UNSUPPORTED_CONTENT', path(obx, 5, 5), problem);
    return undefined;
  }
  return media === 'cda' ? { kind: 'cda', bytes } : { kind: 'unstructured', mediaType: media, bytes };
}
