/**
 * Submission records in Redis: an immutable description (no patient data),
 * the encrypted canonical submission, a status, and an append-only timeline.
 * Creation is one atomic script that also claims the document identity, so a
 * document posted twice yields one record.
 *
 * Keys (P = configured prefix): `P:sub:{id}` hash (record, payload, status,
 * updatedAt, attempts, jobId, outcome), `P:sub:{id}:events` list,
 * `P:idem:{identity}` → `id|contentHash`, `P:uid:{documentUniqueId}` → id,
 * `P:open` sorted set of records not yet terminal.
 */
import type { Redis } from 'ioredis';
import type { Code, Deletion, InstanceId, Submission } from '../model/types.ts';
import { decodeSubmission, encodeSubmission } from './codec.ts';
import type { PayloadCipher } from './crypto.ts';

export type SubmissionStatus =
  | 'received'
  | 'queued'
  | 'sending'
  | 'retrying'
  | 'deposited'
  | 'deleted'
  | 'skipped'
  | 'rejected'
  | 'failed';
/** Statuses a record does not leave (except by replay). */
export const TERMINAL: ReadonlySet<SubmissionStatus> = new Set([
  'deposited',
  'deleted',
  'skipped',
  'rejected',
  'failed',
]);

export type Source = 'fhir' | 'hl7v2' | 'xds';

/** Where the outcome goes back to (business acknowledgement), when the sender asked for it. */
export interface ReplyChannel {
  readonly channel: 'hl7v2';
  /** Sending application and facility of the original message (MSH-3/MSH-4). */
  readonly sender: { readonly application: string; readonly facility: string };
  /** Receiving application and facility of the original message (MSH-5/MSH-6). */
  readonly receiver: { readonly application: string; readonly facility: string };
  /** MSH-10 of the original message. */
  readonly controlId: string;
  /** MSH-9 of the original message. */
  readonly messageType: string;
  /** Whether a business acknowledgement (ZAM^Z01) is wanted. */
  readonly businessAck: boolean;
}

/** What an operator may see of a submission: identifiers and codes, never patient data. */
export interface SubmissionRecord {
  readonly id: string;
  /** A deposit of documents, or the deletion of a deposited document. */
  readonly kind: 'deposit' | 'deletion';
  readonly source: Source;
  readonly createdAt: string;
  readonly identity: string;
  readonly contentHash: string;
  readonly submissionSet: { readonly uniqueId: string; readonly entryUUID: string };
  readonly documents: readonly {
    readonly uniqueId: string;
    readonly entryUUID: string;
    readonly setId: InstanceId;
    readonly versionNumber: number;
    readonly typeCode: Code;
    readonly replaces?: string;
  }[];
  /** uniqueId of the document a deletion removes. */
  readonly target?: string;
  readonly reply?: ReplyChannel;
}

export interface XdsErrorView {
  readonly errorCode: string;
  readonly codeContext: string;
  readonly location?: string;
}

export interface Outcome {
  readonly reason?: string;
  readonly errors?: readonly XdsErrorView[];
}

export interface TimelineEvent {
  readonly at: string;
  readonly type:
    | 'received'
    | 'queued'
    | 'attempt'
    | 'retry'
    | 'reconciled'
    | 'deposited'
    | 'deleted'
    | 'skipped'
    | 'rejected'
    | 'failed'
    | 'replayed'
    | 'recovered'
    | 'notified';
  readonly attempt?: number;
  readonly outcome?: string;
  readonly detail?: string;
  readonly codes?: readonly string[];
}

export interface StoredSubmission {
  readonly record: SubmissionRecord;
  readonly status: SubmissionStatus;
  readonly updatedAt: string;
  readonly attempts: number;
  readonly jobId?: string;
  readonly outcome?: Outcome;
  readonly timeline: readonly TimelineEvent[];
}

export type CreateResult =
  | { readonly kind: 'created'; readonly id: string }
  | { readonly kind: 'duplicate'; readonly id: string }
  | { readonly kind: 'conflict'; readonly id: string };

// KEYS: idem, sub, events, open, uid. ARGV: id, contentHash, record, payload, event, nowMs, status, nowIso.
const CREATE = `
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2])
redis.call('HSET', KEYS[2], 'record', ARGV[3], 'payload', ARGV[4], 'status', ARGV[7], 'updatedAt', ARGV[8], 'attempts', 0)
redis.call('RPUSH', KEYS[3], ARGV[5])
redis.call('ZADD', KEYS[4], ARGV[6], ARGV[1])
redis.call('SET', KEYS[5], ARGV[1])
return 'created'
`;

