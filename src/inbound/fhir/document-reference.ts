/**
 * FHIR R4 DocumentReference (PDSm comprehensive shape, inline base64
 * attachment) → canonical Submission. Pure: ids, time and configuration are
 * given; every problem is collected with its FHIRPath and reported at once.
 */
import { createHash } from 'node:crypto';
import type { DocumentReference, Patient as FhirPatient } from '@medplum/fhirtypes';
import type { Config } from '../../config/schema.ts';
import { IssueCollector } from '../../errors/catalogue.ts';
import { isOid, systemToOid } from '../../model/code-systems.ts';
import { classCodeForType, isDmpType } from '../../model/document-types.ts';
import { type IdSource, newEntryUUID, newOid, uuidToOid } from '../../model/ids.ts';
import type {
  Code,
  Confidentiality,
  DocumentContent,
  InstanceId,
  Predecessor,
  Submission,
  Visibility,
} from '../../model/types.ts';
import { N1_FORMAT_CODE, OID, VISIBILITY_CODE } from '../../model/vocabulary.ts';
import { readAuthor, readOrganisation } from './author.ts';
import { decodeBase64, readCode, resolveContained, toInstant } from './fhir-values.ts';
import { readPatient } from './patient.ts';

export interface FhirMapContext {
  readonly config: Pick<Config, 'establishment' | 'software' | 'ids'>;
  readonly ids: IdSource;
  readonly now: Date;
  /** Facts about the replaced document, when `relatesTo` says `replaces` (the caller looks them up). */
  readonly predecessor?: {
    readonly setId: InstanceId;
    readonly versionNumber: number;
    readonly entryUUID?: string;
  };
  /** Activity of the submission (submission-set contentTypeCode); default: config. */
  readonly contentType?: Code;
}

/** Default submission-set contentTypeCode when the source gives no activity (volet HL7 v2: "97"). */
export const DEFAULT_CONTENT_TYPE: Code = { code: '97', codeSystem: OID.contentType };

function readId(doc: DocumentReference, ctx: FhirMapContext, issues: IssueCollector): InstanceId {
  const value = doc.masterIdentifier?.value;
  if (!value) return { root: newOid(ctx.ids, ctx.config.ids.oidRoot) };
  if (value.startsWith('urn:oid:') && isOid(value.slice(8))) return { root: value.slice(8) };
  if (value.startsWith('urn:uuid:')) return { root: uuidToOid(value) };
  const oid = systemToOid(doc.masterIdentifier?.system);
  if (oid) return { root: oid, extension: value };
  issues.add(
    'INVALID_INPUT',
    'DocumentReference.masterIdentifier.value',
    'must be urn:oid:<OID> or urn:uuid:<UUID>',
  );
  return { root: newOid(ctx.ids) };
}

function readSecurity(
  doc: DocumentReference,
  issues: IssueCollector,
): { confidentiality: Confidentiality; visibility: Visibility } {
  let confidentiality: Confidentiality = 'N';
  const flags = new Set<string>();
  for (const [i, label] of (doc.securityLabel ?? []).entries()) {
    for (const [j, coding] of (label.coding ?? []).entries()) {
      const path = `DocumentReference.securityLabel[${i}].coding[${j}]`;
      const system = systemToOid(coding.system);
      if (
        (system === OID.hl7Confidentiality || system === OID.treA07Visibility) &&
        ['N', 'R', 'V'].includes(coding.code ?? '')
      ) {
        confidentiality = coding.code as Confidentiality;
      } else if (system === OID.treA07Visibility && coding.code) {
        flags.add(
          coding.code === 'INVISIBLE_REP_LEGAUX'
            ? VISIBILITY_CODE.hiddenFromLegalRepresentatives
            : coding.code,
        );
      } else {
        issues.add('INVALID_INPUT', path, 'expected N/R/V (v3-Confidentiality) or a TRE_A07 visibility code');
      }
    }
  }
  const known = new Set<string>(Object.values(VISIBILITY_CODE));
  for (const flag of flags)
    if (!known.has(flag))
      issues.add('INVALID_INPUT', 'DocumentReference.securityLabel', `unknown visibility code ${flag}`);
  return {
    confidentiality,
    visibility: {
      hiddenFromPatient: flags.has(VISIBILITY_CODE.hiddenFromPatient),
      hiddenFromLegalRepresentatives: flags.has(VISIBILITY_CODE.hiddenFromLegalRepresentatives),
      maskedFromProfessionals: flags.has(VISIBILITY_CODE.maskedFromProfessionals),
    },
  };
}

