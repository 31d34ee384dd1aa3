/**
 * Review harness: a real Redis prefix, a store, a deposit queue and a DMP
 * port whose answers each test scripts. Used by the review tests that pin
 * pipeline bugs (they fail until the bug is fixed).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { parseConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import type { DepositEnv } from '../../src/deposit/build-deposit.ts';
import { documentReferenceToSubmission } from '../../src/inbound/fhir/document-reference.ts';
import { LifecycleFacts } from '../../src/lifecycle/facts.ts';
import type { LifecycleDeps } from '../../src/lifecycle/schedule.ts';
import { randomIds } from '../../src/model/ids.ts';
import type { Submission } from '../../src/model/types.ts';
import { createDepositQueue, type DepositQueue } from '../../src/queue/deposit-queue.ts';
import type { DmpPort } from '../../src/queue/processor.ts';
import { payloadCipher } from '../../src/store/crypto.ts';
import { recordOf } from '../../src/store/identity.ts';
import { SubmissionStore } from '../../src/store/records.ts';
import { testSigner } from '../support/deposit.ts';
import { dropPrefix, REDIS_URL, testPrefix, testRedis } from '../support/redis.ts';

export const silent = pino({ level: 'silent' });

export interface Harness {
  readonly config: Config;
  readonly redis: Redis;
  readonly queueRedis: Redis;
  readonly store: SubmissionStore;
  readonly queue: DepositQueue;
  readonly depositEnv: () => DepositEnv;
  /** A fresh submission of the FHIR fixture, stored as a record `received` at `at`. */
  stored(at?: Date): Promise<{ id: string; submission: Submission }>;
  /** Pretends the record was last updated long ago (older than the reconciliation grace). */
  age(id: string): Promise<void>;
  close(): Promise<void>;
}

export async function harness(queue: Partial<Config['queue']> = {}): Promise<Harness> {
  const prefix = testPrefix();
  const config = parseConfig({ redis: { url: REDIS_URL, prefix }, queue });
  const redis = await testRedis();
  const queueRedis = await testRedis();
  const store = new SubmissionStore(redis, prefix, payloadCipher(randomBytes(32)));
  const depositQueue = createDepositQueue(queueRedis, config);
  depositQueue.on('error', () => {});
  const signer = await testSigner();
  const fixture = JSON.parse(
    readFileSync(new URL('../../fixtures/fhir/documentreference-pdf.json', import.meta.url), 'utf8'),
  );
  return {
    config,
    redis,
    queueRedis,
    store,
    queue: depositQueue,
    depositEnv: () => ({
      config,
      ids: randomIds,
      now: new Date(),
      signingKey: signer.signingKey,
      signerDn: signer.signerDn,
    }),
    async stored(at = new Date()) {
      const doc = structuredClone(fixture);
      doc.masterIdentifier.value = `urn:oid:1.2.250.1.999.7.${Date.now()}${Math.floor(Math.random() * 1e6)}`;
      const submission = documentReferenceToSubmission(doc, { config, ids: randomIds, now: at });
      const id = randomUUID();
      await store.create(recordOf(id, 'fhir', submission, `fhir:${id}`, 'h', at), submission, at);
      return { id, submission };
    },
    async age(id) {
      const past = Date.now() - 60_000;
      await redis.hset(`${prefix}:sub:${id}`, 'updatedAt', new Date(past).toISOString());
      if (await redis.zscore(`${prefix}:open`, id)) await redis.zadd(`${prefix}:open`, past, id);
    },
    async close() {
      await depositQueue.close();
      await dropPrefix(redis, prefix);
      redis.disconnect();
      queueRedis.disconnect();
    },
  };
}

/** A DMP port: `provideAndRegister` answers what `deposit` returns; ITI-18 finds what `found` lists. */
export function scriptedDmp(
  deposit: () => Promise<Awaited<ReturnType<DmpPort['provideAndRegister']>>>,
  found: () => readonly { uniqueId: string; entryUUID: string; status: string }[] = () => [],
): DmpPort & { calls: { iti41: number; iti18: number } } {
  const calls = { iti41: 0, iti18: 0 };
  return {
    calls,
    provideAndRegister: () => {
      calls.iti41++;
      return deposit();
    },
    findByUniqueId: async () => {
      calls.iti18++;
      return { outcome: { kind: 'success', response: {} }, documents: found() };
    },
    deleteDocument: async () => ({ kind: 'success', response: {} }),
  };
}

export async function until(what: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The document lifecycle's ports over a harness (its store, queue and Redis). */
export function lifecycleDeps(h: Harness): LifecycleDeps {
  return {
    store: h.store,
    queue: h.queue,
    facts: new LifecycleFacts(h.redis, h.store.prefix),
    config: h.config,
    ids: randomIds,
    log: silent,
  };
}
