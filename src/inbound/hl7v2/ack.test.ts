import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NOW } from '../../../fixtures/hl7v2/context.ts';
import { corpusFile } from '../../../test/support/xsd.ts';
import { GatewayError, type Issue } from '../../errors/catalogue.ts';
import { ackCodeFor, buildAck, buildZam, errorLocation } from './ack.ts';
import { readHl7Header } from './header.ts';
import { all, get, type Hl7Message, one, parseText } from './message.ts';
import type { Hl7Header } from './types.ts';

const HEADER: Hl7Header = {
  sender: { application: 'SIL-Y', facility: 'labo^1.2.250.1.999^ISO' },
  receiver: { application: 'PFI-X', facility: 'Organisation-X' },
  messageType: 'ORU^R01',
  controlId: 'MSG|015',
  processingId: 'T',
  version: '2.5',
  charset: '8859/15',
};

const parse = (text: string): Hl7Message => {
  expect(text.endsWith('\r')).toBe(true);
  return parseText(text.slice(0, -1), 'utf-8', '');
};

const issue = (code: Issue['code'], path: string, message: string): Issue => ({ code, path, message });

describe('errorLocation (ERR-2, ERL)', () => {
  it('turns issue paths into SEG^seq^field^rep^comp^sub', () => {
    expect(errorLocation('MSH[1]-12')).toBe('MSH^1^12^1');
    expect(errorLocation('PID[1]-3')).toBe('PID^1^3^1');
    expect(errorLocation('PID[1]-3[2].1')).toBe('PID^1^3^2^1');
    expect(errorLocation('OBX[2]-5.5')).toBe('OBX^2^5^1^5');
    expect(errorLocation('PID[1]-3.4.2')).toBe('PID^1^3^1^4^2');
    expect(errorLocation('PRT')).toBe('PRT');
    expect(errorLocation('segment 3')).toBe('');
    expect(errorLocation('ClinicalDocument/id')).toBe('');
  });
});

