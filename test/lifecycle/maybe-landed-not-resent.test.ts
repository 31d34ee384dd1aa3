/**
 * A sender's version v2 that ended `failed` after a request that may have
 * landed is never sent again behind the sender's back: the next version
 * that meets it looks it up (ITI-18); absent, v2 stays failed and the
 * sender's later version v3 replaces v1 as asked.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { deposited, document, lifecycleGateway, post, uidOf } from '../lifecycle/support.ts';
import { freshDocument, type TestGateway } from '../support/gateway.ts';

const ENDED = ['deposited', 'rejected', 'failed', 'skipped', 'cancelled', 'deleted'];
let gw: TestGateway;
beforeAll(async () => {
  gw = await lifecycleGateway({ dmp: { timeoutMs: 1_000 } });
});
afterEach(() => gw.sandbox!.setFaults({}));
afterAll(async () => {
  await gw?.close();
});

function nextVersionOf(doc: { masterIdentifier: { value: string } }) {
  const next = freshDocument('documentreference-replace.json');
  next.relatesTo[0].target.identifier.value = doc.masterIdentifier.value;
  next.content[0].attachment.creation = new Date().toISOString();
  return next;
}

it("a failed sender version that did not land is not re-sent behind the sender's back; its later version goes", async () => {
  const v1 = document('discharge');
  await gw.waitFor(await post(gw, v1), deposited);

  // v2: every deposit unanswered (never stored), every ITI-18 lookup failing: ends failed, may have landed.
  gw.sandbox!.setFaults({
    failNext: [
      { kind: 'drop', count: 10, endpoint: 'iti41' },
      { kind: 'http500', count: 10, endpoint: 'iti18' },
    ],
  });
  const v2 = nextVersionOf(v1);
  const v2Id = await post(gw, v2);
  const failed = await gw.waitFor(v2Id, (s) => ENDED.includes(s.status), 45_000);
  expect({ status: failed.status, mayHaveLanded: failed.mayHaveLanded }).toEqual({
    status: 'failed',
    mayHaveLanded: true,
  });
  gw.sandbox!.setFaults({});
  expect(gw.sandbox!.document(uidOf(v2))).toBeUndefined(); // it never reached the DMP

  // The sender, told v2 failed, sends its new version of v1 again (another id).
  const v3 = nextVersionOf(v1);
  const v3Id = await post(gw, v3);
  const done = await gw.waitFor(v3Id, (s) => ENDED.includes(s.status), 45_000);
  const v2After = await gw.status(v2Id);

  expect(done.status, `${done.outcome?.reason}; v2 is ${v2After.status}`).toBe('deposited');
  // The failed v2 was not sent again without its sender asking.
  expect(gw.sandbox!.document(uidOf(v2))).toBeUndefined();
}, 120_000);
