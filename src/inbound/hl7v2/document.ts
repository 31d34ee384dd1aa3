/**
 * Assembly shared by MDM and ORU document messages [VOLET-HL7
 * profils-messages.md, mapping.md "Mapping XDS"]: patient (PID), request
 * (ORC-1 / OBX-11 / event), sender (PRT SB), activity (PV1-2 → submission
 * contentTypeCode, code system 1.2.250.1.213.2.2: I→03, O→07, R→19, E→07,
 * else 97; DOMAIN.md §2), MetaDMPMSS flags, then one Submission per document
 * OBX, or a deletion. Every problem is collected; the caller fails once.
 */
import type { Config } from '../../config/schema.ts';
import type { IssueCollector } from '../../errors/catalogue.ts';
import { type IdSource, newEntryUUID, newOid } from '../../model/ids.ts';
import { own } from '../../model/own.ts';
import type { Author, Code, DocumentEntry, InstanceId, Patient } from '../../model/types.ts';
import { OID, PATIENT_CLASS_CONTENT_TYPE } from '../../model/vocabulary.ts';
import { cdaEntry, readCarriedHeader } from './cda-entry.ts';
import { deletedDocument } from './deletion.ts';
import { all, componentsOf, get, type Hl7Message, one, path, repetitions, type Segment } from './message.ts';
import { type MetaDmp, readMetaDmp } from './metadmp.ts';
import { type PredecessorLookup, unstructuredEntry } from './n1-entry.ts';
import { documentSegments, readDocumentContent } from './obx.ts';
import { readPid } from './pid.ts';
import { readSender } from './prt.ts';
import { type Action, readAction } from './trigger.ts';
import type { Hl7Document, Hl7Header, Hl7Intake } from './types.ts';
import { checkPlain, type LocalTypes, typeCode } from './values.ts';

export interface TranslateContext {
  readonly config: Pick<Config, 'establishment' | 'software' | 'ids'>;
  readonly ids: IdSource;
  readonly now: Date;
  /** Facts about documents the gateway deposited, to number a new version of an unstructured document. */
  readonly predecessor?: PredecessorLookup;
  /** The establishment's mapping of local document types (OBX-3 in the sender's own coding system). */
  readonly localTypes?: LocalTypes;
}

/** What MDM (TXA) or ORU (OBR) says about the document(s), beyond the OBX. */
export interface DocumentFacts {
  /** MDM TXA-12. */
  readonly uniqueId?: { readonly value: InstanceId; readonly path: string };
  /** MDM TXA-13. */
  readonly parentId?: { readonly value: string; readonly path: string };
  readonly creationTime: string;
  readonly serviceStartTime?: string;
}

/** PV1-2 patient class → submission-set contentTypeCode (PV1 and PV1-2 are required by the volet). */
export function contentTypeOf(msg: Hl7Message, issues: IssueCollector): Code {
  const pv1 = one(msg, 'PV1');
  const patientClass = get(msg, pv1, 2);
  if (!pv1) issues.add('HL7_SEGMENT_SEQUENCE', 'PV1', 'the PV1 segment is missing');
  else if (!patientClass)
    issues.add('HL7_REQUIRED_FIELD', path(pv1, 2), 'the patient class (PV1-2) is missing');
  return { code: own(PATIENT_CLASS_CONTENT_TYPE, patientClass) ?? '97', codeSystem: OID.contentType };
}

/** OBX-3 as a type code (a local one through the mapping); OBR-4 must name the same type ("OBX-3 = OBR-4"). */
function obxType(
  msg: Hl7Message,
  obx: Segment,
  issues: IssueCollector,
  localTypes?: LocalTypes,
): Code | undefined {
  const parts = componentsOf(msg, repetitions(msg, obx, 3)[0]);
  const code = typeCode(parts, path(obx, 3), issues, true, localTypes);
  const obr = one(msg, 'OBR');
  const ordered = get(msg, obr, 4);
  if (code && obr && ordered && ordered !== parts[0]) {
    issues.add('INVALID_INPUT', path(obr, 4, 1), 'the document type differs from OBX-3');
  }
  return code;
}

/** Collects the problems of a document OBX when the rest of the message already failed. */
function checkAlone(
  msg: Hl7Message,
  obx: Segment,
  header: boolean,
  ctx: TranslateContext,
  issues: IssueCollector,
): void {
  const content = readDocumentContent(msg, obx, issues);
  obxType(msg, obx, issues, ctx.localTypes);
  if (header && content?.kind === 'cda') readCarriedHeader(content.bytes, obx, issues);
}

interface Common {
  readonly patient: Patient;
  readonly pidSegment: Segment;
  readonly author: Author;
  readonly meta: MetaDmp;
  readonly action: Action;
}

