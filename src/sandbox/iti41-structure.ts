/**
 * The structure of an ITI-41 submission (ITI TF-2b §3.41.4.1.2; ITI TF-3
 * §4.2.2 associations): the bytes of each `xds:Document` (MTOM part or
 * inline base64) tied to its DocumentEntry, the submission set marker, and
 * the associations the DMP accepts — a HasMember (Original) from the
 * submission set to every entry, exactly one `signs` from the signature
 * entry to the submission set, and RPLC to a registered entry.
 */
import { ASSOCIATION, SLOT, SUBMISSION_SET_STATUS, XDS } from '../model/vocabulary.ts';
import { contentIdFromHref, type MimePart } from '../soap/mtom.ts';
import { type RimObject, type RimSubmission, slotValues } from '../xds/ebrim-reader.ts';
import { type RegistryErrors, rimLocation, XDS_ERROR } from './xds-errors.ts';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The bytes of each `xds:Document`, by entry id (MTOM part or inline base64). */
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

/** The associations: HasMember to each entry, one `signs`, RPLC; returns the signature entry id. */
export function checkAssociations(
  rim: RimSubmission,
  ssId: string,
  entries: readonly RimObject[],
  errors: RegistryErrors,
) {
  const ids = new Set(entries.map((e) => e.id));
  const members = new Set<string>();
  const signatures: string[] = [];
  const replacements = new Map<string, string>();
  for (const a of rim.associations) {
    const where = rimLocation('Association', a.id);
    const fail = (message: string) =>
      errors.add(XDS_ERROR.registryMetadataError, `Association ${a.id ?? ''}: ${message}`, where);
    if (a.associationType === ASSOCIATION.hasMember) {
      if (a.sourceObject !== ssId || !ids.has(a.targetObject))
        fail('HasMember must link the submission set to an entry of the submission');
      else if (slotValues(a, SLOT.submissionSetStatus)[0] !== SUBMISSION_SET_STATUS.original)
        fail('HasMember needs SubmissionSetStatus Original');
      else members.add(a.targetObject as string);
    } else if (a.associationType === ASSOCIATION.signs) {
      if (a.targetObject !== ssId || !ids.has(a.sourceObject))
        fail('signs must link an entry of the submission to the submission set');
      else signatures.push(a.sourceObject as string);
    } else if (a.associationType === ASSOCIATION.replace) {
      if (!ids.has(a.sourceObject) || !a.targetObject || ids.has(a.targetObject))
        fail('RPLC must link a new entry to a registered one');
      else replacements.set(a.sourceObject as string, a.targetObject);
    } else fail(`association type ${a.associationType ?? '(none)'} is not accepted by the DMP`);
  }
  for (const e of entries) {
    if (!members.has(e.id as string)) {
      errors.add(
        XDS_ERROR.registryMetadataError,
        `ExtrinsicObject ${e.id}: no HasMember from the submission set`,
        rimLocation('ExtrinsicObject', e.id),
      );
    }
  }
  if (signatures.length !== 1) {
    errors.add(
      XDS_ERROR.registryMetadataError,
      'exactly one signature entry linked by a signs association to the submission set is required',
      rimLocation('RegistryPackage', ssId),
    );
  }
  return { signatureId: signatures.length === 1 ? signatures[0] : undefined, replacements };
}
