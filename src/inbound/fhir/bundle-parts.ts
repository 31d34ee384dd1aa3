/**
 * The parts of an IHE MHD ITI-65 Provide Document Bundle (MHD 4.2
 * §2:3.65.4.1.2, IHE.MHD.Minimal.ProvideBundle slices; PDSm 3.1.1
 * PDSm_ComprehensiveProvideDocumentBundle): one SubmissionSet List, one or
 * more DocumentReferences, their Binaries, and PATCH Parameters that mark a
 * replaced DocumentReference superseded (IHE.MHD.Patch.Parameters). Checks
 * what ties them together: fullUrls, request methods, List.entry ↔
 * DocumentReferences, attachment.url ↔ Binaries, PATCH ↔ relatesTo.
 */
import type { Binary, BundleEntry, DocumentReference, List, Parameters } from '@medplum/fhirtypes';
import type { IssueCollector } from '../../errors/catalogue.ts';
import { mediaTypeOf } from './attachment.ts';
import { decodeBase64 } from './fhir-values.ts';

const FULL_URL = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type EntryRole = 'submissionSet' | 'document' | 'binary' | 'patch';

export interface DocumentPart {
  readonly index: number;
  readonly resource: DocumentReference;
  /** The Binary this document's attachment.url points to, decoded. */
  readonly binary?: { readonly index: number; readonly bytes?: Uint8Array };
}

export interface BundleParts {
  /** Role of each entry, in request order (undefined for an entry that is not usable). */
  readonly roles: readonly (EntryRole | undefined)[];
  readonly submissionSet?: { readonly index: number; readonly resource: List };
  readonly documents: readonly DocumentPart[];
  /** PATCH entries: their index and target (`DocumentReference/<id>`). */
  readonly patches: readonly { readonly index: number; readonly target: string }[];
}

const at = (i: number) => `Bundle.entry[${i}]`;

function roleOf(entry: BundleEntry, i: number, issues: IssueCollector): EntryRole | undefined {
  const resource = entry.resource;
  const type = resource?.resourceType;
  const method = entry.request?.method;
  const expect = (m: string, url: string | RegExp) => {
    if (method !== m) issues.add('INVALID_INPUT', `${at(i)}.request.method`, `must be ${m} for a ${type}`);
    const ok = typeof url === 'string' ? entry.request?.url === url : url.test(entry.request?.url ?? '');
    if (!ok)
      issues.add(
        'INVALID_INPUT',
        `${at(i)}.request.url`,
        `must be ${typeof url === 'string' ? url : 'DocumentReference/<id>'}`,
      );
  };
  if (type === 'List') {
    const list = resource as List;
    const code = list.code?.coding?.find(
      (c) => c?.system === 'https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes',
    )?.code;
    if (code === 'folder') {
      issues.add(
        'INVALID_INPUT',
        `${at(i)}.resource`,
        'Folders are not supported: the DMP feed (TD2.1) has no folders',
      );
      return undefined;
    }
    expect('POST', 'List');
    return 'submissionSet';
  }
  if (type === 'DocumentReference' || type === 'Binary') {
    expect('POST', type);
    return type === 'Binary' ? 'binary' : 'document';
  }
  if (type === 'Parameters' && method === 'PATCH') {
    expect('PATCH', /^DocumentReference\/[A-Za-z0-9\-.]{1,64}$/);
    return 'patch';
  }
  issues.add(
    'INVALID_INPUT',
    `${at(i)}.resource`,
    type === 'Patient'
      ? 'a Patient entry is not allowed (PDSm: entry[Patient] 0..0); the INS goes in subject'
      : `${type ?? 'an entry without a resource'} is not part of a Provide Document Bundle`,
  );
  return undefined;
}

/** IHE.MHD.Patch.Parameters: operation replace DocumentReference.status → superseded. */
function checkPatch(params: Parameters, i: number, issues: IssueCollector): void {
  const op = params.parameter?.find((p) => p?.name === 'operation');
  const part = (name: string) => op?.part?.find((p) => p?.name === name);
  const ok =
    part('type')?.valueCode === 'replace' &&
    part('path')?.valueString === 'DocumentReference.status' &&
    part('value')?.valueCode === 'superseded';
  if (!ok)
    issues.add(
      'INVALID_INPUT',
      `${at(i)}.resource.parameter`,
      'only the MHD patch that sets DocumentReference.status to superseded is supported (IHE.MHD.Patch.Parameters)',
    );
}

