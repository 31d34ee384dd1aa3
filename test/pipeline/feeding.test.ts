/**
 * The establishment's feeding decision in the running gateway, with the
 * example configuration of mappings/ (CHU de Démonstration): CME inclusion,
 * hard blocks (DMP absent by TD0.2, patient opposed by PAM-FR), a rule's
 * hold as a delayed job; every decision stored with its rule and CME
 * reference, and nothing sent to the DMP when the decision says so.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PatientFactsStore, patientIndexKey } from '../../src/patients/facts.ts';
import { loadPayloadKey } from '../../src/store/crypto.ts';
import { freshDocument, idFrom, startExampleGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startExampleGateway();
});
afterAll(async () => {
  await gw?.close();
});

type Reason = { effect: string; ruleId?: string; cmeRef?: string; hardBlock?: string };
const reasons = (s: { decision?: unknown }) =>
  ((s.decision as { reasons: Reason[] }[] | undefined) ?? []).flatMap((d) => d.reasons);
const inSandbox = (doc: { masterIdentifier: { value: string } }) =>
  gw.sandbox!.documents().some((d) => d.uniqueId === doc.masterIdentifier.value.slice(8));

it('a discharge letter is fed under rule I-SEJOUR, with the CME decision on record', async () => {
  const doc = freshDocument();
  const done = await gw.waitFor(idFrom((await gw.post(doc)).location), (s) => s.status === 'deposited');
  expect(reasons(done)).toContainEqual(
    expect.objectContaining({ effect: 'include', ruleId: 'I-SEJOUR', cmeRef: 'CME 2025-02-11 décision 1' }),
  );
  expect(inSandbox(doc)).toBe(true);
  expect(gw.sandbox!.trace().some((t) => t.endpoint === 'td02')).toBe(true);
});

it('a patient without a DMP (TD0.2) is a hard block: skipped, nothing sent', async () => {
  const doc = freshDocument();
  doc.contained[0].identifier[0].value = '190017512345612'; // seeded in the sandbox as "no DMP"
  const done = await gw.waitFor(idFrom((await gw.post(doc)).location), (s) => s.status === 'skipped');
  expect(reasons(done)).toContainEqual(expect.objectContaining({ effect: 'block', hardBlock: 'dmp-absent' }));
  expect(inSandbox(doc)).toBe(false);
});

it('a patient who opposed feeding (PAM-FR ZFA-9) is never fed', async () => {
  const redis = new Redis(gw.config.redis.url);
  const facts = new PatientFactsStore(
    redis,
    gw.config.redis.prefix,
    patientIndexKey(loadPayloadKey(undefined, gw.config.devPkiDir)),
  );
  const doc = freshDocument();
  doc.contained[0].identifier[0].value = '248097512345601';
  gw.sandbox!.seedPatient({
    ins: { root: '1.2.250.1.213.1.4.10', extension: '248097512345601' },
    dmp: 'active',
  });
  await facts.record(
    [{ root: '1.2.250.1.213.1.4.10', extension: '248097512345601' }],
    { opposedToFeeding: true },
    new Date(),
  );
  redis.disconnect();
  const done = await gw.waitFor(idFrom((await gw.post(doc)).location), (s) => s.status === 'skipped');
  expect(reasons(done)).toContainEqual(
    expect.objectContaining({ effect: 'block', hardBlock: 'patient-opposed' }),
  );
  expect(inSandbox(doc)).toBe(false);
});

it('a fresh lab result is held 24 hours by rule I-BIOLOGIE: its job waits in the delayed set', async () => {
  const doc = freshDocument();
  doc.type.coding[0] = { system: 'http://loinc.org', code: '11502-2', display: "CR d'examens biologiques" };
  doc.content[0].attachment.creation = new Date().toISOString(); // the hold counts from the document's date
  const held = await gw.waitFor(idFrom((await gw.post(doc)).location), (s) => s.status === 'held');
  expect(reasons(held)).toContainEqual(expect.objectContaining({ ruleId: 'I-BIOLOGIE' }));
  expect(held.timeline.at(-1)?.detail).toMatch(/^until 20\d\d-/);
  const queue = new Queue('deposit', {
    connection: { url: gw.config.redis.url },
    prefix: `${gw.config.redis.prefix}:bull`,
  });
  expect(await (await queue.getJob(held.jobId!))?.getState()).toBe('delayed');
  await queue.close();
  expect(inSandbox(doc)).toBe(false);
});
