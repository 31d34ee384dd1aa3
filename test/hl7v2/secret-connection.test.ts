/**
 * HL7 MetaDMPMSS CONNEXION_SECRETE=Y reaches the deposit: the VIHF of that
 * deposit carries the "connexion secrète" even for an adult (the sender asked).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { freshOid, mdmWithCda, readAck, sendMllp, submissionOf } from './support.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ feeding: { policy: 'rules' } });
});
afterAll(async () => {
  await gw?.close();
});

it('CONNEXION_SECRETE=Y → the deposit is sent with the connexion secrète', async () => {
  const id = freshOid();
  const ack = readAck(await sendMllp(gw, mdmWithCda(id, { flags: { CONNEXION_SECRETE: 'Y' } })));
  expect(ack.code).toBe('AA');
  const submission = await submissionOf(gw, `hl7:DPI-DEMO|CHD:${id}`);
  expect(submission).toBeDefined();
  const done = await gw.waitFor(submission!, (s) => s.status === 'deposited');
  expect(done.sent?.[0]).toMatchObject({ uniqueId: id, secretConnection: true });
});
