/**
 * PAM-FR ADT messages (corpus fr-ans/adt) over MLLP: the patient's DMP facts
 * (ZFA-1 status, ZFA-9 opposition to feeding) are stored before AA, under
 * keys that do not show the INS, readable by INS or IPP; a later message
 * without ZFA does not lift an opposition.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PatientFactsStore, patientIndexKey } from '../../src/patients/facts.ts';
import { loadPayloadKey } from '../../src/store/crypto.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { testRedis } from '../support/redis.ts';
import { corpusFile } from '../support/xsd.ts';
import { readAck, sendMllp } from './support.ts';

const ADT = (name: string) => readFileSync(corpusFile(`hl7v2/fr-ans/adt/${name}`));
const INS = { root: '1.2.250.1.213.1.4.10', extension: '279035121518989' };

let gw: TestGateway;
let facts: PatientFactsStore;
let redis: Awaited<ReturnType<typeof testRedis>>;
beforeAll(async () => {
  gw = await startTestGateway({}, ['api']);
  redis = await testRedis();
  const key = patientIndexKey(loadPayloadKey(undefined, gw.config.devPkiDir));
  facts = new PatientFactsStore(redis, gw.config.redis.prefix, key);
});
afterAll(async () => {
  redis?.disconnect();
  await gw?.close();
});

it('opposition (ZFA-9 IO) is stored before AA; no INS in any key or value', async () => {
  const ack = readAck(await sendMllp(gw, ADT('NonConsentementConsultation_OppositionAlimentation.er7')));
  expect([ack.code, ack.acknowledged]).toEqual(['AA', '3977']);
  expect(await facts.patientFacts(INS)).toMatchObject({ dmpStatus: 'ACTIF', opposedToFeeding: true });

  const keys = await redis.keys(`${gw.config.redis.prefix}:patient:*`);
  expect(keys.length).toBeGreaterThan(0);
  for (const key of keys) {
    expect(key).toMatch(/:patient:[0-9a-f]{64}$/);
    expect(JSON.stringify(await redis.hgetall(key))).not.toContain(INS.extension);
  }
});

it('a later ADT without ZFA (discharge) keeps the opposition; ZFA-9 INO lifts it', async () => {
  expect(readAck(await sendMllp(gw, ADT('sortie.er7'))).code).toBe('AA');
  expect((await facts.patientFacts(INS))?.opposedToFeeding).toBe(true);
  expect(
    readAck(await sendMllp(gw, ADT('ConsentementConsultation_NonOppositionAlimentation.er7'))).code,
  ).toBe('AA');
  expect(await facts.patientFacts(INS)).toMatchObject({ dmpStatus: 'ACTIF', opposedToFeeding: false });
});

it('the facts are found by the local IPP as well; an unknown INS has none', async () => {
  // PID-3 `000003^^^CHU-X&000897406&N^PI`: an authority that is not an OID reads as the configured IPP authority
  const ipp = { root: gw.config.ids.ippAuthority, extension: '000003' };
  expect(await facts.patientFacts(ipp)).toMatchObject({ dmpStatus: 'ACTIF', opposedToFeeding: false });
  expect(await facts.patientFacts({ ...INS, extension: '279037512345691' })).toBeUndefined();
});