function readContent(
  doc: DocumentReference,
  issues: IssueCollector,
): { content?: DocumentContent; title?: string; creation?: string } {
  const attachment = doc.content?.[0]?.attachment;
  const path = 'DocumentReference.content[0].attachment';
  if (!attachment) {
    issues.add('INVALID_INPUT', path, 'required');
    return {};
  }
  if ((doc.content?.length ?? 0) > 1)
    issues.add('INVALID_INPUT', 'DocumentReference.content', 'exactly one content is supported');
  const mediaType = attachment.contentType?.split(';')[0]?.trim().toLowerCase();
  if (!mediaType) issues.add('INVALID_INPUT', `${path}.contentType`, 'required');
  if (!attachment.data) issues.add('INVALID_INPUT', `${path}.data`, 'an inline base64 document is required');
  const bytes = attachment.data ? decodeBase64(attachment.data, `${path}.data`, issues) : undefined;
  if (bytes && attachment.size !== undefined && attachment.size !== bytes.length) {
    issues.add(
      'INVALID_INPUT',
      `${path}.size`,
      `is ${attachment.size} but the data has ${bytes.length} bytes`,
    );
  }
  if (bytes && attachment.hash) {
    if (createHash('sha1').update(bytes).digest('base64') !== attachment.hash)
      issues.add('INVALID_INPUT', `${path}.hash`, 'does not match the SHA-1 of the data');
  }
  let content: DocumentContent | undefined;
  if (bytes && mediaType) {
    if (N1_FORMAT_CODE[mediaType]) content = { kind: 'unstructured', mediaType, bytes };
    else if (['text/xml', 'application/xml', 'application/hl7-cda+xml'].includes(mediaType))
      content = { kind: 'cda', bytes };
    else
      issues.add(
        'UNSUPPORTED_CONTENT',
        `${path}.contentType`,
        `${mediaType} is not supported (PDF, text, JPEG, RTF, TIFF or a CDA)`,
      );
  }
  return { content, title: attachment.title, creation: attachment.creation };
}

function readPredecessor(
  doc: DocumentReference,
  ctx: FhirMapContext,
  issues: IssueCollector,
): Predecessor | undefined {
  const index = doc.relatesTo?.findIndex((r) => r.code === 'replaces') ?? -1;
  if (index < 0) return undefined;
  const target = doc.relatesTo?.[index]?.target;
  const path = `DocumentReference.relatesTo[${index}].target`;
  const value = target?.identifier?.value;
  const uniqueId = value?.startsWith('urn:oid:')
    ? value.slice(8)
    : value?.startsWith('urn:uuid:')
      ? uuidToOid(value)
      : undefined;
  if (!uniqueId)
    issues.add(
      'INVALID_INPUT',
      `${path}.identifier.value`,
      'the replaced document uniqueId (urn:oid:...) is required',
    );
  const refId = target?.reference?.match(/^DocumentReference\/([0-9a-f-]{36})$/i)?.[1];
  if (!ctx.predecessor)
    issues.add('INVALID_INPUT', path, 'the replaced document is unknown (its setId and version are needed)');
  if (!uniqueId || !ctx.predecessor) return undefined;
  return {
    uniqueId,
    cdaId: { root: uniqueId },
    entryUUID: ctx.predecessor.entryUUID ?? (refId ? `urn:uuid:${refId}` : undefined),
  };
}

/**
 * Maps a DocumentReference with an inline attachment to a one-document
 * Submission. Throws GatewayError listing every problem with its FHIRPath.
 */
