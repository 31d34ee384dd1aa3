/**
 * TD0.2 on the sandbox DMP: PRPA_IN201307UV02 → PRPA_IN201308UV02 for a
 * patient with an open DMP, a closed DMP, and no DMP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ABSENT,
  ACTIVE,
  CLOSED,
  post,
  readAnswer,
  startTestSandbox,
  type TestSandbox,
} from '../../test/support/sandbox-client.ts';
import { td02 } from '../../test/support/sandbox-requests.ts';
import { attr, parseXml, type XmlObject } from '../xml/parse.ts';
import type { InsId } from './types.ts';

let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t.sandbox.close();
});

const at = (node: unknown, ...path: string[]): XmlObject | undefined =>
  path.reduce<unknown>((n, k) => (n && typeof n === 'object' ? (n as XmlObject)[k] : undefined), node) as
    | XmlObject
    | undefined;

async function existence(ins: InsId, body?: (xml: string) => string) {
  const message = td02({ ...t, ins });
  const request = body ? { ...message, body: Buffer.from(body(message.body.toString('utf8'))) } : message;
  const { envelope, body: xml } = readAnswer(await post(t, 'td02', request));
  expect(envelope.action).toBe('urn:hl7-org:v3:PRPA_IN201308UV02');
  expect(envelope.relatesTo).toBe(message.messageId);
  const response = parseXml(xml).PRPA_IN201308UV02 as XmlObject;
  const patient = at(response, 'controlActProcess', 'subject', 'registrationEvent', 'subject1', 'patient');
  return {
    ack: attr(at(response, 'acknowledgement'), 'typeCode'),
    detail: attr(at(response, 'acknowledgement', 'acknowledgementDetail', 'code'), 'code'),
    queryResponse: attr(at(response, 'controlActProcess', 'queryAck', 'queryResponseCode'), 'code'),
    registration: attr(
      at(response, 'controlActProcess', 'subject', 'registrationEvent', 'statusCode'),
      'code',
    ),
    patientId: attr(at(patient, 'id'), 'extension'),
    patientStatus: attr(at(patient, 'statusCode'), 'code'),
    authorisation: attr(at(response, 'attentionLine', 'value'), 'code'),
    interaction: attr(at(response, 'interactionId'), 'extension'),
  };
}

describe('TD0.2 DMP existence test', () => {
  it('active DMP: AA, OK, patient active, authorisation VALIDE', async () => {
    expect(await existence(ACTIVE)).toEqual({
      ack: 'AA',
      detail: undefined,
      queryResponse: 'OK',
      registration: 'active',
      patientId: ACTIVE.extension,
      patientStatus: 'active',
      authorisation: 'VALIDE',
      interaction: 'PRPA_IN201308UV02',
    });
  });

  it('closed DMP: AA, OK, patient terminated', async () => {
    expect(await existence(CLOSED)).toMatchObject({
      ack: 'AA',
      queryResponse: 'OK',
      registration: 'completed',
      patientStatus: 'terminated',
      authorisation: undefined,
    });
  });

  it('no DMP (seeded absent, or unknown): AA, NF, no patient', async () => {
    for (const ins of [ABSENT, { root: ACTIVE.root, extension: '299999999999999' }]) {
      expect(await existence(ins)).toMatchObject({ ack: 'AA', queryResponse: 'NF', patientId: undefined });
    }
  });

  it('a request without the INS: AE with an acknowledgementDetail', async () => {
    const r = await existence(ACTIVE, (xml) =>
      xml.replace(/<patientIdentifier>[\s\S]*<\/patientIdentifier>/, ''),
    );
    expect(r).toMatchObject({ ack: 'AE', detail: 'SYN105', queryResponse: 'QE' });
  });

  it('a VIHF for another patient → SOAP Fault', async () => {
    const message = td02({ ...t, ins: ACTIVE }, CLOSED);
    const { envelope } = readAnswer(await post(t, 'td02', message));
    expect(envelope.fault).toMatchObject({ code: 'Sender', subcode: 'wsse:FailedAuthentication' });
  });
});
