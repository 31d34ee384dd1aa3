/**
 * What no CME rule can lift still holds for the replacements the gateway
 * makes itself: when the patient has opposed feeding since the document was
 * deposited, neither its announcement release nor an operator's visibility
 * change sends anything to the DMP; they end `skipped` with the hard block on
 * record.
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

const INS = { root: '1.2.250.1.213.1.4.10', extension: '248097512345602' };
let gw: TestGateway;
beforeAll(async () => {
  gw = await lifecycleGateway();
  gw.sandbox!.seedPatient({ ins: INS, dmp: 'active' });
});
afterAll(async () => {
  await gw?.close();
});

/** The patient opposes feeding the DMP (as a PAM-FR ADT with ZFA-9 would record it). */
async function oppose(): Promise<void> {
  const redis = new Redis(gw.config.redis.url);
  const key = patientIndexKey(loadPayloadKey(undefined, gw.config.devPkiDir));
  await new PatientFactsStore(redis, gw.config.redis.prefix, key).record(
    [INS],
    { opposedToFeeding: true },
    new Date(),
  );
  redis.disconnect();
}

const blocks = (s: SubmissionView) =>
  ((s.decision as { reasons: { hardBlock?: string }[] }[] | undefined) ?? []).flatMap((d) =>
    d.reasons.map((r) => r.hardBlock),
  );

it('an opposition after the deposit: the release and a visibility change are skipped, the DMP untouched', async () => {
  const doc = document('pathology');
  doc.contained[0].identifier[0].value = INS.extension;
  const id = await post(gw, doc);
  const original = await gw.waitFor(id, (s) => deposited(s) && scheduledReplacement(s) !== undefined);
  const releaseId = scheduledReplacement(original)!;
  await gw.waitFor(releaseId, (s) => s.status === 'held');
  await oppose();

  const change = await call(gw, 'POST', `/api/submissions/${id}/visibility`, {
    flags: ['INVISIBLE_PATIENT', 'MASQUE_PS'],
  });
  expect(change.status).toBe(202);
  const changed = await gw.waitFor(String(change.json.replacement ?? change.json.id), (s) =>
    ['skipped', 'deposited', 'rejected', 'failed', 'cancelled'].includes(s.status),
  );
  expect({ status: changed.status, blocks: blocks(changed) }).toEqual({
    status: 'skipped',
    blocks: ['patient-opposed'],
  });

  await call(gw, 'POST', '/api/events', { type: 'announcement', documentUniqueId: uidOf(doc) });
  const release = await gw.waitFor(releaseId, (s) =>
    ['skipped', 'deposited', 'rejected', 'failed', 'cancelled'].includes(s.status),
  );
  expect({ status: release.status, blocks: blocks(release) }).toEqual({
    status: 'skipped',
    blocks: ['patient-opposed'],
  });
  // Nothing reached the DMP after the first deposit: the document is there as first sent, alone.
  expect(flagsInDmp(gw, uidOf(doc))).toEqual(['INVISIBLE_PATIENT']);
  expect(
    gw.sandbox!.documents().filter((d) => d.kind === 'document' && d.patientId.startsWith(INS.extension)),
  ).toHaveLength(1);
});
