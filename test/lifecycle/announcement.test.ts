/**
 * Announcement consultation (DOMAIN.md §4, CSP R1111-53): a document hidden
 * from the patient by a rule is deposited with INVISIBLE_PATIENT and its
 * release is scheduled at once, as a held submission; the announcement
 * event (or the time limit, here one day after the document) sends the
 * replacement without the flag: new id, same set, version 2, RPLC to the
 * deposited entry, which becomes Deprecated.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDocument, type TestGateway } from '../support/gateway.ts';
import {
  call,
  cdaInDmp,
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
afterAll(async () => {
  await gw?.close();
});

const DAY = 86_400_000;

/** Waits for the original's deposit, then for its release to be scheduled; returns both views. */
async function depositedHidden(doc: ReturnType<typeof document>) {
  const id = await post(gw, doc);
  const original = await gw.waitFor(id, (s) => deposited(s) && scheduledReplacement(s) !== undefined);
  expect(flagsInDmp(gw, uidOf(doc))).toEqual(['INVISIBLE_PATIENT']);
  const releaseId = scheduledReplacement(original)!;
  return { id, original, releaseId };
}

function expectReleased(
  doc: ReturnType<typeof document>,
  release: { documents: readonly { uniqueId: string }[] },
) {
  const uid = uidOf(doc);
  const newUid = release.documents[0]!.uniqueId;
  expect(newUid).not.toBe(uid);
  const old = gw.sandbox!.document(uid)!;
  const next = gw.sandbox!.document(newUid)!;
  expect(old.status).toBe('urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated');
  expect(next.replaces).toBe(old.entryUUID);
  expect(flagsInDmp(gw, newUid)).toEqual([]);
  const cda = cdaInDmp(gw, newUid);
  expect(cda).toContain('<versionNumber value="2"/>');
  expect(cda).toMatch(new RegExp(`<relatedDocument typeCode="RPLC"><parentDocument><id root="${uid}"/>`));
  expect(cdaInDmp(gw, uid)).toMatch(/<setId root="([\d.]+)"/);
  expect(cda.match(/<setId root="([\d.]+)"/)?.[1]).toBe(
    cdaInDmp(gw, uid).match(/<setId root="([\d.]+)"/)?.[1],
  );
}

it('the announcement event releases a hidden document by a replacement without INVISIBLE_PATIENT', async () => {
  const doc = document('pathology');
  const { releaseId } = await depositedHidden(doc);
  const held = await gw.waitFor(releaseId, (s) => s.status === 'held');
  expect(held.lifecycle).toEqual(expect.objectContaining({ kind: 'release', replaces: uidOf(doc) }));
  expect(Date.parse(held.holdUntil!)).toBeGreaterThan(Date.now() + DAY / 2); // one day after the document
  expect(held.holdReason).toMatch(/announcement/);

  const event = await call(gw, 'POST', '/api/events', { type: 'announcement', documentUniqueId: uidOf(doc) });
  expect(event.status).toBe(202);
  expect(event.json).toEqual(expect.objectContaining({ known: true, released: [releaseId] }));
  const released = await gw.waitFor(releaseId, deposited);
  expectReleased(doc, released);
  expect(released.documents[0]!.versionNumber).toBe(2);
});

it('the time limit releases it without any event (document one day old minus a few seconds)', async () => {
  const doc = document('pathology', { creation: new Date(Date.now() - DAY + 3_000) });
  const { releaseId } = await depositedHidden(doc);
  const released = await gw.waitFor(releaseId, deposited, 15_000);
  expectReleased(doc, released);
  expect(released.timeline.map((e) => e.type)).toContain('held');
});

it('a document already past its release time is deposited visible: nothing to release', async () => {
  const doc = document('pathology', { creation: new Date(Date.now() - 40 * DAY) });
  const done = await gw.waitFor(await post(gw, doc), deposited);
  expect(flagsInDmp(gw, uidOf(doc))).toEqual([]);
  expect(scheduledReplacement(done)).toBeUndefined();
});

it('an announcement received before the document is deposited: it goes without INVISIBLE_PATIENT', async () => {
  const doc = document('pathology');
  const event = await call(gw, 'POST', '/api/events', { type: 'announcement', documentUniqueId: uidOf(doc) });
  expect(event.json).toEqual(expect.objectContaining({ known: false, released: [] }));
  const done = await gw.waitFor(await post(gw, doc), deposited);
  expect(flagsInDmp(gw, uidOf(doc))).toEqual([]);
  expect(scheduledReplacement(done)).toBeUndefined();
});

it('a release cannot be cancelled; a malformed event is refused', async () => {
  const { releaseId } = await depositedHidden(document('pathology'));
  const cancel = await call(gw, 'POST', `/api/submissions/${releaseId}/cancel`);
  expect(cancel.status).toBe(409);
  const bad = await call(gw, 'POST', '/api/events', { type: 'Announcement!', documentUniqueId: 'x' });
  expect(bad.status).toBe(422);
});

it("a sender's new version after the release follows the gateway's version: it replaces the release, visible", async () => {
  const doc = document('pathology');
  const { releaseId } = await depositedHidden(doc);
  await call(gw, 'POST', '/api/events', { type: 'announcement', documentUniqueId: uidOf(doc) });
  const release = await gw.waitFor(releaseId, deposited);
  const next = freshDocument('documentreference-replace.json');
  next.type.coding[0] = {
    system: 'http://loinc.org',
    code: '60568-3',
    display: "CR d'anatomie pathologique",
  };
  next.relatesTo[0].target.identifier.value = doc.masterIdentifier.value; // the sender knows only its version
  next.content[0].attachment.creation = new Date().toISOString();
  const done = await gw.waitFor(await post(gw, next), deposited);
  const releaseUid = release.documents[0]!.uniqueId;
  expect(gw.sandbox!.document(releaseUid)!.status).toMatch(/Deprecated$/);
  expect(gw.sandbox!.document(uidOf(next))!.replaces).toBe(gw.sandbox!.document(releaseUid)!.entryUUID);
  expect(cdaInDmp(gw, uidOf(next))).toContain('<versionNumber value="3"/>');
  expect(flagsInDmp(gw, uidOf(next))).toEqual([]); // the announcement took place
  expect(scheduledReplacement(done)).toBeUndefined();
});
