import { describe, expect, it } from 'vitest';
import type { StoredSubmission } from '../store/records.ts';
import { originalHeader, readAck, zamBytes, zamOutcome } from './zam.ts';

const reply = {
  channel: 'hl7v2',
  sender: { application: 'RIS-Y', facility: 'Organisation-Y' },
  receiver: { application: 'PFI-Y', facility: 'Organisation-Y' },
  controlId: '015',
  messageType: 'MDM^T02',
  businessAck: true,
} as const;

const stored = (status: StoredSubmission['status'], outcome?: StoredSubmission['outcome']) =>
  ({ status, outcome, record: { reply } }) as unknown as StoredSubmission;

describe('zamOutcome', () => {
  it('Y for deposited and deleted', () => {
    expect(zamOutcome(stored('deposited'))).toEqual({ accepted: true });
    expect(zamOutcome(stored('deleted'))).toEqual({ accepted: true });
  });

  it('N with the DMP errors, else the reason', () => {
    const errors = [{ errorCode: 'XDSUnknownPatientId', codeContext: 'patient inconnu' }];
    expect(zamOutcome(stored('rejected', { reason: 'x', errors }))).toEqual({
      accepted: false,
      errors: [{ code: 'XDSUnknownPatientId', text: 'patient inconnu' }],
    });
    expect(zamOutcome(stored('skipped', { reason: 'DESTDMP=N' }))).toEqual({
      accepted: false,
      errors: [{ code: 'NOT_SENT', text: 'DESTDMP=N' }],
    });
    expect(zamOutcome(stored('failed', { reason: 'attempts exhausted' })).errors?.[0]?.code).toBe(
      'NOT_DELIVERED',
    );
  });
});

describe('zamBytes', () => {
  it('answers the original sender about the original MSH-10 (corpus Message-metier-reception-DMP)', () => {
    const text = zamBytes(
      stored('rejected', { errors: [{ errorCode: 'DMPClosed', codeContext: 'DMP fermé' }] }),
      reply,
      'Z1',
      new Date('2026-11-20T10:00:00Z'),
    ).toString('utf8');
    const segments = text
      .split('\r')
      .filter(Boolean)
      .map((s) => s.split('|'));
    expect(segments[0]?.slice(2, 10)).toEqual([
      'PFI-Y',
      'Organisation-Y',
      'RIS-Y',
      'Organisation-Y',
      expect.any(String),
      '',
      'ZAM^Z01^ZAM_Z01',
      'Z1',
    ]);
    expect(segments[2]?.slice(3, 6)).toEqual([
      'ACK_RECEPTION_DMP^Accusé de réception DMP^AckMetierZAM',
      '015',
      'N^^expandedYes-NoIndicator',
    ]);
    expect(segments[3]?.[5]).toBe('DMPClosed^DMP fermé^DMP_ERROR_CODE');
  });
});

describe('readAck', () => {
  it('MSA-1 and MSA-2, whatever the segment separator, with the message delimiters', () => {
    expect(readAck(Buffer.from('MSH|^~\\&|A\r\nMSA|CA|Z1\r\n'))).toEqual({ code: 'CA', controlId: 'Z1' });
    expect(readAck(Buffer.from('MSH#^~\\&#A\rMSA#AE#Z2'))).toEqual({ code: 'AE', controlId: 'Z2' });
    expect(readAck(Buffer.from('garbage'))).toEqual({});
  });
});

describe('the header of the original message', () => {
  it('answers in the processing mode, version and charset the sender used', () => {
    const reply = {
      channel: 'hl7v2' as const,
      sender: { application: 'LAB', facility: 'X' },
      receiver: { application: 'PFI', facility: 'Y' },
      controlId: '42',
      messageType: 'ORU^R01',
      businessAck: true,
      processingId: 'T',
      version: '2.5',
      charset: '8859/15',
    };
    expect(originalHeader(reply)).toMatchObject({ processingId: 'T', version: '2.5', charset: '8859/15' });
    const { processingId: _p, version: _v, charset: _c, ...older } = reply;
    expect(originalHeader(older)).toMatchObject({
      processingId: 'P',
      version: '2.6',
      charset: 'UNICODE UTF-8',
    });
  });
});
