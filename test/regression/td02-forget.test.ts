/**
 * A PAM-FR ADT whose DMP status (ZFA-1) disagrees with the cached TD0.2 answer
 * drops it, so the next deposit asks the DMP again instead of trusting a stale
 * "no DMP" (or "active") for the cache's lifetime. An ADT that agrees keeps it.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PATIENT } from '../../fixtures/hl7v2/cda.ts';
import { bytes, PID_FIELDS, segment } from '../../fixtures/hl7v2/messages.ts';
import { configSchema } from '../../src/config/schema.ts';
import type { DmpState } from '../../src/dmp/td02.ts';
import { Td02Cache } from '../../src/dmp/td02-cache.ts';
import { type Hl7IntakeDeps, handleHl7 } from '../../src/intake/hl7.ts';
import { AckMemory } from '../../src/intake/hl7-acks.ts';
import { PatientFactsStore } from '../../src/patients/facts.ts';
import type { DepositQueue } from '../../src/queue/deposit-queue.ts';
import { payloadCipher } from '../../src/store/crypto.ts';
import { SubmissionStore } from '../../src/store/records.ts';
import { readAck } from '../hl7v2/support.ts';
import { dropPrefix, testPrefix, testRedis } from '../support/redis.ts';

function adt(controlId: string, zfa1: string) {
  return bytes(
    [
      segment('MSH', {
        2: '^~\\&',
        3: 'GAM',
        4: 'CHD',
        9: 'ADT^A08^ADT_A01',
        10: controlId,
        11: 'P',
        12: '2.5^FRA^2.11',
        18: 'UNICODE UTF-8',
      }),
      segment('EVN', { 2: '20261120101500' }),
      segment('PID', PID_FIELDS),
      segment('PV1', { 2: 'I' }),
      segment('ZFA', { 1: zfa1 }),
    ].join('\r'),
  );
}

let redis: Redis;
const prefix = testPrefix();
const key = randomBytes(32);
let deps: Hl7IntakeDeps;
let asked = 0;
let dmp: DmpState = 'absent';
let worker: Td02Cache;
beforeAll(async () => {
  redis = await testRedis();
  // The worker's cache asks the DMP; the intake's shares its keys and only forgets.
  worker = new Td02Cache(redis, prefix, key, 3600, {
    checkPatient: async () => {
      asked++;
      return dmp;
    },
  });
  deps = {
    store: new SubmissionStore(redis, prefix, payloadCipher(randomBytes(32))),
    queue: { add: async () => ({}) } as unknown as DepositQueue,
    config: configSchema.parse({ redis: { prefix } }),
    log: pino({ level: 'silent' }),
    patients: new PatientFactsStore(redis, prefix, randomBytes(32)),
    td02: new Td02Cache(redis, prefix, key, 3600),
    acks: new AckMemory(redis, prefix, 3600),
  };
});
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

it('an ADT whose DMP status disagrees with the cached TD0.2 answer makes the next deposit ask again', async () => {
  expect(readAck(await handleHl7(adt('TD-1', 'INEXISTANT'), deps)).code).toBe('AA');
  expect(await worker.status(PATIENT)).toBe('absent');
  expect(await worker.status(PATIENT)).toBe('absent');
  expect(asked).toBe(1); // cached

  // The patient opened a DMP meanwhile; the ADT says so.
  dmp = 'active';
  expect(readAck(await handleHl7(adt('TD-2', 'ACTIF'), deps)).code).toBe('AA');
  expect(await worker.status(PATIENT)).toBe('active');
  expect(asked).toBe(2);

  // An ADT agreeing with the cached answer keeps it.
  expect(readAck(await handleHl7(adt('TD-3', 'ACTIF'), deps)).code).toBe('AA');
  expect(await worker.status(PATIENT)).toBe('active');
  expect(asked).toBe(2);

  // The DMP was closed (TD0.2 asked after the cache expired, say); the hospital still says ACTIF, as
  // before: the cache disagrees with the ADT, so the DMP is asked again, even though the ADT repeats itself.
  await worker.forget(PATIENT);
  dmp = 'closed';
  expect(await worker.status(PATIENT)).toBe('closed');
  expect(readAck(await handleHl7(adt('TD-4', 'ACTIF'), deps)).code).toBe('AA');
  dmp = 'active';
  expect(await worker.status(PATIENT)).toBe('active');
  expect(asked).toBe(4);
});

it('a cache without a TD0.2 source never answers from nowhere', async () => {
  const intakeOnly = new Td02Cache(redis, prefix, randomBytes(32), 3600);
  expect(await intakeOnly.status(PATIENT)).toBe('error');
});
