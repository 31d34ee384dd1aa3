import { describe, expect, it } from 'vitest';
import { fingerprint, headerOfRaw, oversizeAck, rejectAck, unavailableAck } from './hl7-acks.ts';

const NOW = new Date('2026-11-20T10:00:00Z');
const MSH = 'MSH|^~\\&|APP|FAC|GW|GWF|20261120101500||MDM^T02^MDM_T02|CTRL-1|P|2.6|||||FRA|UNICODE UTF-8';
const text = (s: string) => Buffer.from(s, 'utf8');
const segments = (ack: Buffer) =>
  ack
    .toString('utf8')
    .split('\r')
    .filter(Boolean)
    .map((s) => s.split('|'));

describe('fingerprint', () => {
  it('ignores MSH-7 (a resend is restamped), nothing else', () => {
    const a = text(`${MSH}\rPID|1`);
    expect(fingerprint(text(`${MSH.replace('20261120101500', '20261120111111')}\rPID|1`))).toBe(
      fingerprint(a),
    );
    expect(fingerprint(text(`${MSH}\rPID|2`))).not.toBe(fingerprint(a));
    expect(fingerprint(text(`${MSH.replace('CTRL-1', 'CTRL-2')}\rPID|1`))).not.toBe(fingerprint(a));
  });
});

describe('headerOfRaw', () => {
  it('reads the MSH of a message whose body is broken, after a BOM', () => {
    const raw = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text(`${MSH}\r\u0000\u0001binary`)]);
    expect(headerOfRaw(raw)).toMatchObject({ controlId: 'CTRL-1', sender: { application: 'APP' } });
  });

  it('reads the MSH even when its MSH-18 is a charset the gateway does not read', () => {
    expect(headerOfRaw(text(MSH.replace('UNICODE UTF-8', 'EBCDIC')))?.controlId).toBe('CTRL-1');
  });

  it('nothing for bytes that are not HL7', () => {
    expect(headerOfRaw(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))).toBeUndefined();
  });
});

describe('reject ACKs', () => {
  it('AE for an error in the message, AR when the failure is circumstantial', () => {
    const bytes = text(`${MSH}\rPID|1`);
    const ae = segments(
      rejectAck(bytes, [{ code: 'HL7_REQUIRED_FIELD', path: 'PID[1]-3', message: 'missing' }], NOW),
    );
    expect(ae.find((s) => s[0] === 'MSA')).toEqual(['MSA', 'AE', 'CTRL-1']);
    expect(ae.find((s) => s[0] === 'ERR')?.slice(2, 4)).toEqual([
      'PID^1^3^1',
      '101^Required field missing^messageErrorCondition',
    ]);
    const ar = segments(unavailableAck(bytes, 'resend', NOW));
    expect(ar.find((s) => s[0] === 'MSA')).toEqual(['MSA', 'AR', 'CTRL-1']);
    expect(ar.find((s) => s[0] === 'ERR')?.[3]).toBe('207^Application error^messageErrorCondition');
  });

  it('an oversized message: AE naming the limit, MSA-2 from its first bytes', () => {
    const ack = segments(oversizeAck(text(`${MSH}\rOBX|1|ED|xx`), 1000, NOW));
    expect(ack.find((s) => s[0] === 'MSA')).toEqual(['MSA', 'AE', 'CTRL-1']);
    expect(ack.find((s) => s[0] === 'ERR')?.[8]).toContain('larger than 1000 bytes');
  });
});
