/**
 * What the gateway decided about a document holds for the sender's next
 * version of it, which the sender builds without knowing it:
 * - a minor's secrecy from the legal representatives, asked before or after
 *   the deposit, holds for every later version, even when the sender
 *   restates the confidentiality (HL7 `MODIF_CONF_CODE=Y`);
 * - an operator's mask (MASQUE_PS) holds for the sender's later versions,
 *   one after another, until the sender restates the confidentiality.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TINY_PDF } from '../../fixtures/cda/sample.ts';
import { bytes, ed, message } from '../../fixtures/hl7v2/messages.ts';
import { freshOid, readAck, sendMllp, submissionOf } from '../hl7v2/support.ts';
import { freshDocument, type TestGateway } from '../support/gateway.ts';
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
const HL7_SENDER = 'hl7:DPI-DEMO|CHD';

/** The sender's next version of `doc` (FHIR relatesTo replaces), created now. */
function nextVersionOf(doc: { masterIdentifier: { value: string } }, birthDate?: string) {
  const next = freshDocument('documentreference-replace.json');
  next.relatesTo[0].target.identifier.value = doc.masterIdentifier.value;
  next.content[0].attachment.creation = new Date().toISOString();
  if (birthDate) next.contained[0].birthDate = birthDate;
  return next;
}

/** Asks `POST /api/submissions/<id>/<what>` and waits for the gateway's replacement to be deposited. */
async function changed(id: string, what: 'secrecy' | 'visibility', flags?: string[]) {
  const res = await call(gw, 'POST', `/api/submissions/${id}/${what}`, flags && { flags });
  expect(res.status).toBe(202);
  return gw.waitFor(String(res.json.replacement), deposited);
}

it("secrecy asked after the deposit still holds for the sender's next version", async () => {
  const doc = document('discharge', { birthDate: MINOR });
  const id = await post(gw, doc);
  await gw.waitFor(id, deposited);
  const secret = await changed(id, 'secrecy');
  expect(flagsInDmp(gw, secret.documents[0]!.uniqueId)).toEqual([SECRECY]);

  const next = nextVersionOf(doc, MINOR);
  await gw.waitFor(await post(gw, next), deposited);
  expect(gw.sandbox!.document(secret.documents[0]!.uniqueId)!.status).toMatch(/Deprecated$/);
  expect(flagsInDmp(gw, uidOf(next))).toEqual([SECRECY]);
});

it("secrecy asked before the deposit still holds for the sender's next version", async () => {
  const doc = document('rcp', { birthDate: MINOR });
  const id = await post(gw, doc);
  await gw.waitFor(id, (s) => s.status === 'held');
  expect((await call(gw, 'POST', `/api/submissions/${id}/secrecy`)).status).toBe(202);
  await call(gw, 'POST', '/api/events', { type: 'rcp-validated', documentUniqueId: uidOf(doc) });
  await gw.waitFor(id, deposited);
  expect(flagsInDmp(gw, uidOf(doc))).toEqual([SECRECY]);

  const next = nextVersionOf(doc, MINOR);
  await gw.waitFor(await post(gw, next), deposited);
  expect(flagsInDmp(gw, uidOf(next))).toEqual([SECRECY]);
});

it("an operator's mask (MASQUE_PS) holds for the sender's next version, and the one after", async () => {
  const doc = document('discharge');
  const id = await post(gw, doc);
  await gw.waitFor(id, deposited);
  await changed(id, 'visibility', ['MASQUE_PS']);
  const next = nextVersionOf(doc);
  await gw.waitFor(await post(gw, next), deposited);
  expect(flagsInDmp(gw, uidOf(next))).toEqual(['MASQUE_PS']);

  const after = nextVersionOf(next);
  await gw.waitFor(await post(gw, after), deposited);
  expect(flagsInDmp(gw, uidOf(after))).toEqual(['MASQUE_PS']);
});

it("an operator's later change that lifts the mask is what the next version keeps", async () => {
  const doc = document('discharge');
  const id = await post(gw, doc);
  await gw.waitFor(id, deposited);
  const masked = await changed(id, 'visibility', ['MASQUE_PS']);
  const unmasked = await changed(masked.id, 'visibility', []);
  expect(flagsInDmp(gw, unmasked.documents[0]!.uniqueId)).toEqual([]);
  const next = nextVersionOf(doc);
  await gw.waitFor(await post(gw, next), deposited);
  expect(gw.sandbox!.document(unmasked.documents[0]!.uniqueId)!.status).toMatch(/Deprecated$/);
  expect(flagsInDmp(gw, uidOf(next))).toEqual([]);
});

/** An HL7 MDM wrapping a PDF for a minor; T10 replaces `replaces`. */
function mdm(
  id: string,
  controlId: string,
  options: { replaces?: string; flags?: Record<string, string> } = {},
) {
  return bytes(
    message({
      type: 'MDM',
      event: options.replaces ? 'T10' : 'T02',
      controlId,
      txa12: id,
      ...(options.replaces && { txa13: options.replaces }),
      documents: [{ ed: ed(TINY_PDF, 'application', 'pdf') }],
      pid: { 7: '20120501' },
      ...(options.flags && { flags: options.flags }),
    }),
  );
}

async function sendHl7(id: string, controlId: string, options?: Parameters<typeof mdm>[2]) {
  expect(readAck(await sendMllp(gw, mdm(id, controlId, options))).code).toBe('AA');
  return gw.waitFor((await submissionOf(gw, `${HL7_SENDER}:${id}`))!, deposited, 30_000);
}

it("a sender restating the confidentiality (MODIF_CONF_CODE=Y) lifts an operator's mask, not a minor's secrecy", async () => {
  const first = freshOid();
  const v1 = await sendHl7(first, 'KEPT-1');
  await changed(v1.id, 'visibility', ['MASQUE_PS', SECRECY]);

  const second = freshOid();
  await sendHl7(second, 'KEPT-2', { replaces: first });
  expect(flagsInDmp(gw, second)).toEqual(['MASQUE_PS', SECRECY]);

  const third = freshOid();
  await sendHl7(third, 'KEPT-3', { replaces: second, flags: { MODIF_CONF_CODE: 'Y' } });
  expect(flagsInDmp(gw, third)).toEqual([SECRECY]);
});
