/**
 * Deleting a document whose deposit ended `failed`: refused when it surely never reached the DMP,
 * accepted when its last request may have landed unanswered (the worker then looks it up by ITI-18).
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { call, document, post, uidOf } from './support.ts';

let gw: TestGateway;
beforeAll(async () => {
  // A short DMP timeout: an unanswered deposit is known as such within a second.
  gw = await startTestGateway({ dmp: { timeoutMs: 1_000 } });
});
afterEach(() => gw.sandbox!.setFaults({}));
afterAll(async () => {
  await gw?.close();
});

const DELETED = 'urn:asip:ci-sis:2010:StatusType:Deleted';

/** Posts a document whose every attempt meets `faults`; answers its id once it ended failed. */
async function failedDeposit(
  doc: ReturnType<typeof document>,
  faults: Parameters<NonNullable<TestGateway['sandbox']>['setFaults']>[0],
) {
  gw.sandbox!.setFaults(faults);
  const id = await post(gw, doc);
  const failed = await gw.waitFor(id, (s) => s.status === 'failed', 20_000);
  gw.sandbox!.setFaults({});
  return failed;
}

it('a deposit that failed with every answer an HTTP 500 never reached the DMP: deletion refused', async () => {
  const doc = document('discharge');
  const failed = await failedDeposit(doc, { failNext: [{ kind: 'http500', count: 4, endpoint: 'iti41' }] });
  expect(failed.mayHaveLanded).toBe(false);
  const res = await call(gw, 'DELETE', `/api/documents/${uidOf(doc)}`);
  expect(res.status).toBe(409);
});

it('a deposit that landed unanswered and could not be checked: deletion accepted, found by ITI-18, deleted', async () => {
  const doc = document('discharge');
  const failed = await failedDeposit(doc, {
    failNext: [
      { kind: 'commitThenTimeout', count: 1, endpoint: 'iti41' },
      { kind: 'http500', count: 4, endpoint: 'iti18' },
    ],
  });
  expect(failed.mayHaveLanded).toBe(true);
  expect(gw.sandbox!.document(uidOf(doc))!.status).toMatch(/Approved$/);

  const res = await call(gw, 'DELETE', `/api/documents/${uidOf(doc)}`);
  expect(res.status).toBe(202);
  const done = await gw.waitFor(
    String(res.json.id),
    (s) => s.status === 'deleted' || s.status === 'rejected',
  );
  expect(done.status, JSON.stringify(done.outcome)).toBe('deleted');
  expect(gw.sandbox!.document(uidOf(doc))!.status).toBe(DELETED);
});

it('a deposit that may have landed but did not: deletion accepted, then rejected with 900', async () => {
  const doc = document('discharge');
  const failed = await failedDeposit(doc, {
    failNext: [
      { kind: 'drop', count: 1, endpoint: 'iti41' },
      { kind: 'http500', count: 4, endpoint: 'iti18' },
    ],
  });
  expect(failed.mayHaveLanded).toBe(true);
  expect(gw.sandbox!.document(uidOf(doc))).toBeUndefined();

  const res = await call(gw, 'DELETE', `/api/documents/${uidOf(doc)}`);
  expect(res.status).toBe(202);
  const done = await gw.waitFor(
    String(res.json.id),
    (s) => s.status === 'deleted' || s.status === 'rejected',
  );
  expect(done.status).toBe('rejected');
  expect(done.outcome?.errors?.map((e) => e.errorCode)).toEqual(['900']);
});
