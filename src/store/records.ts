/**
 * Submission records in Redis: an immutable description (no patient data),
 * the encrypted canonical submission (kept for a retention period after the
 * outcome), a status, and an append-only timeline. Every change is one
 * atomic script (scripts.ts): creation claims the document identity, so a
 * document posted twice yields one record; status changes cannot undo an
 * outcome; job claims are compare-and-set, so one record has one live job.
 */
import type { Redis } from 'ioredis';
import type { Deletion, Submission } from '../model/types.ts';
import { decodeSubmission, encodeSubmission } from './codec.ts';
import type { PayloadCipher } from './crypto.ts';
import type {
  ClaimResult,
  CreateResult,
  Outcome,
  SentVisibility,
  StoredSubmission,
  SubmissionRecord,
  SubmissionStatus,
  TimelineEvent,
} from './record-types.ts';
import { CLAIM_JOB, CREATE, TRANSITION } from './scripts.ts';

export * from './record-types.ts';

export class SubmissionStore {
  readonly redis: Redis;
  readonly prefix: string;
  readonly cipher: PayloadCipher;
  /** How long a payload (patient data) is kept once its record is terminal. */
  readonly retentionSeconds: number;

  constructor(redis: Redis, prefix: string, cipher: PayloadCipher, retentionSeconds = 30 * 24 * 3600) {
    this.redis = redis;
    this.prefix = prefix;
    this.cipher = cipher;
    this.retentionSeconds = retentionSeconds;
  }

  private key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  /** Stores record + encrypted payload atomically, unless the identity is already claimed. */
  async create(
    record: SubmissionRecord,
    submission: Submission | Deletion,
    now: Date,
    status: 'received' | 'skipped' = 'received',
    event?: Omit<TimelineEvent, 'at'>,
  ): Promise<CreateResult> {
    const payload = this.cipher.encrypt(encodeSubmission(submission), record.id);
    const events: TimelineEvent[] = [{ at: now.toISOString(), type: 'received' }];
    if (event) events.push({ at: now.toISOString(), ...event });
    const uid =
      record.kind === 'deposit' ? (record.documents[0]?.uniqueId ?? record.id) : `deletion:${record.target}`;
    const result = (await this.redis.eval(
      CREATE,
      7,
      this.key('idem', record.identity),
      this.key('sub', record.id),
      this.key('sub', record.id, 'events'),
      this.key('open'),
      this.key('uid', uid),
      this.key('payload', record.id),
      this.key('outbox'),
      record.id,
      record.contentHash,
      JSON.stringify(record),
      payload,
      JSON.stringify(events[0]),
      String(now.getTime()),
      status,
      now.toISOString(),
      String(this.retentionSeconds),
      this.prefix,
      ...record.documents.slice(1).map((d) => d.uniqueId),
    )) as string;
    if (result.startsWith('created')) {
      if (events[1]) await this.redis.rpush(this.key('sub', record.id, 'events'), JSON.stringify(events[1]));
      const supersedes = result.slice('created|'.length);
      return supersedes ? { kind: 'created', id: record.id, supersedes } : { kind: 'created', id: record.id };
    }
    const [id, hash] = result.split('|') as [string, string];
    return hash === record.contentHash ? { kind: 'duplicate', id } : { kind: 'conflict', id };
  }

  async get(id: string): Promise<StoredSubmission | undefined> {
    const [fields, events] = await Promise.all([
      this.redis.hmget(
        this.key('sub', id),
        'record',
        'status',
        'updatedAt',
        'attempts',
        'jobId',
        'outcome',
        'landing',
        'decision',
        'holdUntil',
        'holdReason',
        'secrecy',
        'sent',
      ),
      this.redis.lrange(this.key('sub', id, 'events'), 0, -1),
    ]);
    const [record, status, updatedAt, attempts, jobId, outcome, landing, decision, ...lifecycle] = fields;
    const [holdUntil, holdReason, secrecy, sent] = lifecycle;
    if (!record) return undefined;
    return {
      record: JSON.parse(record) as SubmissionRecord,
      status: status as SubmissionStatus,
      updatedAt: updatedAt ?? '',
      attempts: Number(attempts ?? 0),
      jobId: jobId ?? undefined,
      outcome: outcome ? (JSON.parse(outcome) as Outcome) : undefined,
      mayHaveLanded: landing === '1',
      decision: decision ? (JSON.parse(decision) as unknown) : undefined,
      ...(holdUntil && { holdUntil }),
      ...(holdReason && { holdReason }),
      ...(secrecy === '1' && { secrecyRequested: true }),
      ...(sent && { sent: JSON.parse(sent) as SentVisibility[] }),
      timeline: events.map((e) => JSON.parse(e) as TimelineEvent),
    };
  }

