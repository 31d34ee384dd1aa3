/**
 * IHE MHD ITI-65 Provide Document Bundle (PDSm 3.1.1 comprehensive) →
 * one canonical Submission holding every document of the SubmissionSet, as
 * XDS does: the whole bundle is one submission set, deposited by one ITI-41
 * that the DMP accepts or refuses as a whole. Validation runs entirely before
 * anything is stored: FHIR R4 structure and the MHD/PDSm profiles
 * (profiles.ts), the bundle's internal references (bundle-parts.ts), then the
 * PDSm prose rules and the mapping of each part. Every problem is reported at
 * once with its FHIRPath (`Bundle.entry[2].resource.content[0].attachment.hash`).
 */
import type { Bundle, BundleEntry, DocumentReference, Resource } from '@medplum/fhirtypes';
import type { Config } from '../../config/schema.ts';
import { IssueCollector } from '../../errors/catalogue.ts';
import { type IdSource, newEntryUUID, newOid } from '../../model/ids.ts';
import type { DocumentEntry, Patient, Submission } from '../../model/types.ts';
import { CDA_MEDIA_TYPES, mediaTypeOf } from './attachment.ts';
import { type BundleParts, readBundleParts } from './bundle-parts.ts';
import { cdaEntry, checkCdaHeader } from './cda-entry.ts';
import { type DraftEntry, mintIds, type PredecessorFacts, readDocumentEntry } from './document-entry.ts';
import { uniqueIdOf } from './fhir-values.ts';
import { statedIdentityStatus } from './patient.ts';
import { profileSnapshot, validateStructure } from './profiles.ts';
import { readSubmissionSet } from './submission-set.ts';

const PDSM = 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/';
export const PROFILE = {
  bundle: `${PDSM}pdsm-comprehensive-provide-document-bundle`,
  submissionSet: `${PDSM}pdsm-submissionset-comprehensive`,
  documentReference: `${PDSM}pdsm-comprehensive-document-reference`,
} as const;

export interface MhdContext {
  readonly config: Pick<Config, 'establishment' | 'software' | 'ids' | 'fhir'>;
  readonly ids: IdSource;
  readonly now: Date;
  /** What the gateway knows of each replaced document, by the entry index of the replacing DocumentReference. */
  readonly predecessors: ReadonlyMap<number, PredecessorFacts>;
}

export interface MhdSubmission {
  readonly submission: Submission;
  readonly parts: BundleParts;
  /** Whether the submission-set uniqueId is the sender's (List.identifier usual), not minted here. */
  readonly senderUniqueId: boolean;
}

/** A document a DocumentReference of the bundle replaces: by reference (`DocumentReference/<id>`) and/or uniqueId. */
export interface ReplacementTarget {
  readonly index: number;
  readonly reference?: string;
  readonly uniqueId?: string;
}

/** The replacement targets to look up before mapping (tolerates any input). */
export function replacementTargets(input: unknown): ReplacementTarget[] {
  const entries = (input as Bundle | undefined)?.entry;
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((entry, index) => {
    const doc = (entry as BundleEntry | undefined)?.resource as DocumentReference | undefined;
    if (doc?.resourceType !== 'DocumentReference' || !Array.isArray(doc.relatesTo)) return [];
    const target = doc.relatesTo.find((r) => r?.code === 'replaces')?.target;
    const reference = typeof target?.reference === 'string' ? target.reference : undefined;
    const uniqueId = uniqueIdOf(target?.identifier?.value);
    return reference || uniqueId ? [{ index, reference, uniqueId }] : [];
  });
}

function structureIssues(bundle: Bundle, entries: readonly BundleEntry[], issues: IssueCollector): void {
  const seen = new Set<string>();
  const add = (found: { path: string; message: string }[]) => {
    for (const { path, message } of found) {
      if (seen.has(`${path}|${message}`)) continue;
      seen.add(`${path}|${message}`);
      issues.add('INVALID_INPUT', path, message);
    }
  };
  add(validateStructure(bundle as Resource, 'Bundle', PROFILE.bundle));
  for (const [i, entry] of entries.entries()) {
    const type = entry?.resource?.resourceType;
    const profile =
      type === 'List'
        ? PROFILE.submissionSet
        : type === 'DocumentReference'
          ? PROFILE.documentReference
          : undefined;
    if (profile) add(validateStructure(entry.resource as Resource, `Bundle.entry[${i}].resource`, profile));
  }
}

/** MHD Comprehensive: sourcePatientInfo and authenticator are contained resources. */
function containedOnly(doc: DocumentReference, base: string, issues: IssueCollector): void {
  const refs = [
    [doc.context?.sourcePatientInfo?.reference, `${base}.context.sourcePatientInfo`],
    [doc.authenticator?.reference, `${base}.authenticator`],
  ] as const;
  for (const [ref, path] of refs)
    if (typeof ref === 'string' && !ref.startsWith('#'))
      issues.add(
        'INVALID_INPUT',
        path,
        'must reference a contained resource (#id): MHD Comprehensive DocumentReference',
      );
}

