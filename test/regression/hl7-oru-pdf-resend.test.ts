/**
 * Regression (found in review): an ORU^R01 carrying an unstructured document (PDF,
 * accepted "beyond the volet", src/inbound/hl7v2/obx.ts) has no TXA-12, so
 * src/inbound/hl7v2/n1-entry.ts mints a RANDOM document uniqueId (and setId)
 * on every translation. The intake identity is `hl7:<sender>:<uniqueId>`
 * (src/intake/hl7.ts), so the same message translated twice is two different
 * documents. Whenever the first attempt was stored but answered AR (here: the
 * ACK memory write fails after the store; also an MLLP handler timeout while
 * the store is slow), the sender's resend creates a SECOND submission: the
 * report is deposited twice in the patient's DMP under two ids.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TINY_PDF } from '../../fixtures/cda/sample.ts';
import { bytes, ed, message } from '../../fixtures/hl7v2/messages.ts';
import { configSchema } from '../../src/config/schema.ts';
import type { Hl7Header } from '../../src/inbound/hl7v2/types.ts';
import { type Hl7IntakeDeps, handleHl7 } from '../../src/intake/hl7.ts';
import { AckMemory } from '../../src/intake/hl7-acks.ts';
import { PatientFactsStore } from '../../src/patients/facts.ts';
import type { DepositQueue } from '../../src/queue/deposit-queue.ts';
import { payloadCipher } from '../../src/store/crypto.ts';
import { SubmissionStore } from '../../src/store/records.ts';
import { readAck } from '../hl7v2/support.ts';
import { dropPrefix, testPrefix, testRedis } from '../support/redis.ts';

/** An ACK memory whose first write fails (a Redis blip right after the document was stored). */
class FlakyAcks extends AckMemory {
  failures = 1;
  override async keep(header: Hl7Header, print: string, ack: Buffer) {
    if (this.failures-- > 0) throw new Error('Connection is closed.');
    return super.keep(header, print, ack);
  }
}

let redis: Redis;
const prefix = testPrefix();
beforeAll(async () => {
  redis = await testRedis();
});
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

it('a resent ORU with a PDF after an AR is stored once', async () => {
  const config = configSchema.parse({ redis: { prefix } });
  const store = new SubmissionStore(redis, prefix, payloadCipher(randomBytes(32)));
  const deps: Hl7IntakeDeps = {
    store,
    queue: { add: async () => ({}) } as unknown as DepositQueue,
    config,
    log: pino({ level: 'silent' }),
    patients: new PatientFactsStore(redis, prefix, randomBytes(32)),
    acks: new FlakyAcks(redis, prefix, 3600),
  };
  const oru = bytes(
    message({
      type: 'ORU',
      controlId: 'RV-ORU-PDF-1',
      documents: [{ ed: ed(TINY_PDF, 'application', 'pdf') }],
    }),
  );
  const first = readAck(await handleHl7(oru, deps));
  expect(first.code).toBe('AR'); // "send it again"
  const again = readAck(await handleHl7(oru, deps));
  expect(again.code).toBe('AA');

  const identities = (await redis.keys(`${prefix}:idem:hl7:*`)).sort();
  expect(identities).toHaveLength(1);
});
