/**
 * Events about a document (`POST /api/events`): the announcement
 * consultation took place (lifts INVISIBLE_PATIENT: the held release runs
 * now, a document not sent yet goes without the flag), or an event a CME
 * rule waits for (`hold.untilEvent`, e.g. `rcp-validated`). The event is
 * kept (a document arriving later sees it), shown on the document's
 * timeline, and the held submissions waiting for it are promoted.
 */
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
  await deps.facts.recordEvent(event.type, event.documentUniqueId, now);
  const owner = await deps.store.byDocumentUniqueId(event.documentUniqueId);
  if (owner) await deps.store.appendEvent(owner, { type: 'event', detail: `${event.type} received` }, now);
  const released = await wakeWaiters(deps, `event:${event.type}`, event.documentUniqueId);
  deps.log.info(
    { event: event.type, known: owner !== undefined, released: released.length },
    'event received',
  );
  return { known: owner !== undefined, released };
}
