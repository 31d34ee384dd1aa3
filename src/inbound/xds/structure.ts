/**
 * The structure of an ITI-41 request as the DMP feed accepts it (ITI TF-2b
 * §3.41.4.1.2–3; ITI TF-3 §4.2.2 associations, §4.2.3.3 submission set):
 * one submission set (no folder), at least one DocumentEntry, a HasMember
 * (SubmissionSetStatus Original) from the submission set to each entry, RPLC
 * from an entry to a registered entryUUID, every entry with its document and
 * every document and MIME part with its entry, unique ids and uniqueIds.
 */
import { ASSOCIATION, SLOT, SUBMISSION_SET_STATUS, XDS } from '../../model/vocabulary.ts';
import { contentIdFromHref, type MimePart } from '../../soap/mtom.ts';
import { externalId, type RimObject, type RimSubmission, slotValues } from '../../xds/ebrim-reader.ts';
import { type RegistryErrors, rimLocation, XDS_ERROR } from '../../xds/registry-errors.ts';
import { documentBytes, isMarked } from '../../xds/rim-structure.ts';

const UUID_ID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIST = 'RegistryObjectList';

/** Whether `id` is a UUID registry object id (not a symbolic one). */
export function isUuidId(id: string | undefined): id is string {
  return id !== undefined && UUID_ID.test(id);
}

export interface RequestStructure {
  readonly submissionSet: RimObject;
  readonly entries: readonly RimObject[];
  /** Document bytes by entry id. */
  readonly bytes: ReadonlyMap<string, Buffer>;
  /** RPLC: entry id → entryUUID of the document it replaces. */
  readonly replacements: ReadonlyMap<string, string>;
  /** Ids of the source's own signature entries (IHE DSG, `signs` the submission set): not deposited. */
  readonly signatures: ReadonlySet<string>;
}

/**
 * The RPLC targets of a request (entry id → target entryUUID) before any
 * check: only from an ExtrinsicObject of the request to a UUID, so there are
 * never more than entries.
 */
export function replacementTargets(rim: RimSubmission): Map<string, string> {
  const entries = new Set(rim.objects.filter((o) => o.kind === 'ExtrinsicObject').map((o) => o.id));
  const out = new Map<string, string>();
  for (const a of rim.associations) {
    if (a.associationType !== ASSOCIATION.replace || !a.sourceObject || !entries.has(a.sourceObject))
      continue;
    if (isUuidId(a.targetObject)) out.set(a.sourceObject, a.targetObject);
  }
  return out;
}

function checkAssociations(
  rim: RimSubmission,
  ss: RimObject,
  entries: readonly RimObject[],
  errors: RegistryErrors,
) {
  const ids = new Set(entries.map((e) => e.id));
  const members = new Set<string>();
  const replacements = new Map<string, string>();
  const signatures = new Set<string>();
  for (const a of rim.associations) {
    const fail = (message: string) =>
      errors.add(
        XDS_ERROR.registryMetadataError,
        `Association ${a.id ?? '(no id)'}: ${message}`,
        rimLocation('Association', a.id),
      );
    if (a.associationType === ASSOCIATION.hasMember) {
      if (a.sourceObject !== ss.id || !ids.has(a.targetObject))
        fail('HasMember must link the submission set to one of its entries');
      else if (slotValues(a, SLOT.submissionSetStatus)[0] !== SUBMISSION_SET_STATUS.original)
        fail('HasMember needs SubmissionSetStatus Original');
      else members.add(a.targetObject as string);
    } else if (a.associationType === ASSOCIATION.replace) {
      if (!ids.has(a.sourceObject) || !isUuidId(a.targetObject) || ids.has(a.targetObject))
        fail('RPLC must link an entry of the request to the entryUUID (urn:uuid) of a registered document');
      else if (replacements.has(a.sourceObject as string)) fail('an entry may replace one document only');
      else replacements.set(a.sourceObject as string, a.targetObject);
    } else if (a.associationType === ASSOCIATION.signs) {
      // IHE DSG: the source signed its submission set; the gateway signs its own (DOMAIN.md §2), so it is dropped.
      if (a.targetObject !== ss.id || !ids.has(a.sourceObject))
        fail('signs must link a signature entry of the request to the submission set');
      else signatures.add(a.sourceObject as string);
    } else
      fail(
        `association type ${a.associationType ?? '(none)'} is not accepted by the DMP feed (HasMember, RPLC, signs)`,
      );
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
  for (const id of signatures) {
    if (replacements.has(id))
      errors.add(
        XDS_ERROR.registryMetadataError,
        `ExtrinsicObject ${id}: a signature entry cannot replace a document`,
        rimLocation('ExtrinsicObject', id),
      );
  }
  return { replacements, signatures };
}

function checkUnique(rim: RimSubmission, entries: readonly RimObject[], errors: RegistryErrors): void {
  const ids = [...rim.objects, ...rim.associations].flatMap((o) => o.id ?? []);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) {
    errors.add(XDS_ERROR.registryMetadataError, `id ${id} is given to more than one registry object`, LIST);
  }
  const docs = rim.documents.flatMap((d) => d.id ?? []);
  for (const id of new Set(docs.filter((id, i) => docs.indexOf(id) !== i))) {
    errors.add(
      XDS_ERROR.registryMetadataError,
      `xds:Document ${id} is repeated`,
      rimLocation('Document', id),
    );
  }
  const uids = entries.flatMap((e) => externalId(e, XDS.documentEntry.uniqueId)?.trim() || []);
  for (const uid of new Set(uids.filter((u, i) => uids.indexOf(u) !== i))) {
    errors.add(
      XDS_ERROR.repositoryDuplicateUniqueIdInMessage,
      `uniqueId ${uid} is given to more than one document`,
      LIST,
    );
  }
}

