/**
 * Minors (DOMAIN.md §4, CSP L1111-5): INVISIBLE_REPRESENTANTS_LEGAUX when a
 * minor asked for secrecy — from the sender's flag (FHIR securityLabel) or
 * the API (`POST /api/submissions/{id}/secrecy`, before the deposit, or
 * after it as a replacement); dropped for an adult. The VIHF "connexion
 * secrète" goes with it (./vihf.test.ts looks inside the VIHF).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestGateway } from '../support/gateway.ts';
import { call, deposited, document, flagsInDmp, lifecycleGateway, post, uidOf } from './support.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await lifecycleGateway();
});
afterAll(async () => {
  await gw?.close();
});

const MINOR = '2012-05-01';
const SECRECY = 'INVISIBLE_REPRESENTANTS_LEGAUX';

it("a minor's document flagged by the sender is hidden from the legal representatives, with a secret connection", async () => {
  const doc = document('discharge', { birthDate: MINOR, flags: [SECRECY] });
  const done = await gw.waitFor(await post(gw, doc), deposited);
  expect(flagsInDmp(gw, uidOf(doc))).toEqual([SECRECY]);
  expect(done.sent).toEqual([expect.objectContaining({ uniqueId: uidOf(doc), secretConnection: true })]);
});

it("an adult's secrecy flag is dropped (not a minor at the document date)", async () => {
  const doc = document('discharge', { flags: [SECRECY] });
  const done = await gw.waitFor(await post(gw, doc), deposited);
  expect(flagsInDmp(gw, uidOf(doc))).toEqual([]);
  expect(done.sent?.[0]?.secretConnection).toBe(false);
});

it('secrecy asked through the API before the deposit (document held for its RCP event)', async () => {
  const doc = document('rcp', { birthDate: MINOR });
  const id = await post(gw, doc);
  await gw.waitFor(id, (s) => s.status === 'held' && s.holdReason === 'waiting for event rcp-validated');
  const secrecy = await call(gw, 'POST', `/api/submissions/${id}/secrecy`);
  expect(secrecy.status).toBe(202);
  const event = await call(gw, 'POST', '/api/events', {
    type: 'rcp-validated',
    documentUniqueId: uidOf(doc),
  });
  expect(event.json.released).toEqual([id]);
  const done = await gw.waitFor(id, deposited);
  expect(done.secrecyRequested).toBe(true);
  expect(flagsInDmp(gw, uidOf(doc))).toEqual([SECRECY]);
});

it('secrecy asked after the deposit is a replacement with the flag; refused for an adult', async () => {
  const doc = document('discharge', { birthDate: MINOR });
  const id = await post(gw, doc);
  await gw.waitFor(id, deposited);
  expect(flagsInDmp(gw, uidOf(doc))).toEqual([]);
  const res = await call(gw, 'POST', `/api/submissions/${id}/secrecy`);
  expect(res.status).toBe(202);
  const replacement = await gw.waitFor(String(res.json.replacement), deposited);
  expect(replacement.lifecycle).toEqual({ kind: 'visibility', replaces: uidOf(doc) });
  expect(flagsInDmp(gw, replacement.documents[0]!.uniqueId)).toEqual([SECRECY]);
  expect(gw.sandbox!.document(uidOf(doc))?.status).toMatch(/Deprecated$/);

  const adult = await gw.waitFor(await post(gw, document('discharge')), deposited);
  const refused = await call(gw, 'POST', `/api/submissions/${adult.id}/secrecy`);
  expect(refused.status).toBe(422);
});
