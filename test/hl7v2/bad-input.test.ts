/**
 * Hostile and broken messages through the listener, over MLLP and `POST
 * /hl7`: each gets a precise AE or AR (ERR-2 naming the segment, field and
 * component, ERR-3 the HL7 condition), nothing is stored, and the listener
 * keeps serving. With Redis down the answer is AR 207 "resend", never AA.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_PDF } from '../../fixtures/cda/sample.ts';
import { bytes, ed, message, PID_FIELDS, segment } from '../../fixtures/hl7v2/messages.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { type RedisServer, startRedisServer } from '../support/processes.ts';
import { freshOid, mdmWithCda, postHl7, readAck, recordCount, sendMllp } from './support.ts';

const text = (s: string) => new TextEncoder().encode(s);

describe('bad input', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({}, ['api']);
  });
  afterAll(async () => {
    await gw?.close();
  });

  /** Sends over MLLP and HTTP; both must give the same ACK code, MSA-2 and ERRs. */
  async function both(input: Uint8Array) {
    const mllp = readAck(await sendMllp(gw, input));
    const http = await postHl7(gw, input, 'application/hl7-v2');
    expect(http.status).toBe(200);
    const viaHttp = readAck(http.body);
    expect([viaHttp.code, viaHttp.acknowledged, viaHttp.errors]).toEqual([
      mllp.code,
      mllp.acknowledged,
      mllp.errors,
    ]);
    return mllp;
  }

  const cases: [string, () => Uint8Array, string, string[], string?][] = [
    [
      'binary garbage',
      () => Uint8Array.of(0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0xff),
      'AE',
      ['MSH^1 100'],
    ],
    [
      'a wrong MSH (message type)',
      () =>
        text(
          `${segment('MSH', { 2: '^~\\&', 3: 'X', 9: 'SIU^S12', 10: 'BAD-1', 11: 'P', 12: '2.6' })}\rPID|1`,
        ),
      'AE',
      ['MSH^1^9^1^1 200'],
      'SIU',
    ],
    ['a missing PID-3', () => mdmWithCda(freshOid(), { pid: { 3: '' } }), 'AE', ['PID^1^3^1 101']],
    [
      'bad base64',
      () =>
        bytes(message({ type: 'MDM', txa12: freshOid(), documents: [{ ed: '^TEXT^XML^Base64^PD94b@Wwg' }] })),
      'AE',
      ['OBX^1^5^1^5 102'],
    ],
    [
      'an XML payload with a DOCTYPE',
      () =>
        mdmWithCda(freshOid(), {
          cda: text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'),
        }),
      'AE',
      ['OBX^1^5^1^5 207'],
      'UNSAFE_XML',
    ],
    [
      'fields that try to inject XML into the deposit',
      () =>
        bytes(
          message({
            type: 'MDM',
            txa12: freshOid(),
            documents: [{ ed: ed(TINY_PDF, 'application', 'pdf') }],
            pid: { ...PID_FIELDS, 5: 'ANDRE</family><id root="1"/>^MARIE^MARIE CLAIRE^^^^L' },
          }),
        ),
      'AE',
      ['PID^1^5^1^1 102'],
    ],
  ];

  for (const [name, build, code, errors, mention] of cases) {
    it(`${name} → ${code} ${errors.join(', ')}`, async () => {
      const before = await recordCount(gw);
      const ack = await both(build());
      expect(ack.code).toBe(code);
      expect(ack.errors).toEqual(errors);
      if (mention) expect(ack.text).toContain(mention);
      expect(await recordCount(gw)).toBe(before);
    });
  }

  it('the listener is still up and accepts a good message', async () => {
    expect(readAck(await sendMllp(gw, mdmWithCda(freshOid()))).code).toBe('AA');
  });

  it('POST /hl7: 413 before parsing when too large, 415 for another media type', async () => {
    const limit = gw.config.hl7.maxMessageBytes;
    const huge = new Uint8Array(limit + 1).fill(0x41);
    const tooLarge = await postHl7(gw, huge);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.toString()).toContain(String(limit));
    const xml = await postHl7(gw, mdmWithCda(freshOid()), 'application/xml');
    expect(xml.status).toBe(415);
    const ok = await postHl7(gw, mdmWithCda(freshOid()), 'text/plain; charset=utf-8');
    expect([ok.status, ok.type, readAck(ok.body).code]).toEqual([200, 'text/plain', 'AA']);
  });

  it('a message in ISO 8859-15 is answered in ISO 8859-15', async () => {
    const body = message({
      type: 'MDM',
      charset: '8859/15',
      documents: [{ ed: ed(text('x'), 'AP', 'PDF') }],
    });
    const latin9 = Buffer.from(body.replace('|DPI-DEMO|', '|DPI-DÉMO|'), 'latin1');
    const ack = await sendMllp(gw, latin9);
    expect(ack.includes(Buffer.from('DPI-D\u00c9MO', 'latin1'))).toBe(true);
    expect(readAck(ack).msh[17]).toBe('8859/15');
  });
});

describe('Redis down', () => {
  let redis: RedisServer;
  let gw: TestGateway;
  beforeAll(async () => {
    redis = await startRedisServer();
    gw = await startTestGateway({ redis: { url: redis.url } }, ['api']);
  });
  afterAll(async () => {
    await gw?.stop();
    await redis?.stop();
  });

  it('AR 207 "temporarily unavailable, resend" (never AA), over MLLP and HTTP; AA once Redis is back', async () => {
    const message = mdmWithCda(freshOid(), { controlId: 'OUTAGE-1' });
    await redis.stop();
    for (const ack of [readAck(await sendMllp(gw, message)), readAck((await postHl7(gw, message)).body)]) {
      expect([ack.code, ack.acknowledged, ack.errors]).toEqual(['AR', 'OUTAGE-1', [' 207']]);
      expect(ack.text).toContain('temporarily unavailable, resend');
    }
    await redis.start();
    const deadline = Date.now() + 15_000;
    let code = '';
    while (code !== 'AA' && Date.now() < deadline) {
      code = readAck(await sendMllp(gw, message)).code;
      if (code !== 'AA') await new Promise((r) => setTimeout(r, 200));
    }
    expect(code).toBe('AA');
  }, 60_000);
});
