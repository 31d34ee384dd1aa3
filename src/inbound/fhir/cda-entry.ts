/**
 * A ready-made CDA R2 document in an ITI-65 bundle (PDSm4DMP: the DMP stores
 * CDA documents; MHD formatCode/mimeType of a CDA). The CDA is deposited byte
 * for byte and its header gives the XDS metadata (cda-document.ts, DOMAIN.md
 * §6); the DocumentReference must agree with it on the document id, type and
 * INS, and adds what a header cannot say (visibility flags, the replaced
 * document's registry id). Problems inside the CDA are reported at the
 * Binary's `data`, with the CDA XPath in the message.
 */
import { readCdaHeader } from '../../cda/header.ts';
import { GatewayError, type IssueCollector } from '../../errors/catalogue.ts';
import type { IdSource } from '../../model/ids.ts';
import type { IdentityStatus, Patient } from '../../model/types.ts';
import { VISIBILITY_CODE } from '../../model/vocabulary.ts';
import { cdaToSubmission } from '../cda/cda-document.ts';
import type { DraftEntry, EntryContext, EntryResult } from './document-entry.ts';

/** The entry of a CDA-bearing DocumentReference: the CDA header's metadata, checked against `mapped`. */
export function cdaEntry(
  mapped: EntryResult & { document: DraftEntry },
  bytes: Uint8Array,
  binaryPath: string,
  ctx: EntryContext & { readonly now: Date; readonly identityStatus?: IdentityStatus },
  issues: IssueCollector,
): { document?: DraftEntry; patient?: Patient } {
  const draft = mapped.document;
  const flags = Object.entries(VISIBILITY_CODE)
    .filter(([key]) => draft.visibility[key as keyof typeof draft.visibility])
    .map(([, code]) => code);
  let header: ReturnType<typeof cdaToSubmission>;
  try {
    header = cdaToSubmission(bytes, {
      config: ctx.config,
      ids: UNUSED_IDS,
      now: ctx.now,
      // The DocumentReference's contained Patient says it; an INS without it is the sender's statement
      // of a qualified identity, as for every FHIR document (./patient.ts).
      identityStatus: ctx.identityStatus ?? 'VALI',
      visibility: flags,
      replacesEntryUUID: draft.replaces?.entryUUID,
    });
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    for (const issue of err.issues)
      issues.add(issue.code, `${binaryPath}.data`, `CDA ${issue.path}: ${issue.message}`);
    return {};
  }
  const cda = header.documents[0]!;
  const base = ctx.base;
  if (cda.id.root !== draft.id.root || cda.id.extension)
    issues.add(
      'INVALID_INPUT',
      `${base}.masterIdentifier.value`,
      'differs from the CDA document id (ClinicalDocument/id)',
    );
  if (cda.typeCode.code !== draft.typeCode.code || cda.typeCode.codeSystem !== draft.typeCode.codeSystem)
    issues.add(
      'INVALID_INPUT',
      `${base}.type`,
      `differs from the CDA document type (ClinicalDocument/code ${cda.typeCode.code})`,
    );
  if (cda.confidentiality !== draft.confidentiality)
    issues.add(
      'INVALID_INPUT',
      `${base}.securityLabel`,
      `differs from the CDA confidentialityCode (${cda.confidentiality})`,
    );
  const ins = mapped.ins;
  if (ins && (ins.root !== header.patient.ins.root || ins.extension !== header.patient.ins.extension))
    issues.add('INS_MISMATCH', `${base}.subject`, 'the INS differs from the one of the CDA recordTarget');
  if (draft.replaces && !cda.replaces)
    issues.add(
      'INVALID_INPUT',
      `${base}.relatesTo`,
      'the CDA has no relatedDocument (RPLC) for this replacement',
    );
  const { entryUUID: _minted, ...rest } = cda;
  return {
    patient: header.patient,
    document: { ...rest, visibility: draft.visibility, replaces: draft.replaces ?? rest.replaces },
  };
}

/** Reports the problems of a CDA header at the Binary's `data` (when the DocumentReference is itself invalid). */
export function checkCdaHeader(bytes: Uint8Array, binaryPath: string, issues: IssueCollector): void {
  try {
    readCdaHeader(bytes);
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    for (const issue of err.issues)
      issues.add(issue.code, `${binaryPath}.data`, `CDA ${issue.path}: ${issue.message}`);
  }
}

/** The CDA reader mints ids the entry does not keep: they must not shift the caller's id sequence. */
const UNUSED_IDS: IdSource = { uuid: () => '00000000-0000-4000-8000-000000000000' };