export function documentReferenceToSubmission(input: unknown, ctx: FhirMapContext): Submission {
  const issues = new IssueCollector();
  const doc = input as DocumentReference;
  if (typeof input !== 'object' || input === null || doc.resourceType !== 'DocumentReference') {
    issues.add('INVALID_INPUT', 'DocumentReference.resourceType', 'must be DocumentReference');
    issues.throwIfAny();
  }
  const { establishment, software, ids } = ctx.config;
  const site = { id: `1${establishment.finess}`, name: establishment.name };
  const patientIndex = doc.contained?.findIndex((r) => `#${r.id}` === doc.subject?.reference) ?? -1;
  const patient = readPatient(
    resolveContained<FhirPatient>(doc.contained, doc.subject, ['Patient']),
    `DocumentReference.contained[${patientIndex}]`,
    ids.ippAuthority,
    issues,
  );
  const author = readAuthor(
    doc.contained,
    doc.author,
    { organisation: site, softwareName: software.name, softwareVersion: software.version },
    issues,
  );
  const custodian = readOrganisation(doc.contained, doc.custodian, site);
  const typeCode = readCode(doc.type, 'DocumentReference.type', issues, true);
  const classCode =
    readCode(doc.category?.[0], 'DocumentReference.category[0]', issues, false) ??
    (typeCode && classCodeForType(typeCode));
  if (typeCode && !isDmpType(typeCode)) {
    issues.add(
      'INVALID_INPUT',
      'DocumentReference.type',
      `${typeCode.code} is not a DMP document type (JDV_J66)`,
    );
  } else if (typeCode && classCode && classCode.code !== classCodeForType(typeCode)?.code) {
    issues.add(
      'INVALID_INPUT',
      'DocumentReference.category[0]',
      `class ${classCode.code} does not match type ${typeCode.code} (ASS_X16: ${classCodeForType(typeCode)?.code})`,
    );
  }
  const { content, title, creation } = readContent(doc, issues);
  const { confidentiality, visibility } = readSecurity(doc, issues);
  const id = readId(doc, ctx, issues);
  const replaces = readPredecessor(doc, ctx, issues);
  const format = readCode(doc.content?.[0]?.format, 'DocumentReference.content[0].format', issues, false);
  const ctxPath = 'DocumentReference.context';
  const facilityType =
    readCode(doc.context?.facilityType, `${ctxPath}.facilityType`, issues, false) ??
    establishment.facilityType;
  const practiceSetting =
    readCode(doc.context?.practiceSetting, `${ctxPath}.practiceSetting`, issues, false) ??
    establishment.practiceSetting;
  const eventCodes = (doc.context?.event ?? []).flatMap(
    (e, i) => readCode(e, `${ctxPath}.event[${i}]`, issues, false) ?? [],
  );
  const creationTime =
    toInstant(creation, 'DocumentReference.content[0].attachment.creation', issues) ??
    toInstant(doc.date, 'DocumentReference.date', issues);
  if (!creationTime)
    issues.add('INVALID_INPUT', 'DocumentReference.date', 'required (or content[0].attachment.creation)');
  const docTitle = title ?? doc.description;
  if (!docTitle)
    issues.add('INVALID_INPUT', 'DocumentReference.content[0].attachment.title', 'required (or description)');
  if (content?.kind === 'cda')
    issues.add(
      'UNSUPPORTED_CONTENT',
      'DocumentReference.content[0].attachment.contentType',
      'a ready-made CDA is translated from its own header: use the CDA input',
    );
  issues.throwIfAny();

  const mediaType = content?.kind === 'unstructured' ? content.mediaType : 'application/pdf';
  const formatCode = format ?? {
    code: N1_FORMAT_CODE[mediaType] as string,
    codeSystem: OID.formatCodeScheme,
  };
  return {
    entryUUID: newEntryUUID(ctx.ids),
    uniqueId: newOid(ctx.ids, ids.oidRoot),
    sourceId: ids.sourceId,
    submissionTime: ctx.now.toISOString(),
    contentTypeCode: ctx.contentType ?? DEFAULT_CONTENT_TYPE,
    author,
    patient: patient!,
    documents: [
      {
        id,
        entryUUID: newEntryUUID(ctx.ids),
        setId: ctx.predecessor && replaces ? ctx.predecessor.setId : { root: newOid(ctx.ids, ids.oidRoot) },
        versionNumber: ctx.predecessor && replaces ? ctx.predecessor.versionNumber + 1 : 1,
        title: docTitle as string,
        typeCode: typeCode!,
        classCode: classCode!,
        formatCode,
        healthcareFacilityTypeCode: facilityType,
        practiceSettingCode: practiceSetting,
        confidentiality,
        visibility,
        creationTime: creationTime!,
        serviceStartTime: toInstant(doc.context?.period?.start, `${ctxPath}.period.start`, issues),
        serviceStopTime: toInstant(doc.context?.period?.end, `${ctxPath}.period.end`, issues),
        languageCode: doc.content?.[0]?.attachment?.language ?? 'fr-FR',
        authors: [author],
        custodian,
        eventCodes,
        referenceIds: [],
        content: content!,
        replaces,
      },
    ],
  };
}
