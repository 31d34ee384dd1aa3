/**
 * One FHIR R4 DocumentReference → one canonical DocumentEntry (+ its patient
 * and author), shared by both FHIR doors: `POST /fhir/DocumentReference`
 * (lenient: inline data, establishment defaults for what is missing) and IHE
 * MHD ITI-65 (`strict`: PDSm 3.1.1 comprehensive metadata, bytes from a
 * Binary, CI-SIS code systems). Pure; problems go to `issues` with the
 * FHIRPath of the element, `base` being the path of the DocumentReference.
 */
import type { Coding, DocumentReference } from '@medplum/fhirtypes';
import type { Config } from '../../config/schema.ts';
import { IssueCollector } from '../../errors/catalogue.ts';
import { classCodeForType, isDmpType } from '../../model/document-types.ts';
import { type IdSource, newEntryUUID, newOid } from '../../model/ids.ts';
import type { Author, Code, DocumentEntry, InstanceId, Patient, Predecessor } from '../../model/types.ts';
import { N1_FORMAT_CODE, OID } from '../../model/vocabulary.ts';
import { type ContentSource, readContent } from './attachment.ts';
import { findOrganisation, readAuthor, readOrganisation } from './author.ts';
import { readCode, readCoding, toInstant, uniqueIdOf } from './fhir-values.ts';
import { readSubject } from './patient.ts';
import { type BoundElement, readBoundCode } from './pdsm-rules.ts';
import { readSecurity } from './security-label.ts';

/** What the gateway knows of a replaced document it submitted (looked up by the caller). */
export interface PredecessorFacts {
  readonly setId: InstanceId;
  readonly versionNumber: number;
  readonly entryUUID?: string;
  /** Its uniqueId, when the reference named it by id only (MHD `DocumentReference/<id>`). */
  readonly uniqueId?: string;
}

export interface EntryContext {
  readonly config: Pick<Config, 'establishment' | 'software' | 'ids'> & {
    readonly fhir?: Pick<Config['fhir'], 'creationTimeFrom'>;
  };
  readonly ids: IdSource;
  readonly predecessor?: PredecessorFacts;
  /** FHIRPath of the DocumentReference (`DocumentReference`, `Bundle.entry[1].resource`). */
  readonly base: string;
  readonly source: ContentSource;
  /** ITI-65 / PDSm: no defaults, contained authors, CI-SIS code systems. */
  readonly strict: boolean;
}

/** A mapped document before the gateway mints its registry ids (see {@link mintIds}). */
export type DraftEntry = Omit<DocumentEntry, 'entryUUID' | 'setId'> & { readonly setId?: InstanceId };

/** Mints the entryUUID, then (for a first version) the setId, in that order. */
export function mintIds(draft: DraftEntry, ids: IdSource, oidRoot: string | undefined): DocumentEntry {
  const entryUUID = newEntryUUID(ids);
  return { ...draft, entryUUID, setId: draft.setId ?? { root: newOid(ids, oidRoot) } };
}

export interface EntryResult {
  /** Complete only when `issues` stayed empty. */
  readonly document?: DraftEntry;
  readonly ins?: InstanceId & { readonly extension: string };
  /** Absent for a ready-made CDA in strict mode: its header has the traits. */
  readonly patient?: Patient;
  readonly author?: Author;
}

function readId(doc: DocumentReference, ctx: EntryContext, issues: IssueCollector): InstanceId {
  const value = doc.masterIdentifier?.value;
  if (!value) {
    if (ctx.strict)
      issues.add('INVALID_INPUT', `${ctx.base}.masterIdentifier`, 'required (the document uniqueId)');
    return { root: newOid(ctx.ids, ctx.config.ids.oidRoot) };
  }
  const oid = uniqueIdOf(value);
  if (oid) return { root: oid };
  const system = doc.masterIdentifier?.system;
  const root = system?.startsWith('urn:oid:') ? system.slice(8) : undefined;
  if (!ctx.strict && root && /^[0-2](\.(0|[1-9]\d*))+$/.test(root)) return { root, extension: value };
  issues.add(
    'INVALID_INPUT',
    `${ctx.base}.masterIdentifier.value`,
    'must be urn:oid:<OID> or urn:uuid:<UUID> (the DMP takes a bare OID as uniqueId)',
  );
  return { root: newOid(ctx.ids) };
}