  /** The decrypted canonical submission (or deletion request); undefined once expired. */
  async payload(id: string): Promise<Submission | Deletion | undefined> {
    const sealed = await this.redis.getBuffer(this.key('payload', id));
    return sealed ? decodeSubmission(this.cipher.decrypt(sealed, id)) : undefined;
  }

  /** The record that deposited (or is depositing) a document uniqueId. */
  async byDocumentUniqueId(uniqueId: string): Promise<string | undefined> {
    return (await this.redis.get(this.key('uid', uniqueId))) ?? undefined;
  }

  /**
   * Moves a record to `status`, appending `event`. Returns false when the
   * record is already terminal (unless `force`) or missing. A terminal status
   * puts the record in the outbox and starts the payload's retention period.
   */
  async transition(
    id: string,
    status: SubmissionStatus,
    event?: Omit<TimelineEvent, 'at'>,
    options: { outcome?: Outcome; force?: boolean; now?: Date } = {},
  ): Promise<boolean> {
    const now = options.now ?? new Date();
    const result = await this.redis.eval(
      TRANSITION,
      5,
      this.key('sub', id),
      this.key('sub', id, 'events'),
      this.key('open'),
      this.key('payload', id),
      this.key('outbox'),
      status,
      now.toISOString(),
      event ? JSON.stringify({ at: now.toISOString(), ...event }) : '',
      options.outcome ? JSON.stringify(options.outcome) : '',
      id,
      options.force ? '1' : '0',
      String(now.getTime()),
      String(this.retentionSeconds),
    );
    return result === 'ok';
  }

  /**
   * Gives the record a new job, only if it still has `expectedJobId` and one of the `allowed` statuses;
   * the record becomes `queued` with `event` (`%JOB%` in its detail is the new job id). `%n` in `jobId`
   * is replaced by the incremented `counter` field.
   */
  async claimJob(
    id: string,
    claim: {
      expectedJobId?: string;
      allowed: readonly SubmissionStatus[];
      jobId: string;
      event: Omit<TimelineEvent, 'at'>;
      counter?: 'replays' | 'rescues';
    },
    now = new Date(),
  ): Promise<ClaimResult> {
    const [result, value] = (await this.redis.eval(
      CLAIM_JOB,
      4,
      this.key('sub', id),
      this.key('sub', id, 'events'),
      this.key('open'),
      this.key('payload', id),
      claim.expectedJobId ?? '',
      claim.allowed.join(','),
      claim.jobId,
      JSON.stringify({ at: now.toISOString(), ...claim.event }),
      now.toISOString(),
      String(now.getTime()),
      id,
      claim.counter ?? '',
    )) as [string, string];
    return result === 'ok' ? { ok: true, jobId: value } : { ok: false, reason: `${result}: ${value}` };
  }

  /** Records the feeding decision taken for the record (shown by the status API). */
  async setDecision(id: string, decision: unknown): Promise<void> {
    await this.redis.hset(this.key('sub', id), 'decision', JSON.stringify(decision));
  }

  /** Marks that a request which may reach the DMP is about to be sent. */
  async markLanding(id: string): Promise<void> {
    await this.redis.hset(this.key('sub', id), 'landing', '1');
  }

  /** The DMP answered (or ITI-18 showed the documents absent): nothing is in doubt any more. */
  async clearLanding(id: string): Promise<void> {
    await this.redis.hdel(this.key('sub', id), 'landing');
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

  /** Ids of non-terminal records last changed before `before`, oldest first. */
  async openIds(before: Date, limit = 1000): Promise<string[]> {
    return this.redis.zrangebyscore(
      this.key('open'),
      '-inf',
      String(before.getTime()),
      'LIMIT',
      '0',
      String(limit),
    );
  }

  /** Ids of records whose outcome has not been handed to the notifier yet, oldest first. */
  async outbox(limit = 100): Promise<string[]> {
    return this.redis.zrange(this.key('outbox'), '0', String(limit - 1));
  }

  async outboxDone(id: string): Promise<void> {
    await this.redis.zrem(this.key('outbox'), id);
  }
}
