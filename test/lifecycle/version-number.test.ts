/**
 * The versionNumber the DMP holds only grows. A sender's new version of a
 * document the gateway has released follows the release: it replaces the
 * gateway's version, with a versionNumber above it (higher than the sender
 * gave). What was sent is recorded, so every later version builds on it:
 * an operator's visibility change of that version, the sender's next
 * version, and the release of that version when it was hidden again and
 * its deposit was recovered after an unanswered request.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { freshDocument, type TestGateway } from '../support/gateway.ts';
import {
  call,
  cdaInDmp,
  deposited,
  document,
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

const ENDED = ['deposited', 'rejected', 'failed', 'skipped', 'cancelled'];
const version = (uid: string) => Number(cdaInDmp(gw, uid).match(/<versionNumber value="(\d+)"\/>/)?.[1]);

/** The sender's next version of `doc` (FHIR relatesTo replaces), created now. */
function nextVersionOf(
  doc: { masterIdentifier: { value: string } },
  type?: ReturnType<typeof document>['type'],
) {
  const next = freshDocument('documentreference-replace.json');
  next.relatesTo[0].target.identifier.value = doc.masterIdentifier.value;
  next.content[0].attachment.creation = new Date().toISOString();
  if (type) next.type = type;
  return next;
}

/** A hidden pathology report (v1), released by the announcement (v2). */
async function released() {
  const doc = document('pathology');
  const id = await post(gw, doc);
  const original = await gw.waitFor(id, (s) => deposited(s) && scheduledReplacement(s) !== undefined);
  const releaseId = scheduledReplacement(original)!;
  await gw.waitFor(releaseId, (s) => s.status === 'held');
  await call(gw, 'POST', '/api/events', { type: 'announcement', documentUniqueId: uidOf(doc) });
  const release = await gw.waitFor(releaseId, deposited);
  expect(version(release.documents[0]!.uniqueId)).toBe(2);
  return doc;
}

/** The sender's next version after the release: it follows the release and goes as version 3. */
async function followedVersion() {
  const next = nextVersionOf(await released());
  const nextId = await post(gw, next);
  await gw.waitFor(nextId, deposited);
  expect(version(uidOf(next))).toBe(3);
  return { next, nextId };
}

it("an operator's visibility change of a version that followed the release gets a higher versionNumber", async () => {
  const { nextId } = await followedVersion();
  const change = await call(gw, 'POST', `/api/submissions/${nextId}/visibility`, { flags: ['MASQUE_PS'] });
  expect(change.status).toBe(202);
  const changed = await gw.waitFor(String(change.json.replacement), (s) => ENDED.includes(s.status));
  expect(changed.status).toBe('deposited');
  expect(version(changed.documents[0]!.uniqueId)).toBe(4);
  expect(changed.documents[0]!.versionNumber).toBe(4); // made from the version sent, not the sender's
});

it("the sender's next version of a version that followed the release gets a higher versionNumber", async () => {
  const { next } = await followedVersion();
  const again = nextVersionOf(next);
  const againId = await post(gw, again);
  const done = await gw.waitFor(againId, deposited);
  expect(version(uidOf(again))).toBe(4);
  expect(done.documents[0]!.versionNumber).toBe(4); // numbered at intake from the version sent
  expect(gw.sandbox!.document(uidOf(next))!.status).toMatch(/Deprecated$/);
});

it('the release of a version that followed the release, recovered after an unanswered deposit, is above it', async () => {
  // Released at its time limit (one day after the document, 4 s from now), not by the announcement: so the
  // sender's next version, a new anatomopathology report, is hidden again and gets its own release.
  const doc = document('pathology', { creation: new Date(Date.now() - 86_400_000 + 4_000) });
  const original = await gw.waitFor(
    await post(gw, doc),
    (s) => deposited(s) && scheduledReplacement(s) !== undefined,
  );
  const first = await gw.waitFor(scheduledReplacement(original)!, (s) => ENDED.includes(s.status), 15_000);
  expect([first.status, version(first.documents[0]!.uniqueId)]).toEqual(['deposited', 2]);

  const next = nextVersionOf(doc, doc.type);
  gw.sandbox!.setFaults({
    failNext: [
      { kind: 'commitThenTimeout', count: 1, endpoint: 'iti41' },
      { kind: 'http500', count: 1, endpoint: 'iti18' },
    ],
  });
  const nextId = await post(gw, next);
  const done = await gw.waitFor(nextId, (s) => deposited(s) && scheduledReplacement(s) !== undefined, 15_000);
  // Deposited by the recovery of the unanswered request (ITI-18), not by a second send.
  expect(done.timeline.map((e) => e.type)).toContain('recovered');
  expect(version(uidOf(next))).toBe(3);
  const releaseId = scheduledReplacement(done)!;
  await gw.waitFor(releaseId, (s) => s.status === 'held');
  await call(gw, 'POST', '/api/events', { type: 'announcement', documentUniqueId: uidOf(next) });
  const release = await gw.waitFor(releaseId, (s) => ENDED.includes(s.status));
  expect(release.status).toBe('deposited');
  // Made from the version that landed: its record says so too, not only what finally went.
  expect(release.documents[0]!.versionNumber).toBe(4);
  expect(version(release.documents[0]!.uniqueId)).toBe(4);
}, 45_000);
