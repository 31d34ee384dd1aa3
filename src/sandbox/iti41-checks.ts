/**
 * Cross-object checks of one ITI-41 submission, as the DMP makes them
 * (ITI TF-2b §3.41.4.1.3, ITI TF-3 §4.2.2 associations, DOMAIN.md §2):
 * one submission set with a HasMember to each entry, every entry with its
 * document part and back, the XAdES signature entry linked by `signs` and
 * verified with the pinned certificate over the exact document bytes, one
 * patient everywhere (also the VIHF's), unique uniqueIds, hash and size of
 * the bytes received, and a patient whose DMP is open.
 */
import { GatewayError } from '../errors/catalogue.ts';
import { SLOT, XDS } from '../model/vocabulary.ts';
import { verifySignatureDocument } from '../signature/xades.ts';
import type { MimePart } from '../soap/mtom.ts';
import { insOfCx, sameIns } from '../xds/cx.ts';
import { sha1Hex } from '../xds/document-entry.ts';
import { externalId, type RimObject, type RimSubmission, slotValues } from '../xds/ebrim-reader.ts';
import { type RegistryErrors, rimLocation, XDS_ERROR } from '../xds/registry-errors.ts';
import { documentBytes, isMarked } from '../xds/rim-structure.ts';
import { checkDocumentEntry, checkSubmissionSet } from './iti41-metadata.ts';
import { checkAssociations } from './iti41-structure.ts';
import type { PatientDirectory } from './patients.ts';
import type { InsId } from './types.ts';
import type { VihfContext } from './vihf-check.ts';

export interface CheckedEntry {
  readonly rim: RimObject;
  readonly kind: 'document' | 'signature';
  readonly uniqueId: string;
  readonly hash: string;
  readonly bytes: Buffer;
}

/** A submission that passed every check. */
export interface CheckedSubmission {
  readonly submissionSet: RimObject;
  readonly entries: readonly CheckedEntry[];
  readonly patientId: string;
  readonly ins: InsId;
  /** RPLC: new entry id → replaced entryUUID. */
  readonly replacements: ReadonlyMap<string, string>;
}

export interface Iti41CheckContext {
  readonly patients: PatientDirectory;
  readonly trustedCertsPem: readonly string[];
  readonly checkSignatures: boolean;
  readonly vihf: VihfContext;
}

function checkXades(
  xml: Buffer,
  ssUniqueId: string,
  documents: readonly CheckedEntry[],
  ctx: Iti41CheckContext,
  where: string,
  errors: RegistryErrors,
): void {
  const signed = documents.map((d) => ({ uniqueId: d.uniqueId, bytes: d.bytes }));
  let problem = 'no pinned signing certificate';
  for (const certPem of ctx.trustedCertsPem) {
    try {
      const result = verifySignatureDocument(xml.toString('utf8'), { certPem, documents: signed });
      if (result.submissionSetUniqueId === ssUniqueId) return;
      problem = 'the signed manifest names another submission set';
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
      problem = err.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    }
  }
  errors.add(XDS_ERROR.registryMetadataError, `XAdES signature of the submission set: ${problem}`, where);
}

/** One entry: its metadata, its patient, its bytes against hash and size. */
function checkEntry(
  e: RimObject,
  kind: CheckedEntry['kind'],
  ss: { readonly patientId: string },
  content: Buffer | undefined,
  errors: RegistryErrors,
): CheckedEntry | undefined {
  checkDocumentEntry(e, kind, errors);
  const where = rimLocation('ExtrinsicObject', e.id);
  if (externalId(e, XDS.documentEntry.patientId) !== ss.patientId) {
    errors.add(
      XDS_ERROR.patientIdDoesNotMatch,
      `ExtrinsicObject ${e.id}: patientId differs from the submission set's`,
      where,
    );
  }
  if (!content) {
    errors.add(
      XDS_ERROR.missingDocument,
      `ExtrinsicObject ${e.id}: no xds:Document carries its content`,
      where,
    );
    return undefined;
  }
  const hash = (slotValues(e, SLOT.hash)[0] ?? '').toLowerCase();
  if (hash && hash !== sha1Hex(content)) {
    const slot = rimLocation('ExtrinsicObject', e.id, "Slot[@name='hash']");
    errors.add(
      XDS_ERROR.repositoryMetadataError,
      `ExtrinsicObject ${e.id}: slot hash is not the SHA-1 of the document received`,
      slot,
    );
  }
  const size = slotValues(e, SLOT.size)[0];
  if (size !== undefined && size !== String(content.length)) {
    const slot = rimLocation('ExtrinsicObject', e.id, "Slot[@name='size']");
    errors.add(
      XDS_ERROR.repositoryMetadataError,
      `ExtrinsicObject ${e.id}: slot size is not the size of the document received`,
      slot,
    );
  }
  return { rim: e, kind, uniqueId: externalId(e, XDS.documentEntry.uniqueId) ?? '', hash, bytes: content };
}

