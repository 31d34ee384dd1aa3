/**
 * Regression (found in review): two ways a patient's opposition to feeding (PAM-FR
 * ZFA-9 `IO`) is acknowledged AA and then not honoured.
 *
 * 1. src/queue/feeding-policy.ts reads the facts by INS and falls back to the
 *    IPP only when the INS key holds nothing. The opposition is often known
 *    before the identity is qualified (ADT with the IPP only); a later ADT
 *    that brings the INS and a ZFA without ZFA-9 (e.g. only the DMP status)
 *    creates the INS key without `opposedToFeeding`, which then hides the
 *    opposition stored under the IPP: the worker feeds the DMP.
 * 2. src/intake/hl7.ts records facts under `[ins, ipp]` only; an ADT whose
 *    PID-3 carries neither an INS nor a `PI`-typed id (e.g. type `MR`, or no
 *    type) gets AA while the opposition is stored nowhere.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PATIENT } from '../../fixtures/hl7v2/cda.ts';
import { bytes, PID_FIELDS, segment } from '../../fixtures/hl7v2/messages.ts';
import { configSchema } from '../../src/config/schema.ts';
import type { Td02Cache } from '../../src/dmp/td02-cache.ts';
import { type Hl7IntakeDeps, handleHl7 } from '../../src/intake/hl7.ts';
import { AckMemory } from '../../src/intake/hl7-acks.ts';
import type { MappingRegistry } from '../../src/mappings/registry.ts';
import { PatientFactsStore } from '../../src/patients/facts.ts';
import type { DepositQueue } from '../../src/queue/deposit-queue.ts';
import { feedingPolicy } from '../../src/queue/feeding-policy.ts';
import { payloadCipher } from '../../src/store/crypto.ts';
import { SubmissionStore } from '../../src/store/records.ts';
import { readAck } from '../hl7v2/support.ts';
import { dropPrefix, testPrefix, testRedis } from '../support/redis.ts';

const IPP = 'IPP-000123^^^CHD&1.2.250.1.999.1.2&ISO^PI';

function adt(controlId: string, event: string, pid: Record<number, string>, zfa: Record<number, string>) {
  return bytes(
    [
      segment('MSH', {
        2: '^~\\&',
        3: 'GAM',
        4: 'CHD',
        9: `ADT^${event}^ADT_A01`,
        10: controlId,
        11: 'P',
        12: '2.5^FRA^2.11',
        18: 'UNICODE UTF-8',
      }),
      segment('EVN', { 2: '20261120101500' }),
      segment('PID', { ...PID_FIELDS, ...pid }),
      segment('PV1', { 2: 'I' }),
      segment('ZFA', zfa),
    ].join('\r'),
  );
}

let redis: Redis;
const prefix = testPrefix();
let deps: Hl7IntakeDeps;
let patients: PatientFactsStore;
beforeAll(async () => {
  redis = await testRedis();
  patients = new PatientFactsStore(redis, prefix, randomBytes(32));
  deps = {
    store: new SubmissionStore(redis, prefix, payloadCipher(randomBytes(32))),
    queue: { add: async () => ({}) } as unknown as DepositQueue,
    config: configSchema.parse({ redis: { prefix } }),
    log: pino({ level: 'silent' }),
    patients,
    acks: new AckMemory(redis, prefix, 3600),
  };
});
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

it('an opposition recorded under the IPP still blocks once the INS is known', async () => {
  // 1. admission, identity not qualified yet: IPP only, the patient opposes feeding
  const a04 = adt('RV-OPP-1', 'A04', { 3: IPP, 32: 'PROV' }, { 1: 'ACTIF', 9: 'IO' });
  expect(readAck(await handleHl7(a04, deps)).code).toBe('AA');
  // 2. identity qualified: INS + IPP, ZFA restates the DMP status only
  const a08 = adt('RV-OPP-2', 'A08', {}, { 1: 'ACTIF' });
  expect(readAck(await handleHl7(a08, deps)).code).toBe('AA');

  const policy = feedingPolicy({
    registry: {} as MappingRegistry,
    finess: '999000019',
    patients,
    td02: {} as Td02Cache,
  });
  const facts = await policy.patientFacts({
    ...PATIENT,
    ipp: { root: '1.2.250.1.999.1.2', extension: 'IPP-000123' },
  });
  expect(facts?.opposedToFeeding).toBe(true);
});

it('an ADT whose opposition cannot be recorded is not answered AA', async () => {
  const a31 = adt('RV-OPP-3', 'A31', { 3: 'LOC-77^^^CHD&1.2.250.1.999.1.2&ISO^MR', 32: 'PROV' }, { 9: 'IO' });
  const before = (await redis.keys(`${prefix}:patient:*`)).length;
  const ack = readAck(await handleHl7(a31, deps));
  const written = (await redis.keys(`${prefix}:patient:*`)).length - before;
  // either refused, or the opposition is kept somewhere the rules can find it
  expect({ ack: ack.code, written: ack.code === 'AA' ? written > 0 : true }).toEqual({
    ack: ack.code,
    written: true,
  });
});