function entryOf(
  msg: Hl7Message,
  obx: Segment,
  common: Common,
  facts: DocumentFacts,
  ctx: TranslateContext,
  issues: IssueCollector,
): DocumentEntry | undefined {
  const content = readDocumentContent(msg, obx, issues);
  const type = obxType(msg, obx, issues, ctx.localTypes);
  if (!content) return undefined;
  const { visibility } = common.meta;
  if (content.kind === 'cda') {
    return cdaEntry(
      content.bytes,
      {
        obx,
        pid: common.pidSegment,
        patient: common.patient,
        visibility,
        action: common.action,
        ids: ctx.ids,
        ...(type && { typeCode: type }),
        ...(facts.uniqueId && { uniqueId: { value: facts.uniqueId.value.root, path: facts.uniqueId.path } }),
        ...(facts.parentId && { parentId: facts.parentId }),
      },
      issues,
    );
  }
  const obr = one(msg, 'OBR');
  const label = get(msg, obx, 3, 2);
  const title =
    label ||
    (obr && checkPlain(get(msg, obr, 4, 2), path(obr, 4, 2), 'the document label', issues)
      ? get(msg, obr, 4, 2)
      : '');
  return unstructuredEntry(
    content,
    {
      obx,
      visibility,
      action: common.action,
      ids: ctx.ids,
      config: ctx.config,
      author: common.author,
      ...(type && { typeCode: type }),
      typePath: path(obx, 3, 1),
      ...(title && { title }),
      ...(facts.uniqueId && { id: facts.uniqueId }),
      ...(facts.parentId && { parentId: facts.parentId }),
      ...(ctx.predecessor && { predecessor: ctx.predecessor }),
      creationTime: facts.creationTime,
      ...(facts.serviceStartTime && { serviceStartTime: facts.serviceStartTime }),
    },
    issues,
  );
}

/**
 * Translates a document message. `maxDocuments`: 1 for MDM ("Le message MDM
 * ne peut transmettre qu'un seul document"), 2 for ORU (an N1 and an N3
 * instance of the same report, "Chaque document possède son propre
 * identifiant": each becomes its own submission).
 */
export function translateDocuments(
  msg: Hl7Message,
  header: Hl7Header,
  facts: DocumentFacts,
  maxDocuments: 1 | 2,
  ctx: TranslateContext,
  issues: IssueCollector,
): Hl7Intake | undefined {
  const pid = readPid(msg, ctx.config, issues);
  const meta = readMetaDmp(msg, issues);
  const documents = documentSegments(msg);
  if (documents.length === 0) {
    issues.add(
      'HL7_SEGMENT_SEQUENCE',
      all(msg, 'OBX').length > 0 ? 'OBX[1]-2' : 'OBX',
      'no document OBX (value type ED)',
    );
  }
  for (const extra of documents.slice(maxDocuments)) {
    issues.add('HL7_CARDINALITY', path(extra, 5), `at most ${maxDocuments} document(s) in this message type`);
  }
  const event = header.messageType.split('^')[1] ?? '';
  const action = readAction(msg, event, documents, issues);
  const author = readSender(msg, ctx.config, meta.flags.toDmp, issues);
  const contentTypeCode = contentTypeOf(msg, issues);
  const kept = documents.slice(0, maxDocuments);
  if (!pid.patient || !pid.segment || !author || !action) {
    for (const obx of kept) checkAlone(msg, obx, action !== 'delete', ctx, issues);
    return undefined;
  }
  const common: Common = { patient: pid.patient, pidSegment: pid.segment, author, meta, action };
  if (action === 'delete') {
    const named = facts.uniqueId && { value: facts.uniqueId.value.root, path: facts.uniqueId.path };
    const pidRef = { segment: pid.segment, ins: pid.patient.ins };
    const ids = kept.map((obx) =>
      deletedDocument(readDocumentContent(msg, obx, issues), obx, pidRef, named, issues),
    );
    const documentUniqueIds = ids.filter((id): id is string => id !== undefined);
    if (documentUniqueIds.length !== kept.length || !documentUniqueIds[0]) return undefined;
    return {
      kind: 'deletion',
      header,
      documentUniqueId: documentUniqueIds[0],
      documentUniqueIds: [...new Set(documentUniqueIds)],
      patient: pid.patient,
      contentTypeCode,
      author,
      flags: meta.flags,
      location: facts.uniqueId?.path ?? `OBX[${kept[0]?.occurrence ?? 1}]`,
    };
  }
  const entries = kept.map((obx) => ({ obx, entry: entryOf(msg, obx, common, facts, ctx, issues) }));
  const [a, b] = entries;
  if (a?.entry && b?.entry && a.entry.id.root === b.entry.id.root) {
    issues.add(
      'INVALID_INPUT',
      path(b.obx, 5, 5),
      'the two instances of the report must have their own document ids',
    );
  }
  if (entries.some((e) => !e.entry)) return undefined;
  const out: Hl7Document[] = entries.map(({ obx, entry }) => ({
    submission: {
      entryUUID: newEntryUUID(ctx.ids),
      uniqueId: newOid(ctx.ids, ctx.config.ids.oidRoot),
      sourceId: ctx.config.ids.sourceId,
      submissionTime: ctx.now.toISOString(),
      contentTypeCode,
      author,
      patient: pid.patient as Patient,
      documents: [entry as DocumentEntry],
    },
    flags: meta.flags,
    location: `OBX[${obx.occurrence}]`,
  }));
  return { kind: 'documents', header, documents: out, message: msg };
}