function readPredecessor(
  doc: DocumentReference,
  ctx: EntryContext,
  issues: IssueCollector,
): Predecessor | undefined {
  const relations = Array.isArray(doc.relatesTo) ? doc.relatesTo : [];
  for (const [i, r] of relations.entries())
    if (r?.code !== 'replaces')
      issues.add(
        'INVALID_INPUT',
        `${ctx.base}.relatesTo[${i}].code`,
        'only replaces is supported by the DMP feed',
      );
  const index = relations.findIndex((r) => r?.code === 'replaces');
  if (index < 0) return undefined;
  const path = `${ctx.base}.relatesTo[${index}].target`;
  const target = relations[index]?.target;
  const uniqueId = uniqueIdOf(target?.identifier?.value) ?? ctx.predecessor?.uniqueId;
  const refId = target?.reference?.match(/^DocumentReference\/([0-9a-f-]{36})$/i)?.[1];
  if (!ctx.predecessor) {
    issues.add(
      'INVALID_INPUT',
      path,
      'the replaced document is unknown to this gateway: it must be a document submitted through it (its setId and version are needed)',
    );
    return undefined;
  }
  if (!uniqueId) {
    issues.add(
      'INVALID_INPUT',
      `${path}.identifier.value`,
      'the replaced document uniqueId (urn:oid:...) is required',
    );
    return undefined;
  }
  return {
    uniqueId,
    cdaId: { root: uniqueId },
    entryUUID: ctx.predecessor.entryUUID ?? (refId ? `urn:uuid:${refId}` : undefined),
  };
}

/** A coded element: bound to the CI-SIS systems when strict, any known system otherwise. */
function code(
  ctx: EntryContext,
  issues: IssueCollector,
  concept: Parameters<typeof readCode>[0],
  suffix: string,
  element: BoundElement,
  required: boolean,
): Code | undefined {
  const path = `${ctx.base}.${suffix}`;
  return ctx.strict
    ? readBoundCode(concept, path, element, issues)
    : readCode(concept, path, issues, required);
}

/** content.format (a Coding) from any known system; problems at the Coding's own elements. */
function lenientFormat(format: Coding, path: string, issues: IssueCollector): Code | undefined {
  const code = readCoding([format], path, new IssueCollector());
  if (!code)
    issues.add(
      'INVALID_INPUT',
      format.code ? `${path}.system` : `${path}.code`,
      format.code ? 'unknown code system: give an OID (urn:oid:...) or a known URI' : 'required',
    );
  return code;
}

/**
 * XDS creationTime from the element the `fhir.creationTimeFrom` setting names. Lenient: falls back
 * to the other one. Strict: both are required by the profiles (attachment.creation by MHD
 * Comprehensive, date by PDSm), so an absence is already reported by the structure validation.
 */
function creationTime(
  doc: DocumentReference,
  ctx: EntryContext,
  creation: string | undefined,
  issues: IssueCollector,
): string | undefined {
  const fromDate = ctx.config.fhir?.creationTimeFrom === 'date';
  const byCreation = { value: creation, path: `${ctx.base}.content[0].attachment.creation` };
  const byDate = { value: doc.date, path: `${ctx.base}.date` };
  const [primary, fallback] = fromDate ? [byDate, byCreation] : [byCreation, byDate];
  if (primary.value !== undefined) return toInstant(primary.value, primary.path, issues);
  if (ctx.strict) return undefined;
  if (fallback.value !== undefined) return toInstant(fallback.value, fallback.path, issues);
  issues.add('INVALID_INPUT', primary.path, `required (or ${fallback.path})`);
  return undefined;
}

