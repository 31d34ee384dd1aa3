/**
 * An announcement release waits for a version of the document still on its way: it gives way only to one that reached the DMP.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { freshDocument, type TestGateway } from '../support/gateway.ts';
import {
  call,
  deposited,
  document,
  flagsInDmp,
  lifecycleGateway,
  post,
  scheduledReplacement,
  uidOf,
} from './support.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await lifecycleGateway();
});
afterEach(() => gw.sandbox!.setFaults({}));
afterAll(async () => {
  await gw?.close();
});

it("a release is not lost when a sender's new version in flight ends without reaching the DMP", async () => {
  const doc = document('pathology');
  const id = await post(gw, doc);
  const original = await gw.waitFor(id, (s) => deposited(s) && scheduledReplacement(s) !== undefined);
  const releaseId = scheduledReplacement(original)!;
  await gw.waitFor(releaseId, (s) => s.status === 'held');
  expect(flagsInDmp(gw, uidOf(doc))).toEqual(['INVISIBLE_PATIENT']);

  // The sender's new version (a discharge letter, not hidden) meets a DMP that answers 500 for a while.
  gw.sandbox!.setFaults({ latencyMs: 700, failNext: [{ kind: 'http500', count: 50, endpoint: 'iti41' }] });
  const next = freshDocument('documentreference-replace.json');
  next.relatesTo[0].target.identifier.value = doc.masterIdentifier.value;
  next.content[0].attachment.creation = new Date().toISOString();
  const nextId = await post(gw, next);
  await gw.waitFor(nextId, (s) => s.timeline.some((e) => e.type === 'retry'));

  // Meanwhile the announcement takes place: the release runs now.
  await call(gw, 'POST', '/api/events', { type: 'announcement', documentUniqueId: uidOf(doc) });
  await gw.waitFor(releaseId, (s) => !['held', 'queued', 'sending'].includes(s.status));
  await gw.waitFor(nextId, (s) => s.status === 'failed', 30_000);
  gw.sandbox!.setFaults({});

  // Expected: the document is still released (the release waited for, or outlived, the failed version).
  const stillHidden = () => gw.sandbox!.document(uidOf(doc))!.status.endsWith('Approved');
  const deadline = Date.now() + 6_000;
  while (Date.now() < deadline && stillHidden()) await new Promise((r) => setTimeout(r, 100));
  const flags = stillHidden() ? flagsInDmp(gw, uidOf(doc)) : [];
  const release = await gw.status(releaseId);
  expect(
    flags,
    `document still hidden and never released; release ${release.status}: ${release.outcome?.reason}`,
  ).toEqual([]);
});

it('a release waiting for a version in flight gives way once that version reaches the DMP', async () => {
  const doc = document('pathology');
  const id = await post(gw, doc);
  const original = await gw.waitFor(id, (s) => deposited(s) && scheduledReplacement(s) !== undefined);
  const releaseId = scheduledReplacement(original)!;
  await gw.waitFor(releaseId, (s) => s.status === 'held');

  // The sender's new version (a discharge letter, not hidden) takes the document over, then is slow to land.
  gw.sandbox!.setFaults({ latencyMs: 1_500, failNext: [{ kind: 'http500', count: 1, endpoint: 'iti41' }] });
  const next = freshDocument('documentreference-replace.json');
  next.relatesTo[0].target.identifier.value = doc.masterIdentifier.value;
  next.content[0].attachment.creation = new Date().toISOString();
  const nextId = await post(gw, next);
  await gw.waitFor(nextId, (s) => s.timeline.some((e) => e.type === 'retry'));

  await call(gw, 'POST', '/api/events', { type: 'announcement', documentUniqueId: uidOf(doc) });
  const waiting = await gw.waitFor(
    releaseId,
    (s) => s.status === 'held' && /being replaced/.test(s.holdReason ?? ''),
  );
  expect(waiting.status).toBe('held');

  await gw.waitFor(nextId, deposited);
  const release = await gw.waitFor(releaseId, (s) => s.status === 'cancelled');
  expect(release.outcome?.reason).toMatch(new RegExp(`superseded: submission ${nextId}`));
  expect(gw.sandbox!.document(uidOf(doc))!.status).toMatch(/Deprecated$/);
  expect(gw.sandbox!.document(uidOf(next))!.replaces).toBe(gw.sandbox!.document(uidOf(doc))!.entryUUID);
  expect(flagsInDmp(gw, uidOf(next))).toEqual([]);
});
