/**
 * Replacement ordering (ARCHITECTURE.md "Order per document"): a replacement
 * posted before its original is deposited (the sandbox answers slowly) waits
 * for it, parked as `held`, and is woken when the original settles: both end
 * deposited in order and the original is Deprecated. A predecessor that ends
 * without reaching the DMP (here: failed) breaks the version chain: the replacement ends rejected with
 * volet error 900 and is never sent.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { freshDocument, type TestGateway } from '../support/gateway.ts';
import { deposited, document, lifecycleGateway, post, uidOf } from './support.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await lifecycleGateway();
});
afterEach(() => gw.sandbox!.setFaults({}));
afterAll(async () => {
  await gw?.close();
});

function replacementOf(original: ReturnType<typeof document>) {
  const next = freshDocument('documentreference-replace.json');
  next.relatesTo[0].target.identifier.value = original.masterIdentifier.value;
  next.content[0].attachment.creation = new Date().toISOString();
  return next;
}

const iti41Order = (gw: TestGateway, uids: string[]) =>
  gw
    .sandbox!.trace()
    .filter((t) => t.endpoint === 'iti41' && t.outcome === 'success')
    .flatMap((t) => t.storedUniqueIds ?? [])
    .filter((u) => uids.includes(u));

it('a replacement posted before its original is deposited waits, then both are deposited in order', async () => {
  gw.sandbox!.setFaults({ latencyMs: 600 });
  const original = document('discharge');
  const originalId = await post(gw, original);
  const replacement = replacementOf(original);
  const replacementId = await post(gw, replacement);

  const [first, second] = await Promise.all([
    gw.waitFor(originalId, deposited),
    gw.waitFor(replacementId, deposited),
  ]);
  expect(second.timeline.some((e) => e.type === 'held' && /waiting for/.test(e.detail ?? ''))).toBe(true);
  expect(iti41Order(gw, [uidOf(original), uidOf(replacement)])).toEqual([
    uidOf(original),
    uidOf(replacement),
  ]);
  const old = gw.sandbox!.document(uidOf(original))!;
  expect(old.status).toMatch(/Deprecated$/);
  expect(gw.sandbox!.document(uidOf(replacement))!.replaces).toBe(old.entryUUID);
  expect(first.documents[0]!.entryUUID).toBe(old.entryUUID);
});

it('the original ends failed: the waiting replacement ends rejected with 900, never sent', async () => {
  gw.sandbox!.setFaults({ latencyMs: 100, failNext: [{ kind: 'http500', count: 4, endpoint: 'iti41' }] });
  const original = document('discharge');
  const originalId = await post(gw, original);
  const replacement = replacementOf(original);
  const replacementId = await post(gw, replacement);

  const rejected = await gw.waitFor(replacementId, (s) => s.status === 'rejected');
  expect((await gw.status(originalId)).status).toBe('failed');
  expect(rejected.outcome?.errors?.map((e) => e.errorCode)).toEqual(['900']);
  expect(rejected.outcome?.reason).toMatch(/version chain broken/);
  expect(iti41Order(gw, [uidOf(original), uidOf(replacement)])).toEqual([]);
  expect(gw.sandbox!.document(uidOf(replacement))).toBeUndefined();
});
