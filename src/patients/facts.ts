/**
 * The patient's DMP facts learnt from PAM-FR ADT messages (IHE PAM France,
 * segment ZFA: ZFA-1 DMP status, ZFA-9 opposition to feeding; DOMAIN.md §7),
 * kept for the feeding rules, which must never feed the DMP of a patient who
 * opposed it.
 *
 * Keys hold no identifier in clear: `P:patient:<HMAC-SHA256(index key,
 * root|extension)>`, a keyed SHA-256 (a plain SHA-256 of a 15-digit NIR can
 * be reversed by trying every NIR); values are not identifying (status,
 * opposition flag, time). The same facts are indexed by INS and, when the
 * message has one, by the local IPP, so either finds them.
 */
import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { InstanceId } from '../model/types.ts';

export interface PatientFacts {
  /** ZFA-1 as sent (`ACTIF`, `FERME`, `INEXISTANT`…), when known. */
  readonly dmpStatus?: string;
  /** ZFA-9: the patient opposes feeding the DMP; undefined when no message said. */
  readonly opposedToFeeding?: boolean;
  /** When the gateway last recorded facts about the patient (ISO 8601). */
  readonly updatedAt: string;
}

/** Derives the key of the patient index from the payload encryption key (one secret to manage). */
export function patientIndexKey(payloadKey: Uint8Array): Buffer {
  return createHmac('sha256', payloadKey).update('dmp-gateway patient index v1').digest();
}

export class PatientFactsStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #indexKey: Uint8Array;

  constructor(redis: Redis, prefix: string, indexKey: Uint8Array) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#indexKey = indexKey;
  }

  #key(id: InstanceId): string {
    const digest = createHmac('sha256', this.#indexKey)
      .update(`${id.root}|${id.extension ?? ''}`)
      .digest('hex');
    return `${this.#prefix}:patient:${digest}`;
  }

  /**
   * Records the facts given under every identifier (one transaction). A fact
   * left undefined keeps its stored value: a message without ZFA-9 does not
   * lift an opposition.
   */
  async record(
    ids: readonly InstanceId[],
    facts: { readonly dmpStatus?: string; readonly opposedToFeeding?: boolean },
    now: Date,
  ): Promise<void> {
    if (ids.length === 0) return;
    const multi = this.#redis.multi();
    for (const id of ids) {
      const key = this.#key(id);
      multi.hset(key, 'updatedAt', now.toISOString());
      if (facts.dmpStatus !== undefined) multi.hset(key, 'dmpStatus', facts.dmpStatus);
      if (facts.opposedToFeeding !== undefined)
        multi.hset(key, 'opposedToFeeding', facts.opposedToFeeding ? '1' : '0');
    }
    const results = await multi.exec();
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error('patient facts not written');
  }

  /** The facts known for an INS (or an IPP), or undefined: the reader of the feeding rules. */
  async patientFacts(id: InstanceId): Promise<PatientFacts | undefined> {
    const fields = await this.#redis.hgetall(this.#key(id));
    if (!fields.updatedAt) return undefined;
    return {
      ...(fields.dmpStatus ? { dmpStatus: fields.dmpStatus } : {}),
      ...(fields.opposedToFeeding !== undefined && { opposedToFeeding: fields.opposedToFeeding === '1' }),
      updatedAt: fields.updatedAt,
    };
  }
}
