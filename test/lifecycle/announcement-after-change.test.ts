/** The announcement naming the hospital's document releases the current version, whichever version the gateway made since. */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { TestGateway } from '../support/gateway.ts';
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

/** The latest version of a document in the sandbox DMP, following RPLC links. */
function currentVersion(gw: TestGateway, uid: string): string {
  const all = gw.sandbox!.documents();
  let cur = all.find((d) => d.uniqueId === uid)!;
  for (;;) {
    const next = all.find((d) => d.replaces === cur.entryUUID);
    if (!next) return cur.uniqueId;
    cur = next;
  }
}

let gw: TestGateway;
beforeAll(async () => {
  gw = await lifecycleGateway();
});
afterEach(() => gw.sandbox!.setFaults({}));
afterAll(async () => {
  await gw?.close();
});

/** Polls the flags of the document's current version until INVISIBLE_PATIENT is gone (or a deadline). */
async function flagsOnceReleased(uid: string, ms: number): Promise<string[]> {
  let flags: string[] = [];
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    flags = flagsInDmp(gw, currentVersion(gw, uid));
    if (!flags.includes('INVISIBLE_PATIENT')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return flags;
}

it('the announcement of the original document releases its later gateway-made version', async () => {
  const doc = document('pathology');
  const id = await post(gw, doc);
  await gw.waitFor(id, (s) => deposited(s) && scheduledReplacement(s) !== undefined);
  expect(flagsInDmp(gw, uidOf(doc))).toEqual(['INVISIBLE_PATIENT']);

  const change = await call(gw, 'POST', `/api/submissions/${id}/visibility`, {
    flags: ['INVISIBLE_PATIENT', 'MASQUE_PS'],
  });
  expect(change.status).toBe(202);
  const changed = await gw.waitFor(String(change.json.replacement ?? change.json.id), deposited);
  const vUid = changed.documents[0]!.uniqueId;
  expect(flagsInDmp(gw, vUid).sort()).toEqual(['INVISIBLE_PATIENT', 'MASQUE_PS']);

  // The hospital tells the gateway the announcement took place, naming its own document.
  const event = await call(gw, 'POST', '/api/events', { type: 'announcement', documentUniqueId: uidOf(doc) });
  expect(event.status).toBe(202);

  // Expected: the current version becomes visible to the patient (MASQUE_PS kept).
  const flags = await flagsOnceReleased(uidOf(doc), 8_000);
  expect(flags, 'still hidden from the patient after the announcement').toEqual(['MASQUE_PS']);
});

it('an announcement received while the changed version is on its way releases that version once deposited', async () => {
  const doc = document('pathology');
  const id = await post(gw, doc);
  await gw.waitFor(id, (s) => deposited(s) && scheduledReplacement(s) !== undefined);

  gw.sandbox!.setFaults({ latencyMs: 1_500 });
  const change = await call(gw, 'POST', `/api/submissions/${id}/visibility`, {
    flags: ['INVISIBLE_PATIENT', 'MASQUE_PS'],
  });
  expect(change.status).toBe(202);
  const changeId = String(change.json.replacement);
  // Its flags are decided (still hidden) and it is on its way to the DMP when the announcement comes.
  await gw.waitFor(changeId, (s) => s.status === 'sending' && s.sent !== undefined);
  await call(gw, 'POST', '/api/events', { type: 'announcement', documentUniqueId: uidOf(doc) });
  const changed = await gw.waitFor(changeId, deposited);
  gw.sandbox!.setFaults({});
  expect(flagsInDmp(gw, changed.documents[0]!.uniqueId).sort()).toEqual(['INVISIBLE_PATIENT', 'MASQUE_PS']);

  expect(
    await flagsOnceReleased(uidOf(doc), 8_000),
    'still hidden from the patient after the announcement',
  ).toEqual(['MASQUE_PS']);
});
