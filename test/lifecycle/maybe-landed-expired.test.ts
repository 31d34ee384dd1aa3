/**
 * A release behind a sender's version that ended `failed` after a request
 * that may have landed, and whose payload has since expired: the doubt is
 * settled by ITI-18 (the patient is the release's own), nothing needs the
 * expired payload, and the release goes; the document is not left hidden.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import {
  call,
  deposited,
  document,
  lifecycleGateway,
  post,
  scheduledReplacement,
  uidOf,
} from '../lifecycle/support.ts';
import { freshDocument, type TestGateway } from '../support/gateway.ts';

const ENDED = ['deposited', 'rejected', 'failed', 'skipped', 'cancelled', 'deleted'];
let gw: TestGateway;
beforeAll(async () => {
  // Payloads kept ~4 s after an outcome (stands for the 30-day default being over).
  gw = await lifecycleGateway({ dmp: { timeoutMs: 1_000 }, storage: { payloadRetentionDays: 0.00005 } });
});
afterEach(() => gw.sandbox!.setFaults({}));
afterAll(async () => {
  await gw?.close();
});

it('a release behind a failed maybe-landed version whose payload expired is not stuck replaying it', async () => {
  const doc = document('pathology');
  const original = await gw.waitFor(
    await post(gw, doc),
    (s) => deposited(s) && scheduledReplacement(s) !== undefined,
  );
  const releaseId = scheduledReplacement(original)!;
  await gw.waitFor(releaseId, (s) => s.status === 'held');

  gw.sandbox!.setFaults({
    failNext: [
      { kind: 'drop', count: 10, endpoint: 'iti41' },
      { kind: 'http500', count: 10, endpoint: 'iti18' },
    ],
  });
  const next = freshDocument('documentreference-replace.json');
  next.relatesTo[0].target.identifier.value = doc.masterIdentifier.value;
  next.content[0].attachment.creation = new Date().toISOString();
  const nextId = await post(gw, next);
  const failed = await gw.waitFor(nextId, (s) => ENDED.includes(s.status), 45_000);
  expect([failed.status, failed.mayHaveLanded]).toEqual(['failed', true]);
  gw.sandbox!.setFaults({});
  await new Promise((r) => setTimeout(r, 6_000)); // its payload's retention is over

  await call(gw, 'POST', '/api/events', { type: 'announcement', documentUniqueId: uidOf(doc) });
  let release = await gw.status(releaseId);
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline && !ENDED.includes(release.status)) {
    await new Promise((r) => setTimeout(r, 500));
    release = await gw.status(releaseId);
  }
  const replays = (await gw.status(nextId)).timeline.filter((e) => e.type === 'replayed').length;
  expect(
    { release: release.status, replaysOfTheFailedVersion: replays },
    `release: ${release.holdReason ?? release.outcome?.reason}`,
  ).toEqual({
    release: expect.stringMatching(/^(deposited|cancelled)$/),
    replaysOfTheFailedVersion: expect.any(Number),
  });
  expect(replays).toBeLessThanOrEqual(1);
}, 120_000);
