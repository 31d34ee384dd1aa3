/**
 * Reconciliation: a record that was stored but never queued (the process
 * died between the two writes) is found and deposited without any sender
 * action.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { documentReferenceToSubmission } from '../../src/inbound/fhir/document-reference.ts';
import { randomIds } from '../../src/model/ids.ts';
import { loadPayloadKey, payloadCipher } from '../../src/store/crypto.ts';
import { recordOf } from '../../src/store/identity.ts';
import { SubmissionStore } from '../../src/store/records.ts';
import { freshDocument, startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

it('a stored record without a job is queued by reconciliation and deposited', async () => {
  const redis = new Redis(gw.config.redis.url);
  const store = new SubmissionStore(
    redis,
    gw.config.redis.prefix,
    payloadCipher(loadPayloadKey(undefined, gw.config.devPkiDir)),
  );
  const past = new Date(Date.now() - 60_000); // older than the reconciliation grace period
  const doc = freshDocument();
  const submission = documentReferenceToSubmission(doc, { config: gw.config, ids: randomIds, now: past });
  const id = randomUUID();
  await store.create(recordOf(id, 'fhir', submission, `fhir:${id}`, 'h', past), submission, past);
  redis.disconnect();

  const done = await gw.waitFor(id, (s) => s.status === 'deposited', 30_000);
  expect(done.timeline.map((e: { type: string }) => e.type)).toEqual([
    'received',
    'reconciled',
    'attempt',
    'deposited',
  ]);
  expect(
    gw.sandbox!.documents().filter((d) => d.uniqueId === doc.masterIdentifier.value.slice(8)),
  ).toHaveLength(1);
});
