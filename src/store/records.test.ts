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
    const raw = await redis.getBuffer(`${prefix}:payload:${id}`);
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
    expect(await store.openIds(new Date(Date.now() + 60_000))).toContain(id);
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
    expect(await store.openIds(new Date(Date.now() + 60_000))).not.toContain(id);
    expect(await store.transition(id, 'retrying', { type: 'retry' })).toBe(false);
    expect((await store.get(id))!.status).toBe('deposited');
    expect(await store.transition(id, 'queued', { type: 'replayed' }, { force: true })).toBe(true);
    expect(await store.openIds(new Date(Date.now() + 60_000))).toContain(id);
  });

  it('refuses to decrypt a payload moved to another record', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await store.create(recordOf(a, 'fhir', submission, `fhir:${a}`, 'h', FIXED_NOW), submission, FIXED_NOW);
    await store.create(recordOf(b, 'fhir', submission, `fhir:${b}`, 'h', FIXED_NOW), submission, FIXED_NOW);
    await redis.set(`${prefix}:payload:${b}`, (await redis.getBuffer(`${prefix}:payload:${a}`))!);
    await expect(store.payload(b)).rejects.toThrow();
  });

  it('a corrected document replaces a rejected one under the same identity; a live one stays a conflict', async () => {
    const identity = `fhir:${randomUUID()}`;
    const first = randomUUID();
    await store.create(recordOf(first, 'fhir', submission, identity, 'v1', FIXED_NOW), submission, FIXED_NOW);
    expect(
      (
        await store.create(
          recordOf(randomUUID(), 'fhir', submission, identity, 'v2', FIXED_NOW),
          submission,
          FIXED_NOW,
        )
      ).kind,
    ).toBe('conflict');
    await store.transition(first, 'rejected', { type: 'rejected' });
    const second = randomUUID();
    const corrected = await store.create(
      recordOf(second, 'fhir', submission, identity, 'v2', FIXED_NOW),
      submission,
      FIXED_NOW,
    );
    expect(corrected).toEqual({ kind: 'created', id: second, supersedes: first });
    // the same create retried (reply lost) is still "created", not a duplicate of itself
    expect(
      (
        await store.create(
          recordOf(second, 'fhir', submission, identity, 'v2', FIXED_NOW),
          submission,
          FIXED_NOW,
        )
      ).kind,
    ).toBe('created');
  });

  it('claims a job by compare-and-set: of two concurrent claims one wins', async () => {
    const id = randomUUID();
    await store.create(recordOf(id, 'fhir', submission, `fhir:${id}`, 'h', FIXED_NOW), submission, FIXED_NOW);
    await store.transition(id, 'failed', { type: 'failed' });
    const claim = () =>
      store.claimJob(id, {
        allowed: ['failed'],
        jobId: `${id}-r%n`,
        event: { type: 'replayed', detail: 'job %JOB%' },
        counter: 'replays',
      });
    const results = await Promise.all([claim(), claim()]);
    expect(results.filter((r) => r.ok)).toEqual([{ ok: true, jobId: `${id}-r1` }]);
    const stored = await store.get(id);
    expect(stored).toMatchObject({ status: 'queued', jobId: `${id}-r1` });
    expect(stored!.timeline.at(-1)).toMatchObject({ type: 'replayed', detail: `job ${id}-r1` });
  });

  it('keeps the payload for the retention period once terminal, and for good again on replay', async () => {
    const id = randomUUID();
    await store.create(recordOf(id, 'fhir', submission, `fhir:${id}`, 'h', FIXED_NOW), submission, FIXED_NOW);
    expect(await redis.ttl(`${prefix}:payload:${id}`)).toBe(-1);
    await store.transition(id, 'deposited', { type: 'deposited' });
    const ttl = await redis.ttl(`${prefix}:payload:${id}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(store.retentionSeconds);
    expect(await store.outbox()).toContain(id);
    await store.transition(id, 'queued', { type: 'replayed' }, { force: true });
    expect(await redis.ttl(`${prefix}:payload:${id}`)).toBe(-1);
  });
});