/** Loads the definitions and builds the profiles' snapshots now (else on the first bundle); throws on a bad profile. */
export function preloadProfiles(): void {
  for (const url of Object.values(PROFILE)) profileSnapshot(url);
}

/** Maps a Provide Document Bundle; throws GatewayError with every problem. */
export function bundleToSubmission(input: unknown, ctx: MhdContext): MhdSubmission {
  const issues = new IssueCollector();
  const bundle = input as Bundle;
  if (
    typeof input !== 'object' ||
    input === null ||
    Array.isArray(input) ||
    bundle.resourceType !== 'Bundle'
  ) {
    issues.add('INVALID_INPUT', 'Bundle.resourceType', 'must be Bundle (an ITI-65 transaction)');
    issues.throwIfAny();
  }
  if (bundle.type !== 'transaction') {
    issues.add('INVALID_INPUT', 'Bundle.type', 'must be transaction (ITI-65)');
    issues.throwIfAny();
  }
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  if (entries.length === 0) issues.add('INVALID_INPUT', 'Bundle.entry', 'required');
  structureIssues(bundle, entries, issues);
  const invalid = new Set(issues.issues.map((i) => i.path.match(/^Bundle\.entry\[(\d+)\]/)?.[1] ?? 'bundle'));
  /**
   * The mapping reads only what the structure validation accepted; on an entry that failed it, a
   * mapper may meet an unexpected shape (a string where an array belongs): its structure issues
   * already say why, so such an exception is dropped. Anywhere else it is a bug and is rethrown.
   */
  const guarded = <T>(entry: number | 'bundle', fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof TypeError && (invalid.has(String(entry)) || invalid.has('bundle')) && !issues.empty)
        return undefined;
      throw err;
    }
  };
  const parts = guarded('bundle', () => readBundleParts(entries, ctx.config.fhir.maxDocuments, issues));
  if (!parts) issues.throwIfAny();
  const { establishment, software } = ctx.config;
  const site = { id: `1${establishment.finess}`, name: establishment.name };
  const defaults = { organisation: site, softwareName: software.name, softwareVersion: software.version };
  const set = parts!.submissionSet;
  const ssBase = `Bundle.entry[${set?.index}].resource`;
  const facts = set
    ? guarded(set.index, () => readSubmissionSet(set.resource, ssBase, defaults, issues))
    : undefined;
  const drafts: DraftEntry[] = [];
  let patient: Patient | undefined;
  for (const part of parts!.documents) {
    guarded(part.index, () => {
      const base = `Bundle.entry[${part.index}].resource`;
      containedOnly(part.resource, base, issues);
      const source = {
        kind: 'binary',
        bytes: part.binary?.bytes,
        path: `Bundle.entry[${part.binary?.index}].resource`,
      } as const;
      const entryCtx = {
        config: ctx.config,
        ids: ctx.ids,
        predecessor: ctx.predecessors.get(part.index),
        base,
        source,
        strict: true,
      };
      const mapped = readDocumentEntry(part.resource, entryCtx, issues);
      if (
        facts?.ins &&
        mapped.ins &&
        (facts.ins.root !== mapped.ins.root || facts.ins.extension !== mapped.ins.extension)
      )
        issues.add(
          'INS_MISMATCH',
          `${base}.subject`,
          `the INS differs from the SubmissionSet's (${ssBase}.subject): one submission set is for one patient`,
        );
      const doc = mapped.document;
      if (doc?.content.kind === 'cda' && part.binary?.bytes) {
        const fromCda = cdaEntry(
          { ...mapped, document: doc },
          part.binary.bytes,
          source.path,
          { ...entryCtx, now: ctx.now, identityStatus: statedIdentityStatus(part.resource, base, issues) },
          issues,
        );
        patient ??= fromCda.patient;
        if (fromCda.document) drafts.push(fromCda.document);
      } else if (doc) {
        patient ??= mapped.patient;
        drafts.push(doc);
      } else if (
        part.binary?.bytes &&
        CDA_MEDIA_TYPES.includes(mediaTypeOf(part.resource.content?.[0]?.attachment?.contentType) ?? '')
      ) {
        checkCdaHeader(part.binary.bytes, source.path, issues); // report the CDA's own problems too
      }
    });
  }
  issues.throwIfAny();
  const entryUUID = newEntryUUID(ctx.ids);
  const uniqueId = facts?.uniqueId ?? newOid(ctx.ids, ctx.config.ids.oidRoot);
  if (!parts || !facts?.contentTypeCode || !facts.author || !patient)
    throw new Error('a bundle without problems has a submission set, its author and activity, and a patient');
  const documents: DocumentEntry[] = drafts.map((d) => mintIds(d, ctx.ids, ctx.config.ids.oidRoot));
  return {
    parts,
    senderUniqueId: facts?.uniqueId !== undefined,
    submission: {
      entryUUID,
      uniqueId,
      sourceId: ctx.config.ids.sourceId,
      submissionTime: ctx.now.toISOString(),
      contentTypeCode: facts.contentTypeCode,
      title: facts.title,
      author: facts.author,
      patient,
      documents,
    },
  };
}
