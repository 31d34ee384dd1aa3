/**
 * No patient data in the logs of the HL7 v2 intake: accepted, refused,
 * resent and ADT messages are logged with message types, paths and codes
 * only, never the INS, names or birth date of the patient.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PATIENT } from '../../fixtures/hl7v2/cda.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { corpusFile } from '../support/xsd.ts';
import { freshOid, mdmWithCda, readAck, sendMllp } from './support.ts';

const lines: string[] = [];
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({}, ['api'], { logLines: lines });
});
afterAll(async () => {
  await gw?.close();
});

it('logs hold no INS, name or birth date', async () => {
  const message = mdmWithCda(freshOid(), { controlId: 'LOG-1' });
  expect(readAck(await sendMllp(gw, message)).code).toBe('AA');
  expect(readAck(await sendMllp(gw, message)).code).toBe('AA');
  expect(readAck(await sendMllp(gw, mdmWithCda(freshOid(), { pid: { 7: '19790322' } }))).code).toBe('AE');
  const adt = readFileSync(
    corpusFile('hl7v2/fr-ans/adt/NonConsentementConsultation_OppositionAlimentation.er7'),
  );
  expect(readAck(await sendMllp(gw, adt)).code).toBe('AA');
  const log = lines.join('\n');
  expect(log).toContain('HL7 message accepted');
  expect(log).toContain('HL7 message refused');
  for (const secret of [
    PATIENT.ins.extension,
    PATIENT.birthFamilyName,
    'PAT-TROIS',
    'DOMINIQUE',
    '19790321',
    '19790328',
  ])
    expect(log).not.toContain(secret);
});
