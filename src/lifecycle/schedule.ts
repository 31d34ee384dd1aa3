/**
 * Creates the gateway's own replacements of a deposited document
 * (./replacement.ts) as submissions of the ordinary pipeline: stored
 * (record tagged `lifecycle`, encrypted payload), then queued. An
 * announcement release is created as soon as the hidden document is
 * deposited and waits as a `held` submission (BullMQ delayed job, survives
 * restarts) until the visibility policy's `releaseAt`, or until the
 * announcement event promotes it. Idempotent: the identity is derived from
 * the document and the flags, so a retried deposit schedules one release.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import type { IdSource } from '../model/ids.ts';
import type { Submission, Visibility } from '../model/types.ts';
import { type DepositQueue, enqueueDeposit } from '../queue/deposit-queue.ts';
import { recordOf, sha256Hex } from '../store/identity.ts';
import type {
  CreateResult,
  LifecycleTag,
  SentVisibility,
  Source,
  SubmissionStore,
} from '../store/records.ts';
import { waitOnChain } from './chain.ts';
import type { LifecycleFacts } from './facts.ts';
import { needsSender, replacementSubmission } from './replacement.ts';

/** What the lifecycle needs besides the store: the queue, the facts, the id source and settings. */
export interface LifecyclePorts {
  readonly queue: DepositQueue;
  readonly facts: LifecycleFacts;
  readonly config: Pick<Config, 'queue' | 'ids'>;
  readonly ids: IdSource;
}

export interface LifecycleDeps extends LifecyclePorts {
  readonly store: SubmissionStore;
  readonly log: Logger;
}

/** The announcement event (`POST /api/events {type: "announcement"}`) that lifts INVISIBLE_PATIENT. */
export const ANNOUNCEMENT = 'announcement';

export function flagsKey(v: Visibility): string {
  return [v.hiddenFromPatient, v.hiddenFromLegalRepresentatives, v.maskedFromProfessionals]
    .map((f) => (f ? '1' : '0'))
    .join('');
}

export interface ReplacementRequest {
  readonly tag: LifecycleTag;
  /** The stored record that deposited the document, and its canonical submission. */
  readonly originalId: string;
  readonly source: Source;
  readonly original: Submission;
  readonly entryUUID: string;
  readonly visibility: Visibility;
  /** Idempotency key and content fingerprint; default: one release per document, one change per flags. */
  readonly identity?: { readonly key: string; readonly contentHash: string };
  /**
   * Take the document's successor slot (src/lifecycle/facts.ts) as soon as the replacement is stored,
   * before it is queued: an operator's change is then either carried out or refused at once, never
   * accepted and later superseded by another version that went first.
   */
  readonly takeOverNow?: boolean;
}

/** Another version (or a deletion) of the document took it over first: the replacement was not queued. */
export interface TakenResult {
  readonly kind: 'taken';
  /** The replacement, stored and ended `cancelled`. */
  readonly id: string;
  /** The submission holding the document's successor slot. */
  readonly by: string;
}

/** Ends a replacement that could not take the document over; it was never queued. */
async function notTaken(deps: LifecycleDeps, id: string, by: string, now: Date): Promise<TakenResult> {
  const reason = `superseded: submission ${by} took over the document first`;
  await deps.store.transition(
    id,
    'cancelled',
    { type: 'cancelled', outcome: reason },
    { outcome: { reason }, now },
  );
  return { kind: 'taken', id, by };
}

/** Stores and queues a replacement; undefined when the document is not in the original submission. */
export async function createReplacement(
  deps: LifecycleDeps,
  request: ReplacementRequest,
  now = new Date(),
): Promise<CreateResult | TakenResult | undefined> {
  const uniqueId = request.tag.replaces;
  const submission = replacementSubmission({
    original: request.original,
    uniqueId,
    entryUUID: request.entryUUID,
    visibility: request.visibility,
    ids: deps.ids,
    oidRoot: deps.config.ids.oidRoot,
    now,
  });
  if (!submission) return undefined;
  const key =
    request.identity?.key ??
    (request.tag.kind === 'release'
      ? `release:${uniqueId}`
      : `visibility:${uniqueId}:${flagsKey(request.visibility)}`);
  const contentHash = request.identity?.contentHash ?? sha256Hex(key);
  const id = deps.ids.uuid();
  const record = {
    ...recordOf(id, request.source, submission, key, contentHash, now),
    lifecycle: request.tag,
  };
  const result = await deps.store.create(record, submission, now);
  if (result.kind !== 'created') return result;
  if (request.takeOverNow) {
    const claim = await deps.facts.claimSuccessor(uniqueId, id);
    if (!claim.ok) return notTaken(deps, id, claim.by, now);
  }
  if (request.tag.kind === 'release') await waitOnChain(deps, `event:${ANNOUNCEMENT}`, uniqueId, id);
  await deps.store.appendEvent(request.originalId, {
    type: 'scheduled',
    detail:
      request.tag.kind === 'release'
        ? `release of ${uniqueId} (submission ${id}) at the announcement, at the latest ${request.tag.holdUntil}`
        : `visibility change of ${uniqueId} (submission ${id})`,
  });
  try {
    await enqueueDeposit(deps.queue, deps.store, deps.config, id, { allowed: ['received'] });
  } catch (err) {
    deps.log.warn({ submission: id, err: (err as Error).message }, 'replacement stored, not queued yet');
  }
  return result;
}

/**
 * After a deposit: one release per document sent with INVISIBLE_PATIENT (the
 * same flags without it, held until its `releaseAt`). A ready-made CDA gets
 * one too, which will tell, when due, that its sender must send the new
 * version. Called before the record is marked deposited, so a crash in
 * between schedules it on the next attempt (idempotent).
 */
export async function scheduleReleases(
  deps: LifecycleDeps,
  deposited: { readonly id: string; readonly source: Source; readonly submission: Submission },
  sent: readonly SentVisibility[],
  now = new Date(),
): Promise<void> {
  for (const s of sent) {
    if (!s.flags.hiddenFromPatient || !s.releaseAt) continue;
    const doc = deposited.submission.documents.find((d) => d.id.root === s.uniqueId);
    if (!doc) continue;
    const result = await createReplacement(
      deps,
      {
        tag: { kind: 'release', replaces: s.uniqueId, holdUntil: s.releaseAt },
        originalId: deposited.id,
        source: deposited.source,
        original: deposited.submission,
        entryUUID: doc.entryUUID,
        visibility: { ...s.flags, hiddenFromPatient: false },
      },
      now,
    );
    if (result?.kind === 'created' && needsSender(doc))
      deps.log.warn(
        { submission: deposited.id, release: result.id, releaseAt: s.releaseAt },
        'hidden ready-made CDA: its sender must send the release before the limit',
      );
  }
}
