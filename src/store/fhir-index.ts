/**
 * Lookup keys for the FHIR door (IHE MHD ITI-67 Find Document References and
 * the resolution of an MHD `relatesTo` target): patient → submissions, FHIR
 * id (entryUUID) → submission, document uniqueId → submission, replaced
 * uniqueId → the submission that replaces it.
 *
 * No patient data in clear in Redis: the patient key is an HMAC-SHA256 of the
 * INS (`<INS OID>|<matricule>`) with the patient-index key derived from the
 * payload encryption key (src/patients/facts.ts `patientIndexKey`, shared
 * with the PAM-FR patient facts). A plain or
 * salted hash would not do: the INS space is small enough to enumerate, and a
 * salt stored in Redis travels with the data; the HMAC key never is in Redis.
 * Every process holding the payload key computes the same token. Rotating
 * the payload key makes older entries unreachable by patient (records and
 * payloads are unaffected). Values are record ids; records hold no patient
 * data. Keys (P = prefix): `P:fhir:patient:<hmac>` sorted set of record ids
 * by creation time, `P:fhir:doc:<id>`, `P:fhir:uid:<uniqueId>`,
 * `P:fhir:replacedBy:<uniqueId>` → record id.
 */
import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { InstanceId, Submission } from '../model/types.ts';

const bareId = (entryUUID: string) => entryUUID.replace(/^urn:uuid:/i, '');

export class FhirIndex {
  readonly redis: Redis;
  readonly prefix: string;
  readonly #key: Uint8Array;

  constructor(redis: Redis, prefix: string, key: Uint8Array) {
    this.redis = redis;
    this.prefix = prefix;
    this.#key = key;
  }

  private k(...parts: string[]): string {
    return [this.prefix, 'fhir', ...parts].join(':');
  }

  /** The opaque token of an INS. */
  patientToken(ins: InstanceId): string {
    return createHmac('sha256', this.#key)
      .update(`${ins.root}|${ins.extension ?? ''}`)
      .digest('hex');
  }

  /** Indexes a stored submission (idempotent: the same call again changes nothing). */
  async add(recordId: string, submission: Submission, createdAt: Date): Promise<void> {
    const multi = this.redis.multi();
    multi.zadd(this.k('patient', this.patientToken(submission.patient.ins)), createdAt.getTime(), recordId);
    for (const doc of submission.documents) {
      multi.set(this.k('doc', bareId(doc.entryUUID)), recordId);
      multi.set(this.k('uid', doc.id.root), recordId);
      if (doc.replaces) multi.set(this.k('replacedBy', doc.replaces.uniqueId), recordId);
    }
    const results = await multi.exec();
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error('index write aborted');
  }

  /** Record ids of a patient's submissions, newest first. */
  async byPatient(ins: InstanceId, limit: number): Promise<string[]> {
    return this.redis.zrevrange(this.k('patient', this.patientToken(ins)), 0, limit - 1);
  }

  async byDocumentId(id: string): Promise<string | undefined> {
    return (await this.redis.get(this.k('doc', bareId(id)))) ?? undefined;
  }

  async byUniqueId(uniqueId: string): Promise<string | undefined> {
    return (await this.redis.get(this.k('uid', uniqueId))) ?? undefined;
  }

  async replacedBy(uniqueId: string): Promise<string | undefined> {
    return (await this.redis.get(this.k('replacedBy', uniqueId))) ?? undefined;
  }
}
