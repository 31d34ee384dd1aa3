/**
 * Accepting a translated submission, whatever door it came through: store it
 * durably (record + encrypted payload, identity claimed atomically), then
 * queue it. The sender is acknowledged only after this returns. If queueing
 * fails after the store succeeded, the record stays `received` and
 * reconciliation queues it; the document is never lost.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import type { RecordedMapping } from '../mappings/submission.ts';
import type { Deletion, Submission } from '../model/types.ts';
import { type DepositQueue, enqueueDeposit } from '../queue/deposit-queue.ts';
import { recordOf } from '../store/identity.ts';
import type { CreateResult, ReplyChannel, Source, SubmissionStore } from '../store/records.ts';
import type { MappingSource } from './mapping.ts';

export interface IntakeDeps {
  readonly store: SubmissionStore;
  readonly queue: DepositQueue;
  readonly config: Pick<Config, 'queue'>;
  readonly log: Logger;
  /** The `mappings/` folder in use, for the doors that map (./mapping.ts); none: documents keep their codes. */
  readonly mappings?: MappingSource;
  /** Index of deposited documents by patient and id (ITI-67 search), written for every door. */
  readonly index?: { add(recordId: string, submission: Submission, createdAt: Date): Promise<void> };
}

export interface Inbound {
  readonly source: Source;
  readonly submission: Submission | Deletion;
  /** Stable identity of the document at its source (e.g. `fhir:<document OID>`). */
  readonly identity: string;
  /** Fingerprint of the received content. */
  readonly contentHash: string;
  /** Where the outcome goes back to, when the sender wants a business acknowledgement. */
  readonly reply?: ReplyChannel;
  /** Stored but not sent to the DMP (e.g. HL7 DESTDMP=N), with the reason. */
  readonly skip?: string;
  /** The mapping applied at intake and the facts the feeding rules match on (./mapping.ts). */
  readonly mapping?: RecordedMapping;
}

export async function acceptSubmission(
  deps: IntakeDeps,
  inbound: Inbound,
  now = new Date(),
): Promise<CreateResult> {
  const id = randomUUID();
  const record = recordOf(
    id,
    inbound.source,
    inbound.submission,
    inbound.identity,
    inbound.contentHash,
    now,
    inbound.reply,
    inbound.mapping,
  );
  const result = inbound.skip
    ? await deps.store.create(record, inbound.submission, now, 'skipped', {
        type: 'skipped',
        outcome: inbound.skip,
      })
    : await deps.store.create(record, inbound.submission, now);
  deps.log.info(
    { submission: result.id, source: inbound.source, result: result.kind },
    'submission received',
  );
  if (result.kind === 'created' && !inbound.skip) await queue(deps, id, { allowed: ['received'] });
  if (result.kind === 'duplicate') await reopen(deps, result.id);
  await index(deps, inbound, result, now);
  return result;
}

async function queue(
  deps: IntakeDeps,
  id: string,
  claim: Parameters<typeof enqueueDeposit>[4],
): Promise<void> {
  try {
    await enqueueDeposit(deps.queue, deps.store, deps.config, id, claim);
  } catch (err) {
    deps.log.warn(
      { submission: id, err: (err as Error).message },
      'stored but not queued yet; reconciliation will queue it',
    );
  }
}

/**
 * The same document sent again after it ended rejected or failed: the sender wants it done, so it is
 * replayed (a new job; compare-and-set, so concurrent resends replay it once).
 */
async function reopen(deps: IntakeDeps, id: string): Promise<void> {
  const stored = await deps.store.get(id);
  if (!stored || (stored.status !== 'rejected' && stored.status !== 'failed')) return;
  if (!(await deps.store.payload(id))) return; // retention over: nothing left to send
  await queue(deps, id, {
    expectedJobId: stored.jobId,
    allowed: ['failed', 'rejected'],
    jobId: `${id}-r%n`,
    event: 'replayed',
    counter: 'replays',
  });
}

/**
 * ITI-67 index, best effort: the submission is stored and queued already, so a failed index write must not
 * tell the sender it was not accepted. A resend rewrites it (from what was stored).
 */
async function index(deps: IntakeDeps, inbound: Inbound, result: CreateResult, now: Date): Promise<void> {
  if (!deps.index || result.kind === 'conflict') return;
  try {
    const indexed = result.kind === 'created' ? inbound.submission : await deps.store.payload(result.id);
    if (indexed && !('kind' in indexed)) await deps.index.add(result.id, indexed, now);
  } catch (err) {
    deps.log.warn(
      { submission: result.id, err: (err as Error).message },
      'not indexed for ITI-67 yet; a resend indexes it',
    );
  }
}
