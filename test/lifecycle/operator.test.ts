/**
 * The operator's lifecycle API: a visibility change after deposit (a
 * replacement with MODIF_CONF_CODE semantics: version 2, RPLC, new flags),
 * cancelling a held submission (terminal `cancelled`, job removed; a
 * replacement waiting behind it ends with 900), and deletion by API
 * (`DELETE /api/documents/{uniqueId}`, following the gateway's own later
 * version of the document).
 */
import { Queue } from 'bullmq';
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
let queue: Queue;
beforeAll(async () => {
  gw = await lifecycleGateway();
  queue = new Queue('deposit', {
    connection: { url: gw.config.redis.url },
    prefix: `${gw.config.redis.prefix}:bull`,
  });
});
afterAll(async () => {
  await queue?.close();
  await gw?.close();
});

it('a visibility change after deposit is a replacement with the new flags', async () => {
  const doc = document('discharge');
  const id = await post(gw, doc);
  await gw.waitFor(id, deposited);
  const res = await call(gw, 'POST', `/api/submissions/${id}/visibility`, { flags: ['MASQUE_PS'] });
  expect(res.status).toBe(202);
  const replacementId = String(res.json.replacement);
  expect(res.location).toBe(`/api/submissions/${replacementId}`);
  const replacement = await gw.waitFor(replacementId, deposited);
  const newUid = replacement.documents[0]!.uniqueId;
  expect(flagsInDmp(gw, newUid)).toEqual(['MASQUE_PS']);
  expect(gw.sandbox!.document(uidOf(doc))!.status).toMatch(/Deprecated$/);
  expect(gw.sandbox!.document(newUid)!.replaces).toBe(gw.sandbox!.document(uidOf(doc))!.entryUUID);
  expect(cdaInDmp(gw, newUid)).toContain('<versionNumber value="2"/>');

  const same = await call(gw, 'POST', `/api/submissions/${replacementId}/visibility`, {
    flags: ['MASQUE_PS'],
  });
  expect(same.status).toBe(200);
  expect(same.json.status).toBe('unchanged');
  const stale = await call(gw, 'POST', `/api/submissions/${id}/visibility`, { flags: [] });
  expect(stale.status).toBe(409);
  const bad = await call(gw, 'POST', `/api/submissions/${replacementId}/visibility`, { flags: ['VISIBLE'] });
  expect(bad.status).toBe(422);
});

it('a held submission is cancelled: terminal, job removed, nothing sent; a replacement behind it ends 900', async () => {
  const lab = document('lab');
  const id = await post(gw, lab);
  const held = await gw.waitFor(id, (s) => s.status === 'held');
  expect(held.holdReason).toBe('held by a rule');
  expect(Date.parse(held.holdUntil!)).toBeGreaterThan(Date.now() + 23 * 3600_000);
  const next = freshDocument('documentreference-replace.json');
  next.relatesTo[0].target.identifier.value = lab.masterIdentifier.value;
  const nextId = await post(gw, next);
  await gw.waitFor(nextId, (s) => s.status === 'held' && /waiting for/.test(s.holdReason ?? ''));

  const res = await call(gw, 'POST', `/api/submissions/${id}/cancel`);
  expect(res.status).toBe(200);
  const cancelled = await gw.status(id);
  expect(cancelled.status).toBe('cancelled');
  expect(cancelled.holdUntil).toBeUndefined();
  expect(await queue.getJob(held.jobId!)).toBeUndefined();
  const broken = await gw.waitFor(nextId, (s) => s.status === 'rejected', 5_000);
  expect(broken.outcome?.errors?.[0]?.errorCode).toBe('900');
  expect(gw.sandbox!.document(uidOf(lab))).toBeUndefined();

  expect((await call(gw, 'POST', `/api/submissions/${id}/cancel`)).status).toBe(409);
});

it('DELETE /api/documents/{uniqueId} deletes a deposited document, once', async () => {
  const doc = document('discharge');
  await gw.waitFor(await post(gw, doc), deposited);
  const res = await call(gw, 'DELETE', `/api/documents/${uidOf(doc)}`);
  expect(res.status).toBe(202);
  const deletionId = String(res.json.id);
  const done = await gw.waitFor(deletionId, (s) => s.status === 'deleted');
  expect(done.kind).toBe('deletion');
  expect(gw.sandbox!.document(uidOf(doc))!.status).toBe('urn:asip:ci-sis:2010:StatusType:Deleted');
  const again = await call(gw, 'DELETE', `/api/documents/${uidOf(doc)}`);
  expect(again.status).toBe(200);
  expect(again.json.id).toBe(deletionId);
  expect((await call(gw, 'DELETE', '/api/documents/1.2.250.1.999.404.1')).status).toBe(404);
  expect((await call(gw, 'DELETE', '/api/documents/not-an-oid')).status).toBe(422);
});

it("deleting a released document deletes the gateway's current version of it", async () => {
  const doc = document('pathology');
  const original = await gw.waitFor(await post(gw, doc), (s) => deposited(s) && !!scheduledReplacement(s));
  const releaseId = scheduledReplacement(original)!;
  await call(gw, 'POST', '/api/events', { type: 'announcement', documentUniqueId: uidOf(doc) });
  const release = await gw.waitFor(releaseId, deposited);
  const res = await call(gw, 'DELETE', `/api/documents/${uidOf(doc)}`);
  await gw.waitFor(String(res.json.id), (s) => s.status === 'deleted');
  const current = gw.sandbox!.document(release.documents[0]!.uniqueId)!;
  expect(current.status).toBe('urn:asip:ci-sis:2010:StatusType:Deleted');
});
