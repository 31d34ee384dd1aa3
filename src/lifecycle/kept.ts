/**
 * What the earlier versions of a document say for the sender's next one
 * (DOMAIN.md §4). The sender builds its new version from its own system,
 * which knows nothing of what the gateway did meanwhile, so the flags
 * decided on the gateway's side would be lost with it:
 * - a minor's secrecy from the legal representatives (CSP L1111-5) is about
 *   the document, whatever its version: asked for one version (by the API,
 *   or carried by the sender's flags), it holds for every later version,
 *   until an operator's visibility change leaves it out (an operator's
 *   change states the complete set of flags);
 * - a mask (MASQUE_PS) an operator set holds for the sender's later versions,
 *   until the sender restates the confidentiality itself (HL7
 *   `MODIF_CONF_CODE=Y`): the flags it then sends are its new statement.
 * An announcement release only lifts INVISIBLE_PATIENT (governed by the
 * release logic, not here). The versions are read backwards along the chain
 * (./chain.ts), from the version the new one will replace: the one it names,
 * or the gateway's own later version of it, which it follows
 * (src/queue/ordering-step.ts).
 */
import type { DocumentEntry, Visibility } from '../model/types.ts';
import type { SubmissionStore } from '../store/records.ts';
import { type ChainDeps, earlierVersions, MAX_VERSIONS } from './chain.ts';
import { needsSender } from './replacement.ts';

export interface KeptFlags {
  /** MASQUE_PS set by an operator on an earlier version, not restated by the sender since. */
  readonly masked: boolean;
  /** A minor's secrecy from the legal representatives, asked for an earlier version. */
  readonly secrecy: boolean;
}

export const NOTHING_KEPT: KeptFlags = { masked: false, secrecy: false };

/** One version of the document, as this gateway recorded it. */
export interface VersionFacts {
  /** The sender's version, or the gateway's own: an announcement release, a visibility change. */
  readonly madeBy: 'sender' | 'release' | 'visibility';
  /** The flags it was sent with, when recorded. */
  readonly sent?: Visibility;
  /** A minor's secrecy request recorded for it (API, before its deposit). */
  readonly secrecyRequested: boolean;
  /** The sender restated the confidentiality with it (MODIF_CONF_CODE=Y). */
  readonly confidentialityChange: boolean;
}

/** What holds for the next version after `versions` (oldest first). Pure. */
export function keptFlags(versions: readonly VersionFacts[]): KeptFlags {
  let kept = NOTHING_KEPT;
  let before: Visibility | undefined;
  for (const v of versions) {
    if (v.madeBy === 'visibility' && v.sent)
      kept = {
        // The operator's mask: one the change turned on, or kept on after an earlier operator's; a mask
        // it merely left as the sender had sent it stays the sender's (its next version may lift it).
        masked: v.sent.maskedFromProfessionals && (kept.masked || before?.maskedFromProfessionals !== true),
        secrecy: v.sent.hiddenFromLegalRepresentatives,
      };
    else if (v.madeBy === 'sender')
      kept = {
        masked: kept.masked && !v.confidentialityChange,
        secrecy: kept.secrecy || v.secrecyRequested || v.sent?.hiddenFromLegalRepresentatives === true,
      };
    before = v.sent ?? before;
  }
  return kept;
}

/** What the sender's version `document` keeps: a restated confidentiality drops an operator's mask. */
export function keptForNext(
  before: KeptFlags,
  document: Pick<DocumentEntry, 'confidentialityChange'>,
): KeptFlags {
  return { masked: before.masked && document.confidentialityChange !== true, secrecy: before.secrecy };
}

async function versionFacts(store: SubmissionStore, uniqueId: string): Promise<VersionFacts | undefined> {
  const owner = await store.byDocumentUniqueId(uniqueId);
  const stored = owner ? await store.get(owner) : undefined;
  if (!stored) return undefined;
  const sent = stored.sent?.find((s) => s.uniqueId === uniqueId)?.flags;
  return {
    madeBy: stored.record.lifecycle?.kind ?? 'sender',
    ...(sent && { sent }),
    secrecyRequested: stored.secrecyRequested === true,
    confidentialityChange:
      stored.record.documents.find((d) => d.uniqueId === uniqueId)?.confidentialityChange === true,
  };
}

/**
 * The version a sender's new version of `uniqueId` will replace: that one, or the gateway's own later
 * version of it in the DMP, which the new version follows (src/queue/ordering-step.ts takeOver).
 */
export async function currentVersion(
  deps: ChainDeps,
  uniqueId: string,
  submissionId: string,
): Promise<string> {
  let current = uniqueId;
  for (let hops = 0; hops < MAX_VERSIONS; hops++) {
    const next = await deps.facts.successor(current);
    if (!next || next === submissionId) break;
    const rival = await deps.store.get(next);
    const doc = rival?.record.documents[0];
    if (!(rival?.record.lifecycle && rival.status === 'deposited' && doc)) break;
    current = doc.uniqueId;
  }
  return current;
}

/** What the earlier versions keep for `document`, a sender's version (submission `submissionId`). */
export async function keptFor(
  deps: ChainDeps,
  submissionId: string,
  document: DocumentEntry,
): Promise<KeptFlags> {
  if (!document.replaces) return NOTHING_KEPT;
  // A ready-made CDA does not follow the gateway's version: it replaces the one it names.
  const replaced = needsSender(document)
    ? document.replaces.uniqueId
    : await currentVersion(deps, document.replaces.uniqueId, submissionId);
  const versions: VersionFacts[] = [];
  for (const uid of (await earlierVersions(deps.store, replaced)).reverse()) {
    const facts = await versionFacts(deps.store, uid);
    if (facts) versions.push(facts);
  }
  return keptForNext(keptFlags(versions), document);
}
