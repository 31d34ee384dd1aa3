/**
 * Events about a document (`POST /api/events`): the announcement
 * consultation took place (lifts INVISIBLE_PATIENT: the held release runs
 * now, a document not sent yet goes without the flag), or an event a CME
 * rule waits for (`hold.untilEvent`, e.g. `rcp-validated`). The event is
 * kept (a document arriving later sees it), shown on the document's
 * timeline, and the held submissions waiting for it are promoted. It counts
 * for every version of the document (./chain.ts): kept, and its waiters
 * woken, on the named version and each earlier one.
 */
import { earlierVersions } from './chain.ts';
import type { LifecycleDeps } from './schedule.ts';
import { wakeWaiters } from './wake.ts';

export interface DocumentEvent {
  /** `announcement`, or the name a rule's `untilEvent` uses. */
  readonly type: string;
  /** uniqueId (OID) of the document concerned. */
  readonly documentUniqueId: string;
}

export interface EventResult {
  /** A submission of this gateway holds the document. */
  readonly known: boolean;
  /** Held submissions whose job was promoted. */
  readonly released: readonly string[];
}

export async function receiveEvent(
  deps: LifecycleDeps,
  event: DocumentEvent,
  now = new Date(),
): Promise<EventResult> {
  const versions = await earlierVersions(deps.store, event.documentUniqueId);
  for (const uid of versions) await deps.facts.recordEvent(event.type, uid, now);
  const owner = await deps.store.byDocumentUniqueId(event.documentUniqueId);
  if (owner) await deps.store.appendEvent(owner, { type: 'event', detail: `${event.type} received` }, now);
  const released = new Set<string>();
  for (const uid of versions)
    for (const id of await wakeWaiters(deps, `event:${event.type}`, uid)) released.add(id);
  deps.log.info(
    { event: event.type, known: owner !== undefined, versions: versions.length, released: released.size },
    'event received',
  );
  return { known: owner !== undefined, released: [...released] };
}
