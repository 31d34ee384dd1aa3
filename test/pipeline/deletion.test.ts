/**
 * Deletion of a deposited document (TD3.3c): the record's deletion request
 * goes through the same queue; ITI-57 moves the DMP entry to Deleted. A
 * document the DMP does not hold is rejected with volet error 900.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { documentReferenceToSubmission } from '../../src/inbound/fhir/document-reference.ts';
import { acceptSubmission } from '../../src/intake/accept.ts';
import { randomIds } from '../../src/model/ids.ts';
import type { Deletion } from '../../src/model/types.ts';
import { createDepositQueue } from '../../src/queue/deposit-queue.ts';
import { loadPayloadKey, payloadCipher } from '../../src/store/crypto.ts';
import { SubmissionStore } from '../../src/store/records.ts';
import { freshDocument, idFrom, startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
let redis: Redis;
let deps: Parameters<typeof acceptSubmission>[0];
beforeAll(async () => {
  gw = await startTestGateway();
  redis = new Redis(gw.config.redis.url);
  const store = new SubmissionStore(
    redis,
    gw.config.redis.prefix,
    payloadCipher(loadPayloadKey(undefined, gw.config.devPkiDir)),
  );
  deps = {
    store,
    queue: createDepositQueue(redis, gw.config),
    config: gw.config,
    log: pino({ level: 'silent' }),
  };
});
afterAll(async () => {
  await deps?.queue.close();
  redis?.disconnect();
  await gw?.close();
});

function deletionOf(doc: ReturnType<typeof freshDocument>): Deletion {
  const submission = documentReferenceToSubmission(doc, {
    config: gw.config,
    ids: randomIds,
    now: new Date(),
  });
  return {
    kind: 'deletion',
    patient: submission.patient,
    documentUniqueId: doc.masterIdentifier.value.slice(8),
    contentTypeCode: submission.contentTypeCode,
    author: submission.author,
  };
}

it('deletes a document this gateway deposited', async () => {
  const doc = freshDocument();
  const posted = await gw.post(doc);
  await gw.waitFor(idFrom(posted.location), (s) => s.status === 'deposited');

  const result = await acceptSubmission(deps, {
    source: 'fhir',
    submission: deletionOf(doc),
    identity: `delete:${randomUUID()}`,
    contentHash: 'd',
  });
  const done = await gw.waitFor(result.id, (s) => s.status === 'deleted');
  expect(done.kind).toBe('deletion');
  expect(done.target).toBe(doc.masterIdentifier.value.slice(8));
  const entry = gw.sandbox!.documents().find((d) => d.uniqueId === doc.masterIdentifier.value.slice(8));
  expect(entry?.status).toBe('urn:asip:ci-sis:2010:StatusType:Deleted');
  expect(gw.sandbox!.trace().some((t) => t.endpoint === 'iti57')).toBe(true);
});

it('a document unknown to the DMP → rejected with 900', async () => {
  const doc = freshDocument(); // never deposited
  const result = await acceptSubmission(deps, {
    source: 'fhir',
    submission: deletionOf(doc),
    identity: `delete:${randomUUID()}`,
    contentHash: 'd',
  });
  const done = await gw.waitFor(result.id, (s) => s.status === 'rejected');
  expect(done.outcome?.errors?.[0]?.errorCode).toBe('900');
});
