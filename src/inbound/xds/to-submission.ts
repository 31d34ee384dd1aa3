/**
 * An ITI-41 request (ebRIM registry objects and documents) → one canonical
 * Submission (IHE ITI TF-2b §3.41.4.1.3; ITI TF-3 §4.2.3; DOMAIN.md §2–§4).
 * Pure: identifiers, time, configuration and the facts of replaced
 * documents are given. Every problem is collected as a RegistryError (XDS
 * error code, ebRIM location, readable context), and reported at once.
 *
 * The whole request becomes ONE submission holding every document, so it
 * is accepted or refused as a whole (one atomic store write), and deposited
 * to the DMP as one submission set signed once. The DMP-facing submission
 * set is the gateway's own (its sourceId, fresh entryUUID and uniqueId, as
 * at the other doors); the source's sourceId and submission set uniqueId
 * identify the request (resends are recognised), and entryUUIDs given as
 * `urn:uuid:` are kept, so a later RPLC from the source finds its target.
 */
import type { Config } from '../../config/schema.ts';
import { type IdSource, newEntryUUID, newOid } from '../../model/ids.ts';
import type { Author, Code, DocumentEntry, InstanceId, Patient, Submission } from '../../model/types.ts';
import { N1_FORMAT_CODE, OID, SLOT, XDS } from '../../model/vocabulary.ts';
import type { MimePart } from '../../soap/mtom.ts';
import { canonicalJson, sha256Hex } from '../../store/identity.ts';
import type { InsId } from '../../xds/cx.ts';
import { sha1Hex } from '../../xds/document-entry.ts';
import type { RimSubmission } from '../../xds/ebrim-reader.ts';
import { isUniqueIdOid, OID_PATTERN } from '../../xds/metadata-values.ts';
import { RegistryErrors } from '../../xds/registry-errors.ts';
import type { RegistryErrorEntry } from '../../xds/registry-response.ts';
import { readAuthors } from './authors.ts';
import { checkCdaHeader, type EntryContent, readContent } from './content.ts';
import { readEntryMetadata } from './document-entry.ts';
import { checkEntryPatient, readPatient, readSubmissionSetIns } from './patient.ts';
import { ObjectReader, part } from './rim-reader.ts';
import { mapCode, mappingFor, siteOf, type XdsSourceMapping } from './source-mapping.ts';
import { isUuidId, type RequestStructure, readStructure } from './structure.ts';

const SS = XDS.submissionSet;

/** What the gateway knows of a document it accepted earlier, for a replacement (RPLC) of it. */
export interface PredecessorFacts {
  readonly uniqueId: string;
  readonly setId: InstanceId;
  readonly versionNumber: number;
}

export interface XdsMapContext {
  readonly config: Pick<Config, 'establishment' | 'ids'>;
  readonly sources: readonly XdsSourceMapping[];
  readonly ids: IdSource;
  readonly now: Date;
  /** Facts of the documents the request replaces, by entryUUID, as far as the gateway knows them. */
  readonly predecessors: ReadonlyMap<string, PredecessorFacts>;
}

export type XdsMapResult =
  | {
      readonly ok: true;
      readonly submission: Submission;
      /** `xds:<source sourceId>:<source submission set uniqueId>`. */
      readonly identity: string;
      /** Fingerprint of the metadata and of each document's bytes. */
      readonly contentHash: string;
      /** Ids of the request's objects, for RegistryError locations: the submission set, entries by uniqueId. */
      readonly requestIds: { readonly submissionSet: string; readonly entries: ReadonlyMap<string, string> };
    }
  | { readonly ok: false; readonly errors: readonly RegistryErrorEntry[] };

interface SubmissionSetFacts {
  readonly sourceId?: string;
  readonly uniqueId?: string;
  readonly contentTypeCode?: Code;
  readonly author?: Author;
  readonly ins?: InsId;
  readonly patientCx?: string;
}

/** The submission set's attributes and the mapping of its source. */
function readSubmissionSet(ss: ObjectReader, ctx: XdsMapContext) {
  const sourceId = ss.external(SS.sourceId);
  if (sourceId !== undefined && !OID_PATTERN.test(sourceId))
    ss.fail(part.external(SS.sourceId), 'must be an OID');
  const mapping = mappingFor(ctx.sources, sourceId);
  const uniqueId = ss.external(SS.uniqueId);
  if (uniqueId !== undefined && !isUniqueIdOid(uniqueId)) {
    ss.fail(part.external(SS.uniqueId), 'must be a bare OID of at most 64 characters');
  }
  ss.time(SLOT.submissionTime, true);
  const sent = ss.code(SS.contentTypeCode, true);
  const contentTypeCode = sent && mapCode(mapping, 'contentTypeCode', sent);
  if (contentTypeCode && contentTypeCode.codeSystem !== OID.contentType) {
    ss.fail(part.classification(SS.contentTypeCode), `must be in TRE_R209 (${OID.contentType}); map it`);
  }
  const author = readAuthors(ss, SS.author, siteOf(mapping, ctx.config.establishment))[0];
  const { ins, cx } = readSubmissionSetIns(ss);
  const facts: SubmissionSetFacts = { sourceId, uniqueId, contentTypeCode, author, ins, patientCx: cx };
  return { facts, mapping };
}

interface ReadEntry {
  readonly entry: DocumentEntry;
  readonly content: EntryContent;
}

