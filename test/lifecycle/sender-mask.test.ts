/**
 * Only a mask an operator turned on is kept for the sender's next versions:
 * a minor's secrecy asked after the deposit copies the current flags,
 * including the sender's own MASQUE_PS, which the sender can still lift with
 * its next version (as without the secrecy request, the control case).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  call,
  deposited,
  document,
  flagsInDmp,
  lifecycleGateway,
  post,
  uidOf,
} from '../lifecycle/support.ts';
import { freshDocument, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await lifecycleGateway();
});
afterAll(async () => {
  await gw?.close();
});

const MINOR = '2012-05-01';
const SECRECY = 'INVISIBLE_REPRESENTANTS_LEGAUX';

function nextVersionOf(doc: { masterIdentifier: { value: string } }) {
  const next = freshDocument('documentreference-replace.json');
  next.relatesTo[0].target.identifier.value = doc.masterIdentifier.value;
  next.content[0].attachment.creation = new Date().toISOString();
  next.contained[0].birthDate = MINOR;
  return next; // no MASQUE_PS label: the sender lifts its own mask
}

it('control: the sender lifts its own mask with its next version', async () => {
  const doc = document('discharge', { birthDate: MINOR, flags: ['MASQUE_PS'] });
  await gw.waitFor(await post(gw, doc), deposited);
  expect(flagsInDmp(gw, uidOf(doc))).toEqual(['MASQUE_PS']);
  const next = nextVersionOf(doc);
  await gw.waitFor(await post(gw, next), deposited);
  expect(flagsInDmp(gw, uidOf(next))).toEqual([]);
});

it("a minor's secrecy request does not turn the sender's own mask into an operator's mask", async () => {
  const doc = document('discharge', { birthDate: MINOR, flags: ['MASQUE_PS'] });
  const id = await post(gw, doc);
  await gw.waitFor(id, deposited);
  const res = await call(gw, 'POST', `/api/submissions/${id}/secrecy`);
  expect(res.status).toBe(202);
  const secret = await gw.waitFor(String(res.json.replacement), deposited);
  expect(flagsInDmp(gw, secret.documents[0]!.uniqueId).sort()).toEqual([SECRECY, 'MASQUE_PS'].sort());

  const next = nextVersionOf(doc);
  await gw.waitFor(await post(gw, next), deposited);
  // The secrecy holds; the mask was the sender's, and the sender lifted it.
  expect(flagsInDmp(gw, uidOf(next))).toEqual([SECRECY]);
});
