/**
 * Visibility changes asked at the same time: one is accepted and carried out, the others are answered
 * 409; an accepted change is never dropped afterwards, and a sender's version arriving meanwhile follows it.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { freshDocument, type TestGateway } from '../support/gateway.ts';
import { call, cdaInDmp, deposited, document, flagsInDmp, lifecycleGateway, post, uidOf } from './support.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await lifecycleGateway();
});
afterEach(() => gw.sandbox!.setFaults({}));
afterAll(async () => {
  await gw?.close();
});

it('two different changes at once: one 202 and carried out, the other 409', async () => {
  const doc = document('discharge');
  const id = await post(gw, doc);
  await gw.waitFor(id, deposited);
  const asked = [['MASQUE_PS'], ['INVISIBLE_PATIENT'], ['INVISIBLE_PATIENT', 'MASQUE_PS']].map((flags) => ({
    flags,
  }));
  const answers = await Promise.all(
    asked.map((body) => call(gw, 'POST', `/api/submissions/${id}/visibility`, body)),
  );
  expect(answers.map((a) => a.status).sort()).toEqual([202, 409, 409]);
  const winner = answers.findIndex((a) => a.status === 202);
  for (const a of answers.filter((x) => x.status === 409))
    expect(String(a.json.error)).toMatch(/submission /);

  const done = await gw.waitFor(String(answers[winner]!.json.replacement), deposited);
  const newUid = done.documents[0]!.uniqueId;
  expect(flagsInDmp(gw, newUid).sort()).toEqual(asked[winner]!.flags);
  expect(gw.sandbox!.document(uidOf(doc))!.status).toMatch(/Deprecated$/);
  expect(gw.sandbox!.document(newUid)!.replaces).toBe(gw.sandbox!.document(uidOf(doc))!.entryUUID);
});

it('the same change asked twice at once is one change', async () => {
  const doc = document('discharge');
  const id = await post(gw, doc);
  await gw.waitFor(id, deposited);
  const [a, b] = await Promise.all(
    [1, 2].map(() => call(gw, 'POST', `/api/submissions/${id}/visibility`, { flags: ['MASQUE_PS'] })),
  );
  const ok = [a!, b!].filter((x) => x.status === 202 || x.status === 200);
  const refused = [a!, b!].filter((x) => x.status === 409);
  expect(ok.length + refused.length).toBe(2);
  expect(ok.some((x) => x.status === 202)).toBe(true);
  expect(new Set(ok.map((x) => x.json.replacement)).size).toBe(1);
  const done = await gw.waitFor(String(ok[0]!.json.replacement), deposited);
  expect(flagsInDmp(gw, done.documents[0]!.uniqueId)).toEqual(['MASQUE_PS']);
});

it("an accepted change is carried out first; the sender's new version posted meanwhile follows it", async () => {
  const doc = document('discharge');
  const id = await post(gw, doc);
  await gw.waitFor(id, deposited);
  gw.sandbox!.setFaults({ latencyMs: 800 });
  const change = await call(gw, 'POST', `/api/submissions/${id}/visibility`, { flags: ['MASQUE_PS'] });
  expect(change.status).toBe(202);
  const next = freshDocument('documentreference-replace.json');
  next.relatesTo[0].target.identifier.value = doc.masterIdentifier.value;
  next.content[0].attachment.creation = new Date().toISOString();
  const nextId = await post(gw, next);

  const changed = await gw.waitFor(String(change.json.replacement), deposited);
  await gw.waitFor(nextId, deposited);
  const changedUid = changed.documents[0]!.uniqueId;
  expect(flagsInDmp(gw, changedUid)).toEqual(['MASQUE_PS']);
  expect(gw.sandbox!.document(uidOf(next))!.replaces).toBe(gw.sandbox!.document(changedUid)!.entryUUID);
  expect(cdaInDmp(gw, uidOf(next))).toContain('<versionNumber value="3"/>');
});