/** MIME parts no xds:Document refers to (ITI TF-3 Table 4.2.4.1-2, XDSMissingDocumentMetadata). */
function checkParts(rim: RimSubmission, parts: ReadonlyMap<string, MimePart>, errors: RegistryErrors): void {
  const referenced = new Set<string>();
  for (const d of rim.documents) {
    try {
      if (d.href !== undefined) referenced.add(contentIdFromHref(d.href));
    } catch {
      // reported by documentBytes
    }
  }
  for (const cid of parts.keys()) {
    if (!referenced.has(cid)) {
      errors.add(
        XDS_ERROR.missingDocumentMetadata,
        `MIME part ${cid} is referenced by no xds:Document`,
        `multipart/part[@Content-ID='${cid}']`,
      );
    }
  }
}

/** The structure of the request; undefined when it cannot carry a deposit (errors added). */
export function readStructure(
  rim: RimSubmission,
  parts: ReadonlyMap<string, MimePart>,
  errors: RegistryErrors,
): RequestStructure | undefined {
  const packages = rim.objects.filter((o) => o.kind === 'RegistryPackage');
  const extrinsic = rim.objects.filter((o) => o.kind === 'ExtrinsicObject');
  const ss = packages.find((p) => isMarked(rim, p));
  if (!ss?.id || packages.length !== 1) {
    errors.add(
      XDS_ERROR.registryMetadataError,
      'exactly one RegistryPackage, classified as the submission set, is required (the DMP takes no folders)',
      LIST,
    );
    return undefined;
  }
  if (extrinsic.some((e) => !e.id)) {
    errors.add(XDS_ERROR.registryMetadataError, 'every DocumentEntry needs an id', LIST);
    return undefined;
  }
  const { replacements, signatures } = checkAssociations(rim, ss, extrinsic, errors);
  const entries = extrinsic.filter((e) => !signatures.has(e.id as string));
  if (entries.length === 0) {
    errors.add(XDS_ERROR.registryMetadataError, 'at least one DocumentEntry is required', LIST);
    return undefined;
  }
  const bytes = documentBytes(rim, parts, errors);
  for (const e of entries) {
    if (!bytes.has(e.id as string) && !rim.documents.some((d) => d.id === e.id)) {
      errors.add(
        XDS_ERROR.missingDocument,
        `ExtrinsicObject ${e.id}: no xds:Document carries its content`,
        rimLocation('ExtrinsicObject', e.id),
      );
    }
  }
  checkParts(rim, parts, errors);
  checkUnique(rim, entries, errors);
  return { submissionSet: ss, entries, bytes, replacements, signatures };
}
