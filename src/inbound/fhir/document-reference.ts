/**
 * FHIR R4 DocumentReference (PDSm comprehensive shape, inline base64
 * attachment) → canonical Submission: the shape of `POST /fhir/DocumentReference`
 * and `dmp-gateway translate`. Pure: ids, time and configuration are given;
 * every problem is collected with its FHIRPath and reported at once. The
 * per-document mapping is shared with IHE MHD ITI-65 (document-entry.ts).
 */
import type { DocumentReference } from '@medplum/fhirtypes';
import type { Config } from '../../config/schema.ts';
import { IssueCollector } from '../../errors/catalogue.ts';
import { type IdSource, newEntryUUID, newOid } from '../../model/ids.ts';
import type { Code, Submission } from '../../model/types.ts';
import { OID } from '../../model/vocabulary.ts';
import { mintIds, type PredecessorFacts, readDocumentEntry } from './document-entry.ts';

export interface FhirMapContext {
  readonly config: Pick<Config, 'establishment' | 'software' | 'ids'> & {
    readonly fhir?: Pick<Config['fhir'], 'creationTimeFrom'>;
  };
  readonly ids: IdSource;
  readonly now: Date;
  /** Facts about the replaced document, when `relatesTo` says `replaces` (the caller looks them up). */
  readonly predecessor?: PredecessorFacts;
  /** Activity of the submission (submission-set contentTypeCode); default: config. */
  readonly contentType?: Code;
}

/** Default submission-set contentTypeCode when the source gives no activity (volet HL7 v2: "97"). */
export const DEFAULT_CONTENT_TYPE: Code = { code: '97', codeSystem: OID.contentType };

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
  const { document, patient, author } = readDocumentEntry(
    doc,
    {
      config: ctx.config,
      ids: ctx.ids,
      predecessor: ctx.predecessor,
      base: 'DocumentReference',
      source: { kind: 'inline' },
      strict: false,
    },
    issues,
  );
  issues.throwIfAny();
  const entryUUID = newEntryUUID(ctx.ids);
  const uniqueId = newOid(ctx.ids, ctx.config.ids.oidRoot);
  return {
    entryUUID,
    uniqueId,
    sourceId: ctx.config.ids.sourceId,
    submissionTime: ctx.now.toISOString(),
    contentTypeCode: ctx.contentType ?? DEFAULT_CONTENT_TYPE,
    author: author!,
    patient: patient!,
    documents: [mintIds(document!, ctx.ids, ctx.config.ids.oidRoot)],
  };
}
