/**
 * An unstructured document (PDF, JPEG, TIFF, RTF, text) carried in a document
 * OBX → DocumentEntry for the CDA N1 wrapper (DOMAIN.md §6). With no CDA
 * header, the metadata comes from the message: type and label from OBX-3
 * (= OBR-4), id from TXA-12 (MDM) or minted, creation time from TXA-6 /
 * OBR-7, author and custodian from the `SB` PRT, facility type and practice
 * setting from the establishment configuration, visibility from MetaDMPMSS.
 */

import { n1FormatCode } from '../../cda/format-codes.ts';
import type { Config } from '../../config/schema.ts';
import type { IssueCollector } from '../../errors/catalogue.ts';
import { classCodeForType, isDmpType } from '../../model/document-types.ts';
import { type IdSource, newEntryUUID, newOid } from '../../model/ids.ts';
import type { Author, Code, DocumentEntry, InstanceId, Visibility } from '../../model/types.ts';
import { path, type Segment } from './message.ts';
import type { Action } from './trigger.ts';

/** Facts about a deposited document the gateway knows (setId and version, to number the next version). */
export interface PredecessorFacts {
  readonly setId: InstanceId;
  readonly versionNumber: number;
  readonly entryUUID?: string;
}

/** Looks up a document the gateway deposited, by uniqueId. */
export type PredecessorLookup = (uniqueId: string) => PredecessorFacts | undefined;

export interface N1EntryContext {
  readonly obx: Segment;
  readonly visibility: Visibility;
  readonly action: Action;
  readonly ids: IdSource;
  readonly config: Pick<Config, 'establishment' | 'ids'>;
  readonly author: Author;
  readonly typeCode?: Code;
  readonly typePath: string;
  /** The document label (OBX-3.2 or OBR-4.2). */
  readonly title?: string;
  /** MDM: TXA-12 and TXA-13. */
  readonly id?: { readonly value: InstanceId; readonly path: string };
  readonly parentId?: { readonly value: string; readonly path: string };
  readonly predecessor?: PredecessorLookup;
  readonly creationTime: string;
  readonly serviceStartTime?: string;
}

function version(ctx: N1EntryContext, issues: IssueCollector) {
  const { ids, config } = ctx;
  if (ctx.action !== 'replace') return { setId: { root: newOid(ids, config.ids.oidRoot) }, versionNumber: 1 };
  if (!ctx.parentId) {
    issues.add(
      'INVALID_INPUT',
      path(ctx.obx, 5, 2),
      'a replacement of an unstructured document must name the replaced document (MDM TXA-13)',
    );
    return undefined;
  }
  const before = ctx.predecessor?.(ctx.parentId.value);
  if (!before) {
    issues.add(
      'INVALID_INPUT',
      ctx.parentId.path,
      'the replaced document is unknown to the gateway: its setId and version are needed to wrap the new version',
    );
    return undefined;
  }
  const parent = ctx.parentId.value;
  return {
    setId: before.setId,
    versionNumber: before.versionNumber + 1,
    replaces: {
      uniqueId: parent,
      cdaId: { root: parent },
      ...(before.entryUUID && { entryUUID: before.entryUUID }),
    },
  };
}

/** The DocumentEntry of an unstructured document, or undefined with issues. */
export function unstructuredEntry(
  content: { readonly mediaType: string; readonly bytes: Uint8Array },
  ctx: N1EntryContext,
  issues: IssueCollector,
): DocumentEntry | undefined {
  const { typeCode, config } = ctx;
  const classCode = typeCode && classCodeForType(typeCode);
  if (typeCode && (!isDmpType(typeCode) || !classCode)) {
    issues.add('INVALID_INPUT', ctx.typePath, `${typeCode.code} is not a DMP document type (JDV_J66)`);
  }
  if (!ctx.title)
    issues.add('HL7_REQUIRED_FIELD', path(ctx.obx, 3, 2), 'the document label (title) is missing');
  if (ctx.id?.value.extension) {
    issues.add('INVALID_INPUT', ctx.id.path, 'the DMP accepts a bare OID as document id (no OID^extension)');
  }
  const formatCode = n1FormatCode(content.mediaType);
  const numbering = version(ctx, issues);
  if (!typeCode || !classCode || !ctx.title || !formatCode || !numbering || ctx.id?.value.extension)
    return undefined;
  return {
    id: ctx.id?.value ?? { root: newOid(ctx.ids, config.ids.oidRoot) },
    entryUUID: newEntryUUID(ctx.ids),
    setId: numbering.setId,
    versionNumber: numbering.versionNumber,
    title: ctx.title,
    typeCode,
    classCode,
    formatCode,
    healthcareFacilityTypeCode: config.establishment.facilityType,
    practiceSettingCode: config.establishment.practiceSetting,
    confidentiality: 'N',
    visibility: ctx.visibility,
    creationTime: ctx.creationTime,
    ...(ctx.serviceStartTime && { serviceStartTime: ctx.serviceStartTime }),
    languageCode: 'fr-FR',
    authors: [ctx.author],
    custodian: ctx.author.organisation,
    eventCodes: [],
    referenceIds: [],
    content: { kind: 'unstructured', mediaType: content.mediaType, bytes: content.bytes },
    ...('replaces' in numbering && { replaces: numbering.replaces }),
  };
}