/** One DocumentEntry with its document; undefined when it cannot be deposited (errors added). */
function readEntry(
  reader: ObjectReader,
  structure: RequestStructure,
  ss: SubmissionSetFacts,
  mapping: XdsSourceMapping | undefined,
  ctx: XdsMapContext,
): ReadEntry | undefined {
  const id = reader.object.id as string;
  checkEntryPatient(reader, ss.patientCx);
  const site = siteOf(mapping, ctx.config.establishment);
  const meta = readEntryMetadata(reader, mapping, site);
  const bytes = structure.bytes.get(id);
  const content = meta && bytes && readContent(reader, meta, bytes);
  if (!meta || !content) return undefined;
  const target = structure.replacements.get(id);
  const facts = target === undefined ? undefined : ctx.predecessors.get(target);
  const header = content.header;
  if (header) {
    checkCdaHeader(reader, meta, header, {
      ins: ss.ins,
      replacesTarget: target,
      replacedUniqueId: facts?.uniqueId,
    });
  } else if (target !== undefined && !facts) {
    reader.fail(
      undefined,
      'RPLC: the replaced document is unknown to the gateway, so its setId and version cannot be continued; send the new version as a CDA (relatedDocument RPLC)',
    );
  }
  const formatCode =
    content.content.kind === 'unstructured'
      ? { code: N1_FORMAT_CODE[content.content.mediaType] as string, codeSystem: OID.formatCodeScheme }
      : (meta.formatCode ?? header?.formatCode);
  if (!formatCode) {
    reader.fail(
      part.classification(XDS.documentEntry.formatCode),
      'unknown CDA model: send a TRE_A11 or TRE_A06 formatCode',
    );
    return undefined;
  }
  const parent = header?.replaces ?? (facts && { root: facts.uniqueId });
  const entry: DocumentEntry = {
    id: { root: meta.uniqueId },
    entryUUID: isUuidId(id) ? id : newEntryUUID(ctx.ids),
    setId: header?.setId ?? facts?.setId ?? { root: newOid(ctx.ids, ctx.config.ids.oidRoot) },
    versionNumber: header?.versionNumber ?? (facts ? facts.versionNumber + 1 : 1),
    title: meta.title,
    typeCode: meta.typeCode,
    classCode: meta.classCode,
    formatCode,
    healthcareFacilityTypeCode: meta.healthcareFacilityTypeCode,
    practiceSettingCode: meta.practiceSettingCode,
    confidentiality: meta.confidentiality,
    visibility: meta.visibility,
    creationTime: meta.creationTime,
    ...(meta.serviceStartTime ? { serviceStartTime: meta.serviceStartTime } : {}),
    ...(meta.serviceStopTime ? { serviceStopTime: meta.serviceStopTime } : {}),
    languageCode: meta.languageCode,
    authors: meta.authors,
    ...(meta.legalAuthenticator ? { legalAuthenticator: meta.legalAuthenticator } : {}),
    custodian: header?.custodian ?? site,
    eventCodes: meta.eventCodes,
    referenceIds: meta.referenceIds,
    content: content.content,
    ...(target !== undefined && parent
      ? { replaces: { uniqueId: parent.root, entryUUID: target, cdaId: parent } }
      : {}),
  };
  return { entry, content };
}

function contentHashOf(rim: RimSubmission, bytes: ReadonlyMap<string, Buffer>): string {
  const documents = [...bytes]
    .map(([id, b]) => [id, sha1Hex(b)])
    .sort(([a], [b]) => ((a ?? '') < (b ?? '') ? -1 : 1));
  return sha256Hex(
    canonicalJson({
      objects: rim.objects,
      associations: rim.associations,
      classifications: rim.classifications,
      documents,
    }),
  );
}

/** Maps the request; every problem found is in `errors` of a failed result. */
export function rimToSubmission(
  rim: RimSubmission,
  parts: ReadonlyMap<string, MimePart>,
  ctx: XdsMapContext,
): XdsMapResult {
  const errors = new RegistryErrors();
  const structure = readStructure(rim, parts, errors);
  if (!structure) return { ok: false, errors: errors.list };
  const ssReader = new ObjectReader(errors, structure.submissionSet, 'SubmissionSet');
  const { facts: ss, mapping } = readSubmissionSet(ssReader, ctx);
  const readers = structure.entries.map((e) => new ObjectReader(errors, e, 'DocumentEntry'));
  const read = readers.map((r) => readEntry(r, structure, ss, mapping, ctx));
  let patient: Patient | undefined;
  if (ss.ins && readers[0]) patient = readPatient(ss.ins, readers[0], read[0]?.content.header?.patient);
  if (!errors.empty || !patient || !ss.author || !ss.contentTypeCode || read.some((r) => !r)) {
    return { ok: false, errors: errors.list };
  }
  const submission: Submission = {
    entryUUID: newEntryUUID(ctx.ids),
    uniqueId: newOid(ctx.ids, ctx.config.ids.oidRoot),
    sourceId: ctx.config.ids.sourceId,
    submissionTime: ctx.now.toISOString(),
    contentTypeCode: ss.contentTypeCode,
    ...(structure.submissionSet.name ? { title: structure.submissionSet.name } : {}),
    author: ss.author,
    patient,
    documents: read.map((r) => (r as ReadEntry).entry),
  };
  return {
    ok: true,
    submission,
    identity: `xds:${ss.sourceId}:${ss.uniqueId}`,
    contentHash: contentHashOf(rim, structure.bytes),
    requestIds: {
      submissionSet: structure.submissionSet.id as string,
      entries: new Map(
        structure.entries.map((e, i) => [submission.documents[i]?.id.root ?? '', e.id as string]),
      ),
    },
  };
}
