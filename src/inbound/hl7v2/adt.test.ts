import { describe, expect, it } from 'vitest';
import { context, located, rejection } from '../../../fixtures/hl7v2/context.ts';
import { bytes, PID_FIELDS, segment } from '../../../fixtures/hl7v2/messages.ts';
import { translateHl7 } from './translate.ts';

const adt = (event: string, pid: Record<number, string> | null, zfa?: Record<number, string>) =>
  bytes(
    [
      segment('MSH', {
        2: '^~\\&',
        3: 'GAM',
        4: 'CHD',
        9: `ADT^${event}^ADT_A01`,
        10: 'A-1',
        11: 'P',
        12: '2.5^FRA^2.11',
        18: 'UNICODE UTF-8',
      }),
      segment('EVN', { 2: '20261120101500' }),
      ...(pid ? [segment('PID', { ...PID_FIELDS, ...pid })] : []),
      segment('PV1', { 2: 'I' }),
      ...(zfa ? [segment('ZFA', zfa)] : []),
    ].join('\r'),
  );

describe('PAM-FR ADT', () => {
  it('records the DMP status, the opposition to feeding and the identity of the patient', () => {
    const intake = translateHl7(
      adt('A28', {}, { 1: 'ACTIF', 2: '20261120', 9: 'IO', 10: '20261120', 11: 'IC' }),
      context(),
    );
    expect(intake).toEqual({
      kind: 'patient',
      header: expect.objectContaining({ messageType: 'ADT^A28', version: '2.5' }),
      facts: {
        ins: { root: '1.2.250.1.213.1.4.10', extension: '279035121518989' },
        ipp: { root: '1.2.250.1.999.1.2', extension: 'IPP-000123' },
        dmpStatus: 'ACTIF',
        opposedToFeeding: true,
        feedingInformation: 'IO',
        consultationInformation: 'IC',
        identityStatus: 'VALI',
      },
    });
  });

  it('counts an unknown ZFA-9 code as opposition, an absent one as none', () => {
    const unknown = translateHl7(adt('A08', {}, { 1: 'ACTIF', 9: 'XX' }), context());
    expect(unknown.kind === 'patient' && unknown.facts.opposedToFeeding).toBe(true);
    const none = translateHl7(adt('A08', {}, { 1: 'FERME' }), context());
    expect(none).toMatchObject({ kind: 'patient', facts: { dmpStatus: 'FERME', opposedToFeeding: false } });
  });

  it('accepts a patient without INS nor identity status (nothing to feed yet)', () => {
    const intake = translateHl7(adt('A04', { 3: 'IPP-9^^^CHD&1.2.250.1.999.1.2&ISO^PI', 32: '' }), context());
    expect(intake).toEqual({
      kind: 'patient',
      header: expect.anything(),
      facts: { ipp: { root: '1.2.250.1.999.1.2', extension: 'IPP-9' }, opposedToFeeding: false },
    });
  });

  it('refuses an ADT without PID, an unsupported event, a bad INS', () => {
    expect(located(rejection(() => translateHl7(adt('A01', null), context())))).toEqual([
      'PID HL7_SEGMENT_SEQUENCE',
    ]);
    expect(located(rejection(() => translateHl7(adt('A40', {}), context())))).toEqual([
      'MSH[1]-9.2 HL7_UNSUPPORTED_EVENT',
    ]);
    const bad = '27903512151898^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.10&ISO^INS';
    expect(located(rejection(() => translateHl7(adt('A31', { 3: bad }), context())))).toEqual([
      'PID[1]-3.1 HL7_DATA_TYPE',
    ]);
  });
});