describe('buildAck', () => {
  it('AA: MSH with sender and receiver swapped, ACK^<event>^ACK, MSA-2 the original control id', () => {
    const ack = parse(buildAck({ header: HEADER, code: 'AA', now: NOW, controlId: 'ACK-1' }));
    const msh = ack.segments[0];
    expect([3, 4, 5, 6].map((f) => get(ack, msh, f))).toEqual(['PFI-X', 'Organisation-X', 'SIL-Y', 'labo']);
    expect(get(ack, msh, 6, 2)).toBe('1.2.250.1.999');
    expect(get(ack, msh, 7)).toBe('20261120112000+0100');
    expect(msh?.fields[9]).toBe('ACK^R01^ACK');
    expect([10, 11, 12, 17, 18].map((f) => get(ack, msh, f))).toEqual([
      'ACK-1',
      'T',
      '2.5',
      'FRA',
      '8859/15',
    ]);
    expect(get(ack, one(ack, 'MSA'), 1)).toBe('AA');
    expect(get(ack, one(ack, 'MSA'), 2)).toBe('MSG|015');
    expect(all(ack, 'ERR')).toHaveLength(0);
  });

  it('AE: one ERR per issue with location, 0357 condition, severity, volet code and the message', () => {
    const issues = [
      issue('INS_MISMATCH', 'PID[1]-3', 'the INS differs from the INS of the CDA recordTarget'),
      issue('HL7_DATA_TYPE', 'OBX[1]-5.5', 'bad | data ^ here & there ~ \\ end'),
      issue('INVALID_INPUT', 'OBX[1]-5.5', 'CDA ClinicalDocument/setId: setId is missing'),
    ];
    const warnings = [issue('HL7_TABLE_VALUE', 'PV1[1]-2', 'unknown class')];
    const ack = parse(
      buildAck({ header: HEADER, code: 'AE', issues, warnings, now: NOW, controlId: 'ACK-2' }),
    );
    const errs = all(ack, 'ERR');
    expect(errs).toHaveLength(4);
    expect(errs.map((e) => e.fields[2])).toEqual(['PID^1^3^1', 'OBX^1^5^1^5', 'OBX^1^5^1^5', 'PV1^1^2^1']);
    expect(errs.map((e) => e.fields[3])).toEqual([
      '207^Application error^messageErrorCondition',
      '102^Data type error^messageErrorCondition',
      '207^Application error^messageErrorCondition',
      '103^Table value not found^messageErrorCondition',
    ]);
    expect(errs.map((e) => get(ack, e, 4))).toEqual(['E', 'E', 'E', 'W']);
    expect(get(ack, errs[0], 5, 1)).toBe('904');
    expect(get(ack, errs[0], 5, 3)).toBe('applicationErrorCondition');
    expect(get(ack, errs[1], 5)).toBe('');
    expect(get(ack, errs[0], 7)).toBe('INS_MISMATCH');
    expect(get(ack, errs[1], 8)).toBe('bad | data ^ here & there ~ \\ end');
    expect(get(ack, one(ack, 'MSA'), 1)).toBe('AE');
  });

  it('answers a message without usable MSH from defaults, MSA-2 empty', () => {
    const issues = [
      issue('HL7_SEGMENT_SEQUENCE', 'MSH[1]', 'the message does not start with an MSH segment'),
    ];
    const text = buildAck({ code: 'AR', issues, now: NOW, controlId: 'ACK-3' });
    const ack = parse(text);
    expect(ack.segments.map((s) => s.name)).toEqual(['MSH', 'MSA', 'ERR']);
    expect(get(ack, ack.segments[0], 3)).toBe('DMP-GATEWAY');
    expect(get(ack, ack.segments[0], 9)).toBe('ACK');
    expect(get(ack, ack.segments[0], 18)).toBe('UNICODE UTF-8');
    expect(one(ack, 'MSA')?.fields).toEqual(['MSA', 'AR', '']);
    expect(one(ack, 'ERR')?.fields[2]).toBe('MSH^1');
  });

  it('escapes values so that nothing sent can add a field or a segment', () => {
    const hostile: Hl7Header = {
      ...HEADER,
      controlId: 'X\rERR|forged',
      sender: { application: 'A|B~C', facility: '' },
    };
    const ack = parse(buildAck({ header: hostile, code: 'AA', now: NOW, controlId: 'ID|^~&\r' }));
    expect(ack.segments.map((s) => s.name)).toEqual(['MSH', 'MSA']);
    expect(get(ack, ack.segments[0], 10)).toBe('ID|^~&');
    expect(get(ack, one(ack, 'MSA'), 2)).toBe('X\nERR|forged');
    expect(get(ack, ack.segments[0], 5)).toBe('A|B~C');
  });

  it('acknowledges with the header read from the raw message', () => {
    const bytes = readFileSync(corpusFile('hl7v2/fr-ans/oru/message_ORU_CR_Bio_INIT_N1_N3.hl7'));
    const header = readHl7Header(bytes);
    const ack = parse(buildAck({ header, code: 'AA', now: NOW, controlId: '016' }));
    const expected = parseText(
      readFileSync(corpusFile('hl7v2/fr-ans/oru/ack.hl7'), 'utf-8').trim().replace(/\n/g, '\r'),
      'utf-8',
      '',
    );
    for (const f of [3, 4, 5, 6, 9, 10, 11, 12, 17, 18]) {
      expect(get(ack, ack.segments[0], f), `MSH-${f}`).toBe(get(expected, expected.segments[0], f));
    }
    expect(one(ack, 'MSA')?.fields).toEqual(one(expected, 'MSA')?.fields);
    expect(readHl7Header(new Uint8Array([1, 2, 3]))).toBeUndefined();
  });
});

