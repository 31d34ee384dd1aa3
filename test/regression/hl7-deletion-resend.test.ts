/**
 * Regression (found in review): a deletion (MDM^T04) that ended `rejected` can never be
 * sent again by the sender. Its identity is `hl7:<sender>:delete:<uniqueId>`
 * and its content hash is the constant `sha256("delete|<uniqueId>")`
 * (src/intake/hl7.ts store(), case 'deletion'), and the store only lets a
 * rejected/failed identity be claimed again when the content DIFFERS
 * (src/store/scripts.ts CREATE). So the resend is a "duplicate": answered
 * AA, nothing is queued, nothing is deleted, no ZAM. Here the T04 came
 * before its T02 (the gateway does not know the document yet → ITI-18 finds
 * nothing → 900); the sender resends the T04 once the T02 is deposited: AA,
 * and the document stays in the DMP. Same root cause for a document whose
 * record ended `failed` after a long DMP outage: an identical resend is
 * acknowledged and ignored (only an operator replay helps).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { STATUS } from '../../src/model/vocabulary.ts';
import { freshOid, mdmWithCda, readAck, sendMllp, submissionOf } from '../hl7v2/support.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const SENDER = 'hl7:DPI-DEMO|CHD';
const TERMINAL = ['deposited', 'deleted', 'rejected', 'failed', 'skipped'];

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

it('a T04 resent after its first attempt was rejected deletes the document', async () => {
  const id = freshOid();
  // the deletion arrives first: the DMP does not hold the document yet → rejected (900)
  expect(readAck(await sendMllp(gw, mdmWithCda(id, { event: 'T04', controlId: 'RV-DEL-1' }))).code).toBe(
    'AA',
  );
  const deletion = (await submissionOf(gw, `${SENDER}:delete:${id}`))!;
  expect((await gw.waitFor(deletion, (s) => TERMINAL.includes(s.status), 30_000)).status).toBe('rejected');

  // the document is deposited
  expect(readAck(await sendMllp(gw, mdmWithCda(id, { controlId: 'RV-DEL-2' }))).code).toBe('AA');
  await gw.waitFor((await submissionOf(gw, `${SENDER}:${id}`))!, (s) => s.status === 'deposited', 30_000);

  // the sender sends the deletion again (new MSH-10): it is acknowledged...
  expect(readAck(await sendMllp(gw, mdmWithCda(id, { event: 'T04', controlId: 'RV-DEL-3' }))).code).toBe(
    'AA',
  );
  // ...so the document must end deleted in the DMP
  const deadline = Date.now() + 8_000;
  while (Date.now() < deadline && gw.sandbox!.document(id, true)?.status !== STATUS.deleted)
    await new Promise((r) => setTimeout(r, 100));
  expect(gw.sandbox!.document(id, true)?.status).toBe(STATUS.deleted);
});
