/**
 * Lifecycle facts in Redis, keyed by document uniqueId (an OID, never patient
 * data): events received for a document (`announcement`, a rule's
 * `untilEvent`), the submissions waiting for an event or for a predecessor
 * to settle, and which submission took over a deposited document (its
 * successor: the next version, or its deletion), so two versions never fork.
 *
 * Keys (P = prefix): `P:lc:event:{type}:{uid}` → ISO time (expires),
 * `P:lc:wait:{kind}:{uid}` set of submission ids (expires long after its
 * last use), `P:lc:next:{uid}` → id (kept: it links the versions).
 */
import type { Redis } from 'ioredis';

/** How long a received event is remembered (the longest hold is one month; margin for late documents). */
export const EVENT_TTL_SECONDS = 62 * 24 * 3600;
/** How long a set of waiters is kept after its last registration (a rule may hold a document a year). */
export const WAITERS_TTL_SECONDS = 400 * 24 * 3600;

/**
 * Claims the successor slot of a document: free, already ours, or held by a
 * record that ended without reaching the DMP (a `failed` one whose last
 * request may have landed still holds it). KEYS: next. ARGV: id, prefix.
 * Answers 'ok' or the id of the live successor.
 */
const CLAIM_SUCCESSOR = `
local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[1] then
  local key = ARGV[2] .. ':sub:' .. current
  local s = redis.call('HGET', key, 'status')
  if s and not (s == 'rejected' or s == 'failed' or s == 'cancelled' or s == 'skipped') then return current end
  if s == 'failed' and redis.call('HGET', key, 'landing') == '1' then return current end
end
redis.call('SET', KEYS[1], ARGV[1])
return 'ok'
`;

/** Waits: for an event on a document (`event:<type>`), or for a predecessor to settle (`after`). */
export type WaitKind = `event:${string}` | 'after';

export class LifecycleFacts {
  readonly redis: Redis;
  readonly prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.prefix = prefix;
  }

  private key(...parts: string[]): string {
    return [this.prefix, 'lc', ...parts].join(':');
  }

  async recordEvent(type: string, uniqueId: string, at: Date): Promise<void> {
    await this.redis.set(this.key('event', type, uniqueId), at.toISOString(), 'EX', EVENT_TTL_SECONDS);
  }

  /** Whether `type` was received for any of the documents. */
  async hasEvent(type: string, uniqueIds: readonly (string | undefined)[]): Promise<boolean> {
    const ids = uniqueIds.filter((u): u is string => u !== undefined);
    if (ids.length === 0) return false;
    const values = await this.redis.mget(...ids.map((u) => this.key('event', type, u)));
    return values.some((v) => v !== null);
  }

  async addWaiter(kind: WaitKind, uniqueId: string, submissionId: string): Promise<void> {
    const key = this.key('wait', kind, uniqueId);
    await this.redis.multi().sadd(key, submissionId).expire(key, WAITERS_TTL_SECONDS).exec();
  }

  async waiters(kind: WaitKind, uniqueId: string): Promise<string[]> {
    return this.redis.smembers(this.key('wait', kind, uniqueId));
  }

  async removeWaiter(kind: WaitKind, uniqueId: string, submissionId: string): Promise<void> {
    await this.redis.srem(this.key('wait', kind, uniqueId), submissionId);
  }

  /** Takes the successor slot of `uniqueId` for `submissionId`; answers the live rival when it is taken. */
  async claimSuccessor(
    uniqueId: string,
    submissionId: string,
  ): Promise<{ ok: true } | { ok: false; by: string }> {
    const result = (await this.redis.eval(
      CLAIM_SUCCESSOR,
      1,
      this.key('next', uniqueId),
      submissionId,
      this.prefix,
    )) as string;
    return result === 'ok' ? { ok: true } : { ok: false, by: result };
  }

  /** The submission that took over the document, if any. */
  async successor(uniqueId: string): Promise<string | undefined> {
    return (await this.redis.get(this.key('next', uniqueId))) ?? undefined;
  }
}