/** Splits the bundle and checks the references between its parts. */
export function readBundleParts(
  entries: readonly BundleEntry[],
  maxDocuments: number,
  issues: IssueCollector,
): BundleParts {
  const byFullUrl = new Map<string, number>();
  const roles = entries.map((entry, i) => {
    if (!entry || typeof entry !== 'object' || !entry.resource || typeof entry.resource !== 'object') {
      issues.add('INVALID_INPUT', `${at(i)}.resource`, 'required');
      return undefined;
    }
    const role = roleOf(entry, i, issues);
    if (role && role !== 'patch') {
      if (typeof entry.fullUrl !== 'string' || !FULL_URL.test(entry.fullUrl))
        issues.add(
          'INVALID_INPUT',
          `${at(i)}.fullUrl`,
          'must be urn:uuid:<UUID> for a resource being created',
        );
      else if (byFullUrl.has(entry.fullUrl))
        issues.add(
          'INVALID_INPUT',
          `${at(i)}.fullUrl`,
          `duplicates Bundle.entry[${byFullUrl.get(entry.fullUrl)}].fullUrl`,
        );
      else byFullUrl.set(entry.fullUrl, i);
    }
    return role;
  });
  const sets = roles.flatMap((r, i) => (r === 'submissionSet' ? [i] : []));
  if (sets.length !== 1)
    issues.add(
      'INVALID_INPUT',
      'Bundle.entry',
      `exactly one SubmissionSet List is required (found ${sets.length})`,
    );
  const listIndex = sets[0];
  const list = listIndex === undefined ? undefined : (entries[listIndex]?.resource as List);
  const listed = new Set<string>();
  for (const [k, item] of (Array.isArray(list?.entry) ? list.entry : []).entries()) {
    const ref = item?.item?.reference;
    const target = ref ? byFullUrl.get(ref) : undefined;
    if (target === undefined || roles[target] !== 'document')
      issues.add(
        'INVALID_INPUT',
        `${at(listIndex as number)}.resource.entry[${k}].item`,
        'must reference a DocumentReference of the bundle by its fullUrl',
      );
    else listed.add(ref as string);
  }
  const used = new Map<number, number>();
  const documents: DocumentPart[] = [];
  for (const [i, role] of roles.entries()) {
    if (role !== 'document') continue;
    const entry = entries[i] as BundleEntry;
    const doc = entry.resource as DocumentReference;
    if (list && !listed.has(entry.fullUrl ?? ''))
      issues.add(
        'INVALID_INPUT',
        `${at(i)}.fullUrl`,
        'this DocumentReference is not in the SubmissionSet (List.entry)',
      );
    const url = Array.isArray(doc.content) ? doc.content[0]?.attachment?.url : undefined;
    const b = url ? byFullUrl.get(url) : undefined;
    if (b === undefined || roles[b] !== 'binary') {
      issues.add(
        'INVALID_INPUT',
        `${at(i)}.resource.content[0].attachment.url`,
        'must be the fullUrl of a Binary of the bundle',
      );
      documents.push({ index: i, resource: doc });
      continue;
    }
    if (used.has(b))
      issues.add(
        'INVALID_INPUT',
        `${at(i)}.resource.content[0].attachment.url`,
        `Bundle.entry[${b}] is already the document of Bundle.entry[${used.get(b)}]`,
      );
    used.set(b, i);
    const binary = entries[b]?.resource as Binary;
    const type = mediaTypeOf(doc.content[0]?.attachment?.contentType);
    if (mediaTypeOf(binary.contentType) !== type)
      issues.add(
        'INVALID_INPUT',
        `${at(b)}.resource.contentType`,
        `must be the attachment contentType of Bundle.entry[${i}] (${type ?? 'none'})`,
      );
    const bytes =
      typeof binary.data === 'string'
        ? decodeBase64(binary.data, `${at(b)}.resource.data`, issues)
        : undefined;
    if (typeof binary.data !== 'string')
      issues.add('INVALID_INPUT', `${at(b)}.resource.data`, 'the document (base64) is required');
    documents.push({ index: i, resource: doc, binary: { index: b, bytes } });
  }
  for (const [b, role] of roles.entries())
    if (role === 'binary' && !used.has(b))
      issues.add(
        'INVALID_INPUT',
        `${at(b)}.resource`,
        'no DocumentReference of the bundle points to this Binary',
      );
  if (documents.length === 0)
    issues.add('INVALID_INPUT', 'Bundle.entry', 'at least one DocumentReference is required');
  if (documents.length > maxDocuments)
    issues.add('INVALID_INPUT', 'Bundle.entry', `at most ${maxDocuments} DocumentReferences per bundle`);
  const replaced = new Set(
    documents.flatMap((d) =>
      (Array.isArray(d.resource.relatesTo) ? d.resource.relatesTo : []).map((r) => r?.target?.reference),
    ),
  );
  const patches = roles.flatMap((role, i) => {
    if (role !== 'patch') return [];
    const target = entries[i]?.request?.url ?? '';
    checkPatch(entries[i]?.resource as Parameters, i, issues);
    if (!replaced.has(target))
      issues.add(
        'INVALID_INPUT',
        `${at(i)}.request.url`,
        'a PATCH may only mark superseded a document that a DocumentReference of the bundle replaces (relatesTo)',
      );
    return [{ index: i, target }];
  });
  return {
    roles,
    submissionSet: list && listIndex !== undefined ? { index: listIndex, resource: list } : undefined,
    documents,
    patches,
  };
}
