import { describe, expect, it } from 'vitest';
import { type Td02ResponseSpec, td02Response } from '../../test/support/scripted-dmp.ts';
import { GatewayError } from '../errors/catalogue.ts';
import { buildSoapEnvelope } from '../soap/envelope.ts';
import { attr, parseXml, textOf, type XmlObject } from '../xml/parse.ts';
import { serialize } from '../xml/tree.ts';
import { buildTd02Request, readTd02Response } from './td02.ts';

const ins = { root: '1.2.250.1.213.1.4.10', extension: '279035121518989' };

describe('TD0.2 request (PRPA_IN201307UV02)', () => {
  const xml = serialize(
    buildTd02Request({
      ins,
      messageId: 'f1d2',
      queryId: 'q-77',
      now: new Date('2026-11-20T10:30:05.123Z'),
      senderOid: '1.2.250.1.999.1.1',
      softwareName: 'dmp-gateway',
    }),
  );
  const root = parseXml(xml).PRPA_IN201307UV02 as XmlObject;
  const control = root.controlActProcess as XmlObject;
  const query = control.queryByParameter as XmlObject;

  it('is an HL7 v3 message in the urn:hl7-org:v3 namespace, with the header of the ANS sample', () => {
    expect(xml).toMatch(/^<PRPA_IN201307UV02 xmlns="urn:hl7-org:v3" ITSVersion="XML_1.0">/);
    expect(attr(root.id, 'root')).toBe('1.2.250.1.999.1.1');
    expect(attr(root.id, 'extension')).toBe('f1d2');
    expect(attr(root.creationTime, 'value')).toBe('20261120103005');
    expect([attr(root.interactionId, 'root'), attr(root.interactionId, 'extension')]).toEqual([
      '2.16.840.1.113883.1.6',
      'PRPA_IN201307UV02',
    ]);
    expect(attr(root.processingCode, 'code')).toBe('P');
    expect(attr(root.processingModeCode, 'code')).toBe('T');
    expect(attr(root.acceptAckCode, 'code')).toBe('AL');
    const receiver = (root.receiver as XmlObject).device as XmlObject;
    expect(attr(receiver.id, 'root')).toBe('1.2.250.1.213.4.1.1.1');
    expect(textOf(receiver.softwareName)).toBe('DMP');
    const sender = (root.sender as XmlObject).device as XmlObject;
    expect(textOf(sender.softwareName)).toBe('dmp-gateway');
  });

  it('asks for an existence test (TEST_EXST) of the INS', () => {
    expect(attr(control.reasonCode, 'code')).toBe('TEST_EXST');
    expect(attr(control.reasonCode, 'codeSystem')).toBe('1.2.250.1.213.1.1.4.11');
    expect(attr(query.queryId, 'extension')).toBe('q-77');
    expect(attr(query.statusCode, 'code')).toBe('new');
    const identifier = (query.parameterList as XmlObject).patientIdentifier as XmlObject;
    expect([attr(identifier.value, 'root'), attr(identifier.value, 'extension')]).toEqual([
      ins.root,
      ins.extension,
    ]);
    expect(textOf(identifier.semanticsText)).toBe('Patient.id');
  });
});

describe('TD0.2 response (PRPA_IN201308UV02)', () => {
  const read = (spec: Td02ResponseSpec) => readTd02Response(serialize(td02Response(spec)));

  it.each([
    [{ queryResponseCode: 'OK', dmpStatus: 'active', patientStatus: 'active', ins }, 'active'],
    [{ queryResponseCode: 'OK' }, 'active'],
    [{ queryResponseCode: 'OK', dmpStatus: 'active', patientStatus: 'terminated' }, 'closed'],
    [{ queryResponseCode: 'OK', dmpStatus: 'nullified' }, 'closed'],
    [{ queryResponseCode: 'NF' }, 'absent'],
    [{ queryResponseCode: 'NF', ackAsElement: true }, 'absent'],
  ] as const)('%o → %s', (spec, dmp) => {
    expect(read(spec)).toEqual({ kind: 'answer', dmp });
  });

  it('reads the authorisation attention line', () => {
    expect(read({ queryResponseCode: 'OK', patientStatus: 'active', authorisation: 'VALIDE' })).toEqual({
      kind: 'answer',
      dmp: 'active',
      authorisation: 'VALIDE',
    });
  });

  it('reports a refusal (AE) with its details, and an unknown query response code', () => {
    expect(
      read({ ack: 'AE', details: [{ code: 'DMPAccessDenied', text: 'refused' }], queryResponseCode: 'AE' }),
    ).toEqual({
      kind: 'error',
      ack: 'AE',
      queryResponseCode: 'AE',
      details: [{ code: 'DMPAccessDenied', text: 'refused' }],
    });
    expect(read({ queryResponseCode: 'QE' })).toMatchObject({
      kind: 'error',
      ack: 'AA',
      queryResponseCode: 'QE',
    });
  });

  it('reads the message inside a SOAP envelope and refuses anything else', () => {
    const enveloped = serialize(
      buildSoapEnvelope({
        action: 'urn:hl7-org:v3:PRPA_IN201308UV02',
        messageId: 'urn:uuid:1',
        body: td02Response({ queryResponseCode: 'NF' }),
      }),
    );
    expect(readTd02Response(enveloped)).toEqual({ kind: 'answer', dmp: 'absent' });
    expect(() => readTd02Response('<PRPA_IN201306UV02 xmlns="urn:hl7-org:v3"/>')).toThrow(GatewayError);
  });
});
