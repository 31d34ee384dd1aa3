/**
 * Business acknowledgements (ZAM^Z01, volet "Accusé de réception DMP"): when
 * a document whose message asked for one (ACK_RECEPTION=Y) ends, the gateway
 * sends a ZAM to the sender's configured MLLP endpoint, retries while the
 * sender refuses it, and records `notified` on the submission.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cdaN1, PATIENT } from '../../fixtures/hl7v2/cda.ts';
import { PID_FIELDS } from '../../fixtures/hl7v2/messages.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import {
  type AckPeer,
  freshOid,
  mdmWithCda,
  readAck,
  sendMllp,
  startAckPeer,
  submissionOf,
} from './support.ts';

const SENDER = 'hl7:DPI-DEMO|CHD';
/** A valid INS-NIR (key 91) the sandbox DMP does not know: the deposit is rejected (unknown patient). */
const UNKNOWN_INS = '279037512345691';

let gw: TestGateway;
let peer: AckPeer;
beforeAll(async () => {
  peer = await startAckPeer();
  gw = await startTestGateway({
    hl7: {
      senders: [{ application: 'DPI-DEMO', facility: 'CHD', ackHost: '127.0.0.1', ackPort: peer.port }],
    },
  });
});
afterAll(async () => {
  await gw?.close();
  await peer?.close();
});

/** The ZAM the peer received for the message `controlId`. */
async function zamFor(controlId: string, timeoutMs = 20_000): Promise<string[][]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const zam = peer.received
      .map((m) =>
        m
          .split('\r')
          .filter((s) => s !== '')
          .map((s) => s.split('|')),
      )
      .find((segments) => segments.some((s) => s[0] === 'OBX' && s[4] === controlId));
    if (zam) return zam;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ZAM for ${controlId}; received ${peer.received.length} messages`);
}

it('deposited → ZAM^Z01 with ACK_RECEPTION_DMP Y, after the sender first refused the connection', async () => {
  peer.refuse = 1;
  const id = freshOid();
  const ack = readAck(
    await sendMllp(gw, mdmWithCda(id, { controlId: 'ZAM-OK', flags: { ACK_RECEPTION: 'Y' } })),
  );
  expect(ack.code).toBe('AA');
  const submission = (await submissionOf(gw, `${SENDER}:${id}`))!;
  await gw.waitFor(submission, (s) => s.status === 'deposited', 30_000);

  const zam = await zamFor('ZAM-OK');
  const [msh, evn, obx] = zam;
  expect(msh?.slice(2, 6)).toEqual(['DMP-GATEWAY', 'CHD', 'DPI-DEMO', 'CHD']);
  expect(msh?.[8]).toBe('ZAM^Z01^ZAM_Z01');
  expect(evn?.[0]).toBe('EVN');
  expect(obx?.slice(0, 6)).toEqual([
    'OBX',
    '1',
    'CWE',
    'ACK_RECEPTION_DMP^Accusé de réception DMP^AckMetierZAM',
    'ZAM-OK',
    'Y^^expandedYes-NoIndicator',
  ]);
  expect(zam.filter((s) => s[0] === 'ERR')).toEqual([]);
  expect(peer.refuse).toBe(0); // the first connection was refused, the ZAM came on a retry

  const view = await gw.waitFor(submission, (s) => s.timeline.some((e) => e.type === 'notified'));
  expect(view.timeline.find((e) => e.type === 'notified')).toMatchObject({
    outcome: 'ZAM^Z01 acknowledged (AA)',
    detail: 'ACK_RECEPTION_DMP=Y',
  });
});

it('rejected by the DMP (unknown patient) → ZAM^Z01 N with the DMP error in ERR', async () => {
  const id = freshOid();
  const patient = { ...PATIENT, ins: { ...PATIENT.ins, extension: UNKNOWN_INS } };
  const pid3 = `${UNKNOWN_INS}^^^ASIP-SANTE-INS-NIR&${PATIENT.ins.root}&ISO^INS^^20101207`;
  const message = mdmWithCda(id, {
    controlId: 'ZAM-KO',
    flags: { ACK_RECEPTION: 'Y' },
    cda: cdaN1({ id, patient }),
    pid: { ...PID_FIELDS, 3: pid3 },
  });
  expect(readAck(await sendMllp(gw, message)).code).toBe('AA');
  const submission = (await submissionOf(gw, `${SENDER}:${id}`))!;
  const done = await gw.waitFor(submission, (s) => s.status === 'rejected', 30_000);
  const dmpError = done.outcome?.errors?.[0];
  expect(dmpError?.errorCode).toBeTruthy();

  const zam = await zamFor('ZAM-KO');
  expect(zam.find((s) => s[0] === 'OBX')?.[5]).toBe('N^^expandedYes-NoIndicator');
  const errs = zam.filter((s) => s[0] === 'ERR');
  expect(errs.length).toBeGreaterThan(0);
  expect(errs[0]?.[3]).toBe('207^Application error^messageErrorCondition');
  expect(errs[0]?.[5]?.split('^')[0]).toBe(dmpError?.errorCode);
  expect(errs[0]?.[5]?.split('^')[2]).toBe('DMP_ERROR_CODE');
  const view = await gw.waitFor(submission, (s) => s.timeline.some((e) => e.type === 'notified'));
  expect(view.timeline.find((e) => e.type === 'notified')?.detail).toBe('ACK_RECEPTION_DMP=N');
});

it('no business acknowledgement asked: nothing is sent', async () => {
  const id = freshOid();
  const before = peer.received.length;
  expect(readAck(await sendMllp(gw, mdmWithCda(id, { controlId: 'ZAM-NONE' }))).code).toBe('AA');
  const submission = (await submissionOf(gw, `${SENDER}:${id}`))!;
  await gw.waitFor(submission, (s) => s.status === 'deposited', 30_000);
  await new Promise((r) => setTimeout(r, 1_500)); // more than one outbox drain period
  expect(peer.received.length).toBe(before);
  expect((await gw.status(submission)).timeline.some((e) => e.type === 'notified')).toBe(false);
});

it('a sender without an endpoint: `notified` records that none is configured', async () => {
  const id = freshOid();
  const text = Buffer.from(mdmWithCda(id, { controlId: 'ZAM-NOEP', flags: { ACK_RECEPTION: 'Y' } }))
    .toString('utf8')
    .replace('|DPI-DEMO|CHD|', '|OTHER-APP|CHD|');
  expect(readAck(await sendMllp(gw, Buffer.from(text))).code).toBe('AA');
  const submission = (await submissionOf(gw, `hl7:OTHER-APP|CHD:${id}`))!;
  const view = await gw.waitFor(submission, (s) => s.timeline.some((e) => e.type === 'notified'), 30_000);
  expect(view.status).toBe('deposited');
  expect(view.timeline.find((e) => e.type === 'notified')?.outcome).toBe('no endpoint configured');
});
