/**
 * The body of an ITI-41 Provide and Register Document Set-b request as the
 * DMP expects it (IHE ITI TF-2b §3.41.4.1.2; DOMAIN.md §2): the submission
 * set, one DocumentEntry per CDA document, the XAdES signature entry, their
 * associations, then one `xds:Document` per entry carrying the bytes, by
 * MTOM/XOP reference (`xop:Include href="cid:…"`, ITI TF-2x Appendix V) or
 * inline in base64.
 */
import type { DocumentEntry, Submission } from '../model/types.ts';
import { NS } from '../model/vocabulary.ts';
import { el, type XmlElement } from '../xml/tree.ts';
import { hasMember, replacement, signs } from './associations.ts';
import { buildDocumentEntry } from './document-entry.ts';
import { idMinter } from './ebrim-parts.ts';
import { buildSignatureEntry, type SignatureDocument } from './signature-entry.ts';
import { buildSubmissionSet } from './submission-set.ts';

export type { SignatureDocument } from './signature-entry.ts';

/** One CDA document of the deposit: its entry and the exact bytes sent. */
export interface DepositDocument {
  readonly entry: DocumentEntry;
  /** The exact CDA bytes sent (hash and size are computed from them). */
  readonly bytes: Uint8Array;
  /** MIME part Content-ID (without `cid:` and angle brackets). */
  readonly contentId: string;
}

export interface ProvideAndRegisterInput {
  readonly submission: Submission;
  readonly documents: readonly DepositDocument[];
  readonly signature: SignatureDocument;
}

export interface ProvideAndRegisterOptions {
  /** Put the bytes inline in base64 instead of `xop:Include` references (non-MTOM uses). */
  readonly inline?: boolean;
}

/**
 * Builds `xds:ProvideAndRegisterDocumentSetRequest`. Throws when there is no
 * document, when a CDA id has an extension (INVALID_INPUT), or when a
 * replacement does not know its predecessor's entryUUID.
 */
export function buildProvideAndRegister(
  input: ProvideAndRegisterInput,
  options: ProvideAndRegisterOptions = {},
): XmlElement {
  const { submission, documents, signature } = input;
  const first = documents[0];
  if (!first) throw new Error('an ITI-41 deposit needs at least one document');
  const ids = idMinter();
  const ssId = submission.entryUUID;
  const registryObjects = [
    ...buildSubmissionSet(ids, submission),
    ...documents.map((d) => buildDocumentEntry(ids, d.entry, submission.patient, d.bytes)),
    buildSignatureEntry(ids, submission, first.entry, signature),
    ...documents.map((d) => hasMember(ids, ssId, d.entry.entryUUID)),
    hasMember(ids, ssId, signature.entryUUID),
    signs(ids, signature.entryUUID, ssId),
    ...documents.map((d) => replacement(ids, d.entry)),
  ];
  const parts = [
    ...documents.map((d) => ({ id: d.entry.entryUUID, ...d })),
    { id: signature.entryUUID, ...signature },
  ];
  return el(
    'xds:ProvideAndRegisterDocumentSetRequest',
    { 'xmlns:xds': NS.xds, 'xmlns:lcm': NS.lcm, 'xmlns:rim': NS.rim },
    el('lcm:SubmitObjectsRequest', {}, el('rim:RegistryObjectList', {}, registryObjects)),
    parts.map((p) => documentPart(p.id, p.bytes, p.contentId, options.inline === true)),
  );
}

function documentPart(id: string, bytes: Uint8Array, contentId: string, inline: boolean): XmlElement {
  if (inline) return el('xds:Document', { id }, Buffer.from(bytes).toString('base64'));
  return el('xds:Document', { id }, el('xop:Include', { 'xmlns:xop': NS.xop, href: `cid:${contentId}` }));
}