describe('ackCodeFor', () => {
  it('AE for an error in the message, AR for a circumstantial failure', () => {
    expect(ackCodeFor(new GatewayError('HL7_UNSUPPORTED_VERSION', []))).toBe('AE');
    expect(ackCodeFor(new GatewayError('INS_MISMATCH', []))).toBe('AE');
    expect(ackCodeFor(new Error('redis down'))).toBe('AR');
  });
});

describe('buildZam', () => {
  it('Y: ACK_RECEPTION_DMP with OBX-4 = the original MSH-10, no ERR', () => {
    const zam = parse(
      buildZam({ header: HEADER, outcome: { accepted: true }, now: NOW, controlId: 'ZAM-1' }),
    );
    expect(zam.segments.map((s) => s.name)).toEqual(['MSH', 'EVN', 'OBX']);
    const msh = zam.segments[0];
    expect(msh?.fields[9]).toBe('ZAM^Z01^ZAM_Z01');
    expect([3, 5, 10, 12, 18].map((f) => get(zam, msh, f))).toEqual([
      'PFI-X',
      'SIL-Y',
      'ZAM-1',
      '2.6',
      '8859/15',
    ]);
    expect(msh?.fields[21]).toBe('2.1^CISIS_CDA_HL7_V2');
    const obx = one(zam, 'OBX');
    expect(obx?.fields[3]).toBe('ACK_RECEPTION_DMP^Accusé de réception DMP^AckMetierZAM');
    expect(get(zam, obx, 4)).toBe('MSG|015');
    expect(obx?.fields[5]).toBe('Y^^expandedYes-NoIndicator');
    expect(get(zam, obx, 11)).toBe('F');
  });

  it('N: one ERR (volet cardinality 0..1) with the first DMP error, shaped as the ANS sample', () => {
    const errors = [
      { code: 'DMPClosed', text: 'DMP fermé' },
      { code: 'Other', text: 'second error, not carried' },
    ];
    const zam = parse(
      buildZam({ header: HEADER, outcome: { accepted: false, errors }, now: NOW, controlId: 'ZAM-2' }),
    );
    const sample = parseText(
      readFileSync(corpusFile('hl7v2/fr-ans/oru/Message-metier-reception-DMP.er7'), 'utf-8')
        .trim()
        .replace(/\n/g, '\r'),
      'utf-8',
      '',
    );
    expect(zam.segments.map((s) => s.name)).toEqual(sample.segments.map((s) => s.name));
    expect(one(zam, 'OBX')?.fields[3]).toBe(one(sample, 'OBX')?.fields[3]);
    expect(get(zam, one(zam, 'OBX'), 5)).toBe('N');
    const errs = all(zam, 'ERR');
    expect(errs.map((e) => get(zam, e, 3))).toEqual(['207']);
    expect(errs.map((e) => get(zam, e, 4))).toEqual(['E']);
    expect([get(zam, errs[0], 5, 1), get(zam, errs[0], 5, 2), get(zam, errs[0], 5, 3)]).toEqual([
      'DMPClosed',
      'DMP fermé',
      'DMP_ERROR_CODE',
    ]);
  });

  it('N: the DMP error is escaped in ERR-5', () => {
    const errors = [{ code: 'X^Y', text: 'a|b' }];
    const zam = parse(
      buildZam({ header: HEADER, outcome: { accepted: false, errors }, now: NOW, controlId: 'ZAM-4' }),
    );
    const [err] = all(zam, 'ERR');
    expect([get(zam, err, 5, 1), get(zam, err, 5, 2)]).toEqual(['X^Y', 'a|b']);
  });

  it('N without DMP error detail still carries the ERR the volet requires', () => {
    const zam = parse(
      buildZam({ header: HEADER, outcome: { accepted: false }, now: NOW, controlId: 'ZAM-3' }),
    );
    expect(all(zam, 'ERR').map((e) => e.fields.slice(3, 5))).toEqual([
      ['207^Application error^messageErrorCondition', 'E'],
    ]);
  });
});
