/**
 * Events follow the version chain of a document. The hospital names the
 * document it knows (its own uniqueId), while the current version in the
 * DMP may be a later one: the gateway's visibility change or release, or
 * the sender's next version. An event is about the document, whatever its
 * version: one received for any version counts for every later version,
 * including one that does not exist yet, and for the earlier versions
 * (so a version still on its way that then fails does not take the event
 * with it).
 *
 * The chain is read backwards from the records of this gateway (each
 * version names the one it replaced when it was sent); an event is recorded, and its waiters
 * are woken, on the named version and every earlier one, while a waiter
 * registers on, and looks at, its own version and every earlier one. So the
 * two meet on the named version whichever comes first.
 */
import type { SubmissionStore } from '../store/records.ts';
import { sentDocument } from '../store/sent-version.ts';
import type { LifecycleFacts, WaitKind } from './facts.ts';

/** Longest chain followed (a document with more versions than this is not expected). */
export const MAX_VERSIONS = 16;

/** `uniqueId`, then the versions it replaces, newest first, as far as this gateway's records tell. */
export async function earlierVersions(store: SubmissionStore, uniqueId: string): Promise<string[]> {
  const chain = [uniqueId];
  for (let current = uniqueId; chain.length < MAX_VERSIONS; ) {
    const owner = await store.byDocumentUniqueId(current);
    const stored = owner ? await store.get(owner) : undefined;
    // The version it replaced in the DMP: a sender's version may have followed the gateway's own.
    const previous = stored && sentDocument(stored, current)?.replaces;
    if (!previous || chain.includes(previous)) break;
    chain.push(previous);
    current = previous;
  }
  return chain;
}

/** The versions of all the given documents (each with its earlier versions), without repeats. */
export async function chainsOf(
  store: SubmissionStore,
  uniqueIds: readonly (string | undefined)[],
): Promise<string[]> {
  const all = new Set<string>();
  for (const uid of uniqueIds) {
    if (uid === undefined || all.has(uid)) continue;
    for (const v of await earlierVersions(store, uid)) all.add(v);
  }
  return [...all];
}

export interface ChainDeps {
  readonly store: SubmissionStore;
  readonly facts: LifecycleFacts;
}

/** Whether `type` was received for any version of the documents, up to their own. */
export async function hasEventOnChain(
  deps: ChainDeps,
  type: string,
  uniqueIds: readonly (string | undefined)[],
): Promise<boolean> {
  return deps.facts.hasEvent(type, await chainsOf(deps.store, uniqueIds));
}

/** Registers `submissionId` as waiting for `kind` on the document and every earlier version of it. */
export async function waitOnChain(
  deps: ChainDeps,
  kind: WaitKind,
  uniqueId: string,
  submissionId: string,
): Promise<void> {
  for (const uid of await earlierVersions(deps.store, uniqueId))
    await deps.facts.addWaiter(kind, uid, submissionId);
}