/** The submission's patient is the VIHF's and has an open DMP. */
function checkPatient(ins: InsId, ssId: string, ctx: Iti41CheckContext, errors: RegistryErrors): void {
  const where = rimLocation(
    'RegistryPackage',
    ssId,
    `ExternalIdentifier[@identificationScheme='${XDS.submissionSet.patientId}']`,
  );
  if (!sameIns(ins, ctx.vihf.ins)) {
    errors.add(
      XDS_ERROR.patientIdDoesNotMatch,
      'the submission patientId is not the VIHF resource-id',
      where,
    );
  }
  const dmp = ctx.patients.dmpOf(ins);
  if (dmp !== 'active') {
    errors.add(
      XDS_ERROR.unknownPatientId,
      dmp === 'closed' ? "the patient's DMP is closed" : 'the patient has no DMP',
      where,
    );
  }
}

/** Ids given to two registry objects, and uniqueIds used twice. */
function checkUniqueness(rim: RimSubmission, uniqueIds: readonly string[], errors: RegistryErrors): void {
  const ids = [...rim.objects, ...rim.associations].map((o) => o.id);
  for (const id of new Set(ids.filter((id, i) => id !== undefined && ids.indexOf(id) !== i))) {
    errors.add(
      XDS_ERROR.registryMetadataError,
      `id ${id} is given to more than one registry object`,
      'RegistryObjectList',
    );
  }
  for (const uid of new Set(uniqueIds.filter((u, i) => u !== '' && uniqueIds.indexOf(u) !== i))) {
    errors.add(
      XDS_ERROR.duplicateUniqueIdInMessage,
      `uniqueId ${uid} is used twice in the submission`,
      'RegistryObjectList',
    );
  }
}

/** Every check of one submission; returns it when no error was added. */
export function checkProvideAndRegister(
  rim: RimSubmission,
  parts: ReadonlyMap<string, MimePart>,
  ctx: Iti41CheckContext,
  errors: RegistryErrors,
): CheckedSubmission | undefined {
  const packages = rim.objects.filter((o) => o.kind === 'RegistryPackage');
  const entries = rim.objects.filter((o) => o.kind === 'ExtrinsicObject');
  const ss = packages.find((p) => isMarked(rim, p));
  if (!ss?.id || packages.length !== 1) {
    const message = 'exactly one RegistryPackage classified as the submission set is required (no folders)';
    errors.add(XDS_ERROR.registryMetadataError, message, 'RegistryObjectList');
    return undefined;
  }
  if (entries.length === 0 || entries.some((e) => !e.id)) {
    errors.add(
      XDS_ERROR.registryMetadataError,
      'at least one DocumentEntry, each with an id, is required',
      'RegistryObjectList',
    );
    return undefined;
  }
  const bytes = documentBytes(rim, parts, errors);
  const { signatureId, replacements } = checkAssociations(rim, ss.id, entries, errors);
  checkSubmissionSet(ss, errors);
  const patientId = externalId(ss, XDS.submissionSet.patientId) ?? '';
  const ssUniqueId = externalId(ss, XDS.submissionSet.uniqueId) ?? '';
  const checked = entries.flatMap((e) => {
    const kind = e.id === signatureId ? 'signature' : 'document';
    return checkEntry(e, kind, { patientId }, bytes.get(e.id as string), errors) ?? [];
  });
  checkUniqueness(
    rim,
    [ssUniqueId, ...entries.map((e) => externalId(e, XDS.documentEntry.uniqueId) ?? '')],
    errors,
  );
  const ins = insOfCx(patientId);
  if (ins) checkPatient(ins, ss.id, ctx, errors);
  const signature = checked.find((c) => c.kind === 'signature');
  const documents = checked.filter((c) => c.kind === 'document');
  if (signatureId && documents.length === 0) {
    errors.add(
      XDS_ERROR.registryMetadataError,
      'the submission holds a signature but no document',
      'RegistryObjectList',
    );
  }
  if (ctx.checkSignatures && signature && errors.empty) {
    checkXades(
      signature.bytes,
      ssUniqueId,
      documents,
      ctx,
      rimLocation('ExtrinsicObject', signature.rim.id),
      errors,
    );
  }
  if (!errors.empty || !ins) return undefined;
  return { submissionSet: ss, entries: checked, patientId, ins, replacements };
}
