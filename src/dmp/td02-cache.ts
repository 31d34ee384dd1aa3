/**
 * TD0.2 answers cached in Redis for a while (DOMAIN.md §1: test the DMP
 * before feeding; the answer changes rarely). Keys hold no INS in clear: a
 * keyed SHA-256 of it, like the patient facts (src/patients/facts.ts).
 * A failed TD0.2 is not cached.
 */
import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';
import { own } from '../model/own.ts';
import type { Patient } from '../model/types.ts';
import type { DmpState } from './td02.ts';

/** PAM-FR ZFA-1 DMP statuses and the TD0.2 state each means. */
const ZFA_STATES: Readonly<Record<string, DmpState | undefined>> = {
  ACTIF: 'active',
  FERME: 'closed',
  INEXISTANT: 'absent',
};

export interface Td02Source {
  checkPatient(patient: Patient): Promise<DmpState | { readonly kind: string }>;
}

/**
 * The cache, shared by the worker (which asks TD0.2 through `source`) and the HL7 intake (which only
 * reconciles it with ADTs: a process without a source never asks the DMP, and answers `error` to `status`).
 */
export class Td02Cache {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #indexKey: Uint8Array;
  readonly #ttlSeconds: number;
  readonly #source: Td02Source | undefined;

  constructor(redis: Redis, prefix: string, indexKey: Uint8Array, ttlSeconds: number, source?: Td02Source) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#indexKey = indexKey;
    this.#ttlSeconds = ttlSeconds;
    this.#source = source;
  }

  #key(patient: Pick<Patient, 'ins'>): string {
    const digest = createHmac('sha256', this.#indexKey)
      .update(`td02|${patient.ins.root}|${patient.ins.extension}`)
      .digest('hex');
    return `${this.#prefix}:td02:${digest}`;
  }

  /** The patient's DMP state, from the cache or from TD0.2; `error` when the DMP could not say. */
  async status(patient: Patient): Promise<DmpState | 'error'> {
    const key = this.#key(patient);
    const cached = await this.#redis.get(key);
    if (cached === 'active' || cached === 'closed' || cached === 'absent') return cached;
    if (!this.#source) return 'error';
    const answer = await this.#source.checkPatient(patient);
    if (typeof answer !== 'string') return 'error';
    if (this.#ttlSeconds > 0) await this.#redis.set(key, answer, 'EX', this.#ttlSeconds); // 0: never cached
    return answer;
  }

  /**
   * What a PAM-FR ADT says of the DMP (ZFA-1 `ACTIF`, `FERME`, `INEXISTANT`) against the cached TD0.2
   * answer: when they disagree (or the status is one this cache cannot compare), the answer is dropped,
   * so the next deposit asks the DMP again rather than trusting a stale "no DMP" until the TTL ends.
   */
  async reconcile(patient: Pick<Patient, 'ins'>, zfaStatus: string): Promise<void> {
    const stated = own(ZFA_STATES, zfaStatus.toUpperCase());
    const cached = await this.#redis.get(this.#key(patient));
    if (cached !== null && cached !== stated) await this.forget(patient);
  }

  /** Forgets the cached state (e.g. an ADT says the DMP was just created or closed). */
  async forget(patient: Pick<Patient, 'ins'>): Promise<void> {
    await this.#redis.del(this.#key(patient));
  }
}
