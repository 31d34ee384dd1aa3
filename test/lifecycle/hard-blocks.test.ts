/**
 * The hard blocks and the replacements the gateway makes itself (releases,
 * operators' visibility changes, a minor's secrecy) of a document already in
 * the DMP: an opposition to feeding since the deposit concerns new documents,
 * so they still go; a DMP closed since then receives nothing (the change ends
 * `skipped`, the block on record), and once it is open again the same change
 * can be asked again.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PatientFactsStore, patientIndexKey } from '../../src/patients/facts.ts';
import { loadPayloadKey } from '../../src/store/crypto.ts';
import type { SubmissionView, TestGateway } from '../support/gateway.ts';
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

const OPPOSED = { root: '1.2.250.1.213.1.4.10', extension: '248097512345602' };
const CLOSING = { root: '1.2.250.1.213.1.4.10', extension: '248097512345603' };
const ENDED = ['skipped', 'deposited', 'rejected', 'failed', 'cancelled'];
let gw: TestGateway;
beforeAll(async () => {
  // TD0.2 asked at every decision: the DMP's state changes during the tests.
  gw = await lifecycleGateway({ feeding: { td02CacheSeconds: 0 } });
  gw.sandbox!.seedPatient({ ins: OPPOSED, dmp: 'active' });
  gw.sandbox!.seedPatient({ ins: CLOSING, dmp: 'active' });
});
afterAll(async () => {
  await gw?.close();
});

/** The patient opposes feeding the DMP (as a PAM-FR ADT with ZFA-9 would record it). */
async function oppose(ins: typeof OPPOSED): Promise<void> {
  const redis = new Redis(gw.config.redis.url);
  const key = patientIndexKey(loadPayloadKey(undefined, gw.config.devPkiDir));
  await new PatientFactsStore(redis, gw.config.redis.prefix, key).record(
    [ins],
    { opposedToFeeding: true },
    new Date(),
  );
  redis.disconnect();
}

const blocks = (s: SubmissionView) =>
  ((s.decision as { reasons: { hardBlock?: string }[] }[] | undefined) ?? []).flatMap((d) =>
    d.reasons.map((r) => r.hardBlock),
  );

async function depositedFor(ins: typeof OPPOSED, type: 'pathology' | 'discharge', birthDate?: string) {
  const doc = document(type, birthDate ? { birthDate } : {});
  doc.contained[0].identifier[0].value = ins.extension;
  const id = await post(gw, doc);
  return { doc, id, view: await gw.waitFor(id, deposited) };
}

it('an opposition since the deposit: the release and a minor’s secrecy still reach the DMP', async () => {
  const hidden = await depositedFor(OPPOSED, 'pathology');
  const minor = await depositedFor(OPPOSED, 'discharge', '2012-05-01');
  const original = await gw.waitFor(hidden.id, (s) => scheduledReplacement(s) !== undefined);
  const releaseId = scheduledReplacement(original)!;
  await oppose(OPPOSED);

  const secrecy = await call(gw, 'POST', `/api/submissions/${minor.id}/secrecy`);
  expect(secrecy.status).toBe(202);
  const secret = await gw.waitFor(String(secrecy.json.replacement), (s) => ENDED.includes(s.status));
  expect(secret.status, secret.outcome?.reason).toBe('deposited');
  expect(flagsInDmp(gw, secret.documents[0]!.uniqueId)).toEqual(['INVISIBLE_REPRESENTANTS_LEGAUX']);

  await call(gw, 'POST', '/api/events', { type: 'announcement', documentUniqueId: uidOf(hidden.doc) });
  const release = await gw.waitFor(releaseId, (s) => ENDED.includes(s.status));
  expect(release.status, release.outcome?.reason).toBe('deposited');
  expect(flagsInDmp(gw, release.documents[0]!.uniqueId)).toEqual([]);
});

it('a DMP closed since the deposit receives nothing; once open again, the same change can be asked', async () => {
  const { id, doc } = await depositedFor(CLOSING, 'discharge');
  gw.sandbox!.seedPatient({ ins: CLOSING, dmp: 'closed' });
  const first = await call(gw, 'POST', `/api/submissions/${id}/visibility`, { flags: ['MASQUE_PS'] });
  expect(first.status).toBe(202);
  const skipped = await gw.waitFor(String(first.json.replacement), (s) => ENDED.includes(s.status));
  expect({ status: skipped.status, blocks: blocks(skipped) }).toEqual({
    status: 'skipped',
    blocks: ['dmp-closed'],
  });
  expect(flagsInDmp(gw, uidOf(doc))).toEqual([]);

  gw.sandbox!.seedPatient({ ins: CLOSING, dmp: 'active' });
  const again = await call(gw, 'POST', `/api/submissions/${id}/visibility`, { flags: ['MASQUE_PS'] });
  expect(again.status, JSON.stringify(again.json)).toBe(202);
  const done = await gw.waitFor(String(again.json.replacement), (s) => ENDED.includes(s.status));
  expect(done.status, done.outcome?.reason).toBe('deposited');
  expect(flagsInDmp(gw, done.documents[0]!.uniqueId)).toEqual(['MASQUE_PS']);
});
