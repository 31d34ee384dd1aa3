/**
 * The gateway's own replacements do not give up, and nothing goes over a
 * version that may be in the DMP:
 * - a release that meets a DMP down past its attempts waits and tries again,
 *   and is deposited once the DMP is back;
 * - an operator's change whose deposit landed unanswered is looked up
 *   (ITI-18) and recovered, so the announcement releases the version that
 *   landed and a deletion removes it;
 * - a sender's new version that ended `failed` after a request that may have
 *   landed is looked up (ITI-18), never sent again, before the release goes
 *   over it.
 * In every case no version of the document stays hidden from the patient.
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

const ENDED = ['deposited', 'rejected', 'failed', 'skipped', 'cancelled', 'deleted'];
let gw: TestGateway;
beforeAll(async () => {
  // A short DMP timeout: an unanswered deposit is known as such within a second.
  gw = await lifecycleGateway({ dmp: { timeoutMs: 1_000 } });
});
afterEach(() => gw.sandbox!.setFaults({}));
afterAll(async () => {
  await gw?.close();
});

/** Approved versions of the document (any the DMP holds) still hidden from the patient, once settled. */
async function hiddenVersions(uniqueId: string): Promise<string[]> {
  const hidden = () => {
    const all = gw.sandbox!.documents().filter((d) => d.kind === 'document');
    const chain = new Set([gw.sandbox!.document(uniqueId)!.entryUUID]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const d of all)
        if (d.replaces && chain.has(d.replaces) && !chain.has(d.entryUUID))
          [grew] = [true, chain.add(d.entryUUID)];
    }
    return all
      .filter((d) => chain.has(d.entryUUID) && d.status.endsWith('Approved'))
      .filter((d) => flagsInDmp(gw, d.uniqueId).includes('INVISIBLE_PATIENT'))
      .map((d) => d.uniqueId);
  };
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && hidden().length > 0) await new Promise((r) => setTimeout(r, 200));
  return hidden();
}

async function hiddenDocument() {
  const doc = document('pathology');
  const id = await post(gw, doc);
  const original = await gw.waitFor(id, (s) => deposited(s) && scheduledReplacement(s) !== undefined);
  const releaseId = scheduledReplacement(original)!;
  await gw.waitFor(releaseId, (s) => s.status === 'held');
  return { doc, id, releaseId };
}

it('a release that meets a DMP down past its attempts tries again, and is deposited once it is back', async () => {
  const { doc, releaseId } = await hiddenDocument();
  gw.sandbox!.setFaults({ failNext: [{ kind: 'http500', count: 1_000, endpoint: 'iti41' }] });
  await call(gw, 'POST', '/api/events', { type: 'announcement', documentUniqueId: uidOf(doc) });
  // Past its attempts (4 in tests) it is held, trying again, never failed.
  const waiting = await gw.waitFor(releaseId, (s) => s.status === 'held' && (s.attempts ?? 0) >= 3, 30_000);
  expect(waiting.holdReason).toMatch(/trying again/);
  gw.sandbox!.setFaults({});
  const release = await gw.waitFor(releaseId, (s) => ENDED.includes(s.status), 30_000);
  expect(release.status, release.outcome?.reason).toBe('deposited');
  expect(await hiddenVersions(uidOf(doc))).toEqual([]);
});

it("an operator's change that landed unanswered is recovered; the announcement releases the version that landed", async () => {
  const { doc, id } = await hiddenDocument();
  gw.sandbox!.setFaults({
    failNext: [
      { kind: 'commitThenTimeout', count: 1, endpoint: 'iti41' },
      { kind: 'http500', count: 6, endpoint: 'iti18' },
    ],
  });
  const change = await call(gw, 'POST', `/api/submissions/${id}/visibility`, {
    flags: ['INVISIBLE_PATIENT', 'MASQUE_PS'],
  });
  expect(change.status).toBe(202);
  const changed = await gw.waitFor(String(change.json.replacement), (s) => ENDED.includes(s.status), 30_000);
  expect(changed.status, changed.outcome?.reason).toBe('deposited');
  expect(changed.timeline.map((e) => e.type)).toContain('recovered');
  const landed = changed.documents[0]!.uniqueId;
  expect(flagsInDmp(gw, landed).sort()).toEqual(['INVISIBLE_PATIENT', 'MASQUE_PS']);

  await call(gw, 'POST', '/api/events', { type: 'announcement', documentUniqueId: uidOf(doc) });
  expect(await hiddenVersions(uidOf(doc))).toEqual([]);
});

it("a sender's new version that may have landed is looked up (ITI-18), never resent, before the release goes over it", async () => {
  const { doc, releaseId } = await hiddenDocument();
  gw.sandbox!.setFaults({
    failNext: [
      { kind: 'commitThenTimeout', count: 1, endpoint: 'iti41' },
      { kind: 'http500', count: 20, endpoint: 'iti18' },
    ],
  });
  // The sender's new version (a pathology report: hidden by the rule too) lands, unanswered, and ends failed.
  const next = freshDocument('documentreference-replace.json');
  next.type.coding[0] = {
    system: 'http://loinc.org',
    code: '60568-3',
    display: "CR d'anatomie pathologique",
  };
  next.relatesTo[0].target.identifier.value = doc.masterIdentifier.value;
  next.content[0].attachment.creation = new Date().toISOString();
  const nextId = await post(gw, next);
  const failed = await gw.waitFor(nextId, (s) => ENDED.includes(s.status), 30_000);
  expect({ status: failed.status, mayHaveLanded: failed.mayHaveLanded }).toEqual({
    status: 'failed',
    mayHaveLanded: true,
  });
  gw.sandbox!.setFaults({});

  // The announcement: the release finds the new version maybe in the DMP, looks it up (found: recorded
  // deposited) and gives way to it; the new version's own release follows the same announcement.
  await call(gw, 'POST', '/api/events', { type: 'announcement', documentUniqueId: uidOf(doc) });
  const recovered = await gw.waitFor(nextId, (s) => s.status === 'deposited', 30_000);
  // Looked up, never sent again: recovered, one ITI-41 carrying it (the one that landed unanswered).
  expect(recovered.timeline.map((e) => e.type)).toContain('recovered');
  expect(recovered.timeline.map((e) => e.type)).not.toContain('replayed');
  const landedUid = recovered.documents[0]!.uniqueId;
  expect(gw.sandbox!.trace().filter((t) => t.acceptedUniqueIds?.includes(landedUid))).toHaveLength(1);
  const release = await gw.waitFor(releaseId, (s) => ENDED.includes(s.status), 30_000);
  expect(release.status).toBe('cancelled');
  expect(await hiddenVersions(uidOf(doc))).toEqual([]);
});
