/**
 * The structure of an ITI-41 submission that every reader needs (ITI TF-2b
 * §3.41.4.1.2; ITI TF-3 §4.2.3.3): the bytes of each `xds:Document` (MTOM
 * part or inline base64) tied to its DocumentEntry, and the submission set
 * marker. Shared by the sandbox DMP and the ITI-41 recipient (moved from
 * src/sandbox/iti41-structure.ts).
 */
import { XDS } from '../model/vocabulary.ts';
import { contentIdFromHref, type MimePart } from '../soap/mtom.ts';
import type { RimObject, RimSubmission } from './ebrim-reader.ts';
import { type RegistryErrors, rimLocation, XDS_ERROR } from './registry-errors.ts';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The bytes of each `xds:Document`, by entry id (MTOM part or inline
 * base64). A Document without a DocumentEntry is `XDSMissingDocumentMetadata`;
 * an xop:Include naming no MIME part, or content that is neither, is
 * `XDSMissingDocument`.
 */
export function documentBytes(
  rim: RimSubmission,
  parts: ReadonlyMap<string, MimePart>,
  errors: RegistryErrors,
): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const entryIds = new Set(rim.objects.filter((o) => o.kind === 'ExtrinsicObject').map((o) => o.id));
  for (const d of rim.documents) {
    const where = rimLocation('Document', d.id);
    if (!d.id || !entryIds.has(d.id)) {
      errors.add(
        XDS_ERROR.missingDocumentMetadata,
        `xds:Document ${d.id ?? '(no id)'} has no DocumentEntry`,
        where,
      );
      continue;
    }
    if (d.href !== undefined) {
      let part: MimePart | undefined;
      try {
        part = parts.get(contentIdFromHref(d.href));
      } catch {
        part = undefined;
      }
      if (part) out.set(d.id, part.bytes);
      else
        errors.add(XDS_ERROR.missingDocument, `xds:Document ${d.id}: xop:Include names no MIME part`, where);
      continue;
    }
    const text = (d.base64 ?? '').replace(/\s+/g, '');
    if (text.length % 4 !== 0 || !BASE64.test(text)) {
      errors.add(
        XDS_ERROR.missingDocument,
        `xds:Document ${d.id}: neither an xop:Include nor base64 content`,
        where,
      );
    } else out.set(d.id, Buffer.from(text, 'base64'));
  }
  return out;
}

/** Whether `pkg` is classified as the submission set (ITI TF-3 §4.2.3.3 classificationNode). */
export function isMarked(rim: RimSubmission, pkg: RimObject): boolean {
  const marker = (c: { classificationNode?: string; classifiedObject?: string }) =>
    c.classificationNode === XDS.submissionSet.classificationNode &&
    (c.classifiedObject ?? pkg.id) === pkg.id;
  return rim.classifications.some(marker) || pkg.classifications.some(marker);
}