export function readDocumentEntry(
  doc: DocumentReference,
  ctx: EntryContext,
  issues: IssueCollector,
): EntryResult {
  const { base, strict } = ctx;
  const { establishment, software, ids } = ctx.config;
  const site = { id: `1${establishment.finess}`, name: establishment.name };
  const read = readContent(doc, base, ctx.source, issues);
  const cda = read.content?.kind === 'cda';
  // A ready-made CDA carries the identity traits in its header (cda-entry.ts): only the INS is needed here.
  const { ins, patient } = readSubject(doc, base, ids.ippAuthority, issues, !(strict && cda));
  const authorRefs = (Array.isArray(doc.author) ? doc.author : []).map((ref, i) => ({
    ref,
    path: `${base}.author[${i}]`,
  }));
  const defaults = { organisation: site, softwareName: software.name, softwareVersion: software.version };
  const author = readAuthor(doc.contained, authorRefs, defaults, issues, { strict, base });
  const custodian = strict
    ? findOrganisation(doc.contained, doc.custodian)
    : readOrganisation(doc.contained, doc.custodian, site);
  if (strict && doc.custodian && !custodian)
    issues.add(
      'INVALID_INPUT',
      `${base}.custodian`,
      'must designate an organisation by its national structure id (urn:oid:1.2.250.1.71.4.2.2): a contained Organization (#id) or an identifier',
    );
  if ((strict || doc.status !== undefined) && doc.status !== 'current')
    issues.add('INVALID_INPUT', `${base}.status`, 'must be current for a document being published');
  const typeCode = code(ctx, issues, doc.type, 'type', 'type', true);
  const category = Array.isArray(doc.category) ? doc.category[0] : undefined;
  const classCode =
    code(ctx, issues, category, 'category[0]', 'category', false) ?? (typeCode && classCodeForType(typeCode));
  if (typeCode && !isDmpType(typeCode)) {
    issues.add('INVALID_INPUT', `${base}.type`, `${typeCode.code} is not a DMP document type (JDV_J66)`);
  } else if (typeCode && classCode && classCode.code !== classCodeForType(typeCode)?.code) {
    issues.add(
      'INVALID_INPUT',
      `${base}.category[0]`,
      `class ${classCode.code} does not match type ${typeCode.code} (ASS_X16: ${classCodeForType(typeCode)?.code})`,
    );
  }
  const { content, title, creation, mediaType } = read;
  const { confidentiality, visibility } = readSecurity(doc, base, issues, strict);
  const id = readId(doc, ctx, issues);
  const replaces = readPredecessor(doc, ctx, issues);
  // content.format is a Coding (R4), not a CodeableConcept.
  const rawFormat = Array.isArray(doc.content) ? doc.content[0]?.format : undefined;
  const formatPath = `${base}.content[0].format`;
  const format = !rawFormat
    ? undefined
    : strict
      ? readBoundCode({ coding: [rawFormat] }, formatPath, 'format', issues, true)
      : lenientFormat(rawFormat, formatPath, issues);
  const context = doc.context;
  const facilityType =
    code(ctx, issues, context?.facilityType, 'context.facilityType', 'facilityType', false) ??
    (strict ? undefined : establishment.facilityType);
  const practiceSetting =
    code(ctx, issues, context?.practiceSetting, 'context.practiceSetting', 'practiceSetting', false) ??
    (strict ? undefined : establishment.practiceSetting);
  const eventCodes = (Array.isArray(context?.event) ? context.event : []).flatMap(
    (e, i) => readCode(e, `${base}.context.event[${i}]`, issues, false) ?? [],
  );
  const created = creationTime(doc, ctx, creation, issues);
  const docTitle = title ?? (strict ? undefined : doc.description);
  if (!docTitle && !strict)
    issues.add('INVALID_INPUT', `${base}.content[0].attachment.title`, 'required (or description)');
  if (content?.kind === 'cda' && !strict)
    issues.add(
      'UNSUPPORTED_CONTENT',
      `${base}.content[0].attachment.contentType`,
      'a ready-made CDA is translated from its own header: use the CDA input',
    );
  if (
    !issues.empty ||
    (!patient && !(strict && cda)) ||
    !author ||
    !typeCode ||
    !classCode ||
    !content ||
    !created
  )
    return { ins, patient, author };
  const unstructured = content.kind === 'unstructured' ? content.mediaType : (mediaType ?? 'application/pdf');
  return {
    ins,
    patient,
    author,
    document: {
      id,
      setId: replaces && ctx.predecessor ? ctx.predecessor.setId : undefined,
      versionNumber: replaces && ctx.predecessor ? ctx.predecessor.versionNumber + 1 : 1,
      title: docTitle as string,
      typeCode,
      classCode,
      formatCode: format ?? {
        code: N1_FORMAT_CODE[unstructured] as string,
        codeSystem: OID.formatCodeScheme,
      },
      healthcareFacilityTypeCode: facilityType ?? establishment.facilityType,
      practiceSettingCode: practiceSetting ?? establishment.practiceSetting,
      confidentiality,
      visibility,
      creationTime: created,
      serviceStartTime: toInstant(context?.period?.start, `${base}.context.period.start`, issues),
      serviceStopTime: toInstant(context?.period?.end, `${base}.context.period.end`, issues),
      languageCode: doc.content?.[0]?.attachment?.language ?? 'fr-FR',
      authors: [author],
      custodian: custodian ?? site,
      eventCodes,
      referenceIds: [],
      content,
      replaces,
    },
  };
}