// KEYS: sub, events, open. ARGV: status, nowIso, event(optional), outcome(optional), id, terminal(0/1), force(0/1).
// A terminal record only moves again when forced (replay): a late event from a stale worker cannot undo an outcome.
const TRANSITION = `
local current = redis.call('HGET', KEYS[1], 'status')
if not current then return 'missing' end
if (current == 'deposited' or current == 'deleted' or current == 'skipped' or current == 'rejected' or current == 'failed') and ARGV[7] ~= '1' then return current end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'updatedAt', ARGV[2])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'outcome', ARGV[4]) end
if ARGV[3] ~= '' then redis.call('RPUSH', KEYS[2], ARGV[3]) end
if ARGV[6] == '1' then redis.call('ZREM', KEYS[3], ARGV[5]) else redis.call('ZADD', KEYS[3], 'NX', redis.call('TIME')[1] * 1000, ARGV[5]) end
return 'ok'
`;

export class SubmissionStore {
  readonly redis: Redis;
  readonly prefix: string;
  readonly cipher: PayloadCipher;

  constructor(redis: Redis, prefix: string, cipher: PayloadCipher) {
    this.redis = redis;
    this.prefix = prefix;
    this.cipher = cipher;
  }

  private key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  /** Stores record + encrypted payload atomically, unless the identity is already claimed. */
  async create(
    record: SubmissionRecord,
    submission: Submission | Deletion,
    now: Date,
  ): Promise<CreateResult> {
    const payload = this.cipher.encrypt(encodeSubmission(submission), record.id);
    const event: TimelineEvent = { at: now.toISOString(), type: 'received' };
    const uid =
      record.kind === 'deposit' ? (record.documents[0]?.uniqueId ?? record.id) : `deletion:${record.target}`;
    const result = (await this.redis.eval(
      CREATE,
      5,
      this.key('idem', record.identity),
      this.key('sub', record.id),
      this.key('sub', record.id, 'events'),
      this.key('open'),
      this.key('uid', uid),
      record.id,
      record.contentHash,
      JSON.stringify(record),
      payload,
      JSON.stringify(event),
      String(now.getTime()),
      'received',
      now.toISOString(),
    )) as string;
    if (result === 'created') return { kind: 'created', id: record.id };
    const [id, hash] = result.split('|') as [string, string];
    return hash === record.contentHash ? { kind: 'duplicate', id } : { kind: 'conflict', id };
  }

  async get(id: string): Promise<StoredSubmission | undefined> {
    const [fields, events] = await Promise.all([
      this.redis.hmget(this.key('sub', id), 'record', 'status', 'updatedAt', 'attempts', 'jobId', 'outcome'),
      this.redis.lrange(this.key('sub', id, 'events'), 0, -1),
    ]);
    const [record, status, updatedAt, attempts, jobId, outcome] = fields;
    if (!record) return undefined;
    return {
      record: JSON.parse(record) as SubmissionRecord,
      status: status as SubmissionStatus,
      updatedAt: updatedAt ?? '',
      attempts: Number(attempts ?? 0),
      jobId: jobId ?? undefined,
      outcome: outcome ? (JSON.parse(outcome) as Outcome) : undefined,
      timeline: events.map((e) => JSON.parse(e) as TimelineEvent),
    };
  }

  /** The decrypted canonical submission (or deletion request). */
  async payload(id: string): Promise<Submission | Deletion | undefined> {
    const sealed = await this.redis.hgetBuffer(this.key('sub', id), 'payload');
    return sealed ? decodeSubmission(this.cipher.decrypt(sealed, id)) : undefined;
  }

  /** The record that deposited (or is depositing) a document uniqueId. */
  async byDocumentUniqueId(uniqueId: string): Promise<string | undefined> {
    return (await this.redis.get(this.key('uid', uniqueId))) ?? undefined;
  }

  /**
   * Moves a record to `status`, appending `event`. Returns false when the
   * record is already terminal (unless `force`) or missing.
   */
  async transition(
    id: string,
    status: SubmissionStatus,
    event?: Omit<TimelineEvent, 'at'>,
    options: { outcome?: Outcome; force?: boolean; now?: Date } = {},
  ): Promise<boolean> {
    const now = (options.now ?? new Date()).toISOString();
    const result = await this.redis.eval(
      TRANSITION,
      3,
      this.key('sub', id),
      this.key('sub', id, 'events'),
      this.key('open'),
      status,
      now,
      event ? JSON.stringify({ at: now, ...event }) : '',
      options.outcome ? JSON.stringify(options.outcome) : '',
      id,
      TERMINAL.has(status) ? '1' : '0',
      options.force ? '1' : '0',
    );
    return result === 'ok';
  }

  async setJob(id: string, jobId: string): Promise<void> {
    await this.redis.hset(this.key('sub', id), 'jobId', jobId);
  }

  async countAttempt(id: string): Promise<number> {
    return this.redis.hincrby(this.key('sub', id), 'attempts', 1);
  }

  async appendEvent(id: string, event: Omit<TimelineEvent, 'at'>, now = new Date()): Promise<void> {
    await this.redis.rpush(
      this.key('sub', id, 'events'),
      JSON.stringify({ at: now.toISOString(), ...event }),
    );
  }

  /** Ids of records not yet terminal, oldest first. */
  async openIds(limit = 10_000): Promise<string[]> {
    return this.redis.zrange(this.key('open'), '0', String(limit - 1));
  }
}
