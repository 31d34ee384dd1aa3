import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXED_NOW, sequentialIds, testConfig } from '../../test/support/context.ts';
import { dropPrefix, testPrefix, testRedis } from '../../test/support/redis.ts';
import { documentReferenceToSubmission } from '../inbound/fhir/document-reference.ts';
import type { Submission } from '../model/types.ts';
import { encodeSubmission } from './codec.ts';
import { payloadCipher } from './crypto.ts';
import { recordOf } from './identity.ts';
import { SubmissionStore } from './records.ts';

const submission = documentReferenceToSubmission(
  JSON.parse(
    readFileSync(new URL('../../fixtures/fhir/documentreference-pdf.json', import.meta.url), 'utf8'),
  ),
  { config: testConfig, ids: sequentialIds(), now: FIXED_NOW },
);

describe('submission store (real Redis)', () => {
  let redis: Redis;
  let store: SubmissionStore;
  const prefix = testPrefix();

  beforeAll(async () => {
    redis = await testRedis();
    store = new SubmissionStore(redis, prefix, payloadCipher(randomBytes(32)));
  });
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('stores the record and an encrypted payload that decrypts to the same submission', async () => {
    const id = randomUUID();
    const result = await store.create(
      recordOf(id, 'fhir', submission, `fhir:${id}`, 'h1', FIXED_NOW),
      submission,
      FIXED_NOW,
    );
    expect(result).toEqual({ kind: 'created', id });
    const raw = await redis.hgetBuffer(`${prefix}:sub:${id}`, 'payload');
    expect(raw!.includes(Buffer.from('ANDRE'))).toBe(false);
    expect(raw!.includes(Buffer.from('279035121518989'))).toBe(false);
    const record = await redis.hget(`${prefix}:sub:${id}`, 'record');
    expect(record).not.toMatch(/ANDRE|279035121518989|MARIE/);
    const back = await store.payload(id);
    expect(encodeSubmission(back!).equals(encodeSubmission(submission))).toBe(true);
    expect((back as Submission).documents[0]!.content.bytes).toBeInstanceOf(Uint8Array);
    const stored = await store.get(id);
    expect(stored).toMatchObject({ status: 'received', attempts: 0 });
    expect(stored!.timeline.map((e) => e.type)).toEqual(['received']);
    expect(await store.openIds()).toContain(id);
  });

  it('recognises the same identity: duplicate with the same content, conflict with other content', async () => {
    const identity = `fhir:${randomUUID()}`;
    const first = await store.create(
      recordOf(randomUUID(), 'fhir', submission, identity, 'same', FIXED_NOW),
      submission,
      FIXED_NOW,
    );
    const again = await store.create(
      recordOf(randomUUID(), 'fhir', submission, identity, 'same', FIXED_NOW),
      submission,
      FIXED_NOW,
    );
    const other = await store.create(
      recordOf(randomUUID(), 'fhir', submission, identity, 'other', FIXED_NOW),
      submission,
      FIXED_NOW,
    );
    expect(again).toEqual({ kind: 'duplicate', id: first.id });
    expect(other).toEqual({ kind: 'conflict', id: first.id });
  });

  it('keeps a terminal status against late transitions unless forced', async () => {
    const id = randomUUID();
    await store.create(recordOf(id, 'fhir', submission, `fhir:${id}`, 'h', FIXED_NOW), submission, FIXED_NOW);
    expect(await store.transition(id, 'deposited', { type: 'deposited' })).toBe(true);
    expect(await store.openIds()).not.toContain(id);
    expect(await store.transition(id, 'retrying', { type: 'retry' })).toBe(false);
    expect((await store.get(id))!.status).toBe('deposited');
    expect(await store.transition(id, 'queued', { type: 'replayed' }, { force: true })).toBe(true);
    expect(await store.openIds()).toContain(id);
  });

  it('refuses to decrypt a payload moved to another record', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await store.create(recordOf(a, 'fhir', submission, `fhir:${a}`, 'h', FIXED_NOW), submission, FIXED_NOW);
    await store.create(recordOf(b, 'fhir', submission, `fhir:${b}`, 'h', FIXED_NOW), submission, FIXED_NOW);
    await redis.hset(
      `${prefix}:sub:${b}`,
      'payload',
      (await redis.hgetBuffer(`${prefix}:sub:${a}`, 'payload'))!,
    );
    await expect(store.payload(b)).rejects.toThrow();
  });
});
