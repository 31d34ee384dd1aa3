import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TINY_PDF } from '../../../fixtures/cda/sample.ts';
import { cdaN1, PATIENT } from '../../../fixtures/hl7v2/cda.ts';
import { context, located, rejection } from '../../../fixtures/hl7v2/context.ts';
import {
  bytes,
  ed,
  type MessageOptions,
  message,
  PID_FIELDS,
  segment,
} from '../../../fixtures/hl7v2/messages.ts';
import { GatewayError } from '../../errors/catalogue.ts';
import { translateHl7 } from './translate.ts';

const ID = '1.2.250.1.999.1.3.3001';
const cda = cdaN1({ id: ID });
const options = (o: Partial<MessageOptions> = {}): MessageOptions => ({
  type: 'MDM',
  txa12: ID,
  documents: [{ ed: ed(cda) }],
  ...o,
});
const mdm = (o: Partial<MessageOptions> = {}) => bytes(message(options(o)));
const fails = (input: Uint8Array) => located(rejection(() => translateHl7(input, context())));
const text = (s: string) => new TextEncoder().encode(s);

describe('messages that are not HL7 or not for the gateway', () => {
  it('binary garbage and missing MSH', () => {
    expect(fails(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01]))).toEqual([
      'MSH[1] HL7_SEGMENT_SEQUENCE',
    ]);
    expect(fails(text('PID|||1\rMSH|^~\\&'))).toEqual(['MSH[1] HL7_SEGMENT_SEQUENCE']);
    expect(fails(new Uint8Array())).toEqual(['MSH[1] HL7_SEGMENT_SEQUENCE']);
  });

  it('any bytes end in an intake or a GatewayError, never another failure', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (noise, withMsh) => {
        const input = withMsh ? Uint8Array.from([...text('MSH|^~\\&|'), ...noise]) : noise;
        try {
          translateHl7(input, context());
        } catch (err) {
          expect(err).toBeInstanceOf(GatewayError);
        }
      }),
    );
  });

  it('a message truncated anywhere before its last required segment is refused with a GatewayError', () => {
    const whole = mdm();
    // HL7 v2 has no end marker: a cut at the boundary of an optional last segment leaves a valid message.
    // Nor does a cut inside a segment after its required values: cut before the last required flag (DESTMSSANTEPAT).
    const last = new TextDecoder().decode(whole).indexOf('\rOBX|9|CWE|DESTMSSANTEPAT');
    expect(last).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: last }), (cut) => {
        expect(() => translateHl7(whole.subarray(0, cut), context())).toThrow(GatewayError);
      }),
      { numRuns: 60 },
    );
  });

  it('truncated inside the document: bad base64 or unreadable XML, at OBX-5.5', () => {
    const full = message(options());
    const start = full.indexOf('Base64^') + 'Base64^'.length;
    const cut = (len: number) => text(full.slice(0, start + len));
    expect(fails(cut(401))).toContain('OBX[1]-5.5 HL7_DATA_TYPE');
    expect(fails(cut(400))).toContain('OBX[1]-5.5 INVALID_INPUT');
  });

  it('a wrong MSH: type, event, version, processing id, control id, delimiters', () => {
    const msh = (fields: Record<number, string>) =>
      segment('MSH', { 2: '^~\\&', 9: 'MDM^T02^MDM_T02', 10: '1', 11: 'P', 12: '2.6', ...fields });
    expect(fails(text(`${msh({ 9: 'SIU^S12' })}\rPID|1`))).toEqual([
      'MSH[1]-9.1 HL7_UNSUPPORTED_MESSAGE_TYPE',
    ]);
    expect(fails(text(`${msh({ 9: 'MDM^T03' })}\rPID|1`))).toEqual(['MSH[1]-9.2 HL7_UNSUPPORTED_EVENT']);
    expect(fails(text(`${msh({ 9: '' })}\rPID|1`))).toEqual(['MSH[1]-9 HL7_REQUIRED_FIELD']);
    expect(fails(text(`${msh({ 12: '2.3' })}\rPID|1`))).toEqual(['MSH[1]-12 HL7_UNSUPPORTED_VERSION']);
    expect(fails(text(`${msh({ 11: 'X', 10: '' })}\rPID|1`))).toEqual([
      'MSH[1]-10 HL7_REQUIRED_FIELD',
      'MSH[1]-11 HL7_UNSUPPORTED_PROCESSING_ID',
    ]);
    expect(fails(text(`${msh({ 2: '^~' })}\rPID|1`))).toEqual(['MSH[1]-2 HL7_DATA_TYPE']);
    expect(fails(text(`${msh({})}\r${msh({})}`))).toEqual(['MSH[2] HL7_CARDINALITY']);
  });
});

describe('patient problems', () => {
  it('PID-3 missing, PID missing, no INS, a bad INS key', () => {
    expect(fails(mdm({ pid: { 3: '' } }))).toEqual(['PID[1]-3 HL7_REQUIRED_FIELD']);
    const ippOnly = 'IPP-000123^^^CHD&1.2.250.1.999.1.2&ISO^PI';
    expect(fails(mdm({ pid: { 3: ippOnly } }))).toEqual(['PID[1]-3 MISSING_INS']);
    const badKey = `279035121518988^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.10&ISO^INS~${ippOnly}`;
    expect(fails(mdm({ pid: { 3: badKey } }))).toEqual(['PID[1]-3.1 HL7_DATA_TYPE']);
    const noPid = message(options()).replace(/\rPID\|[^\r]*/, '');
    expect(fails(text(noPid))).toEqual(['PID HL7_SEGMENT_SEQUENCE']);
  });

  it('903: the CDA has no INS; 904: the INS or a trait differs; 905: traits missing', () => {
    const noIns = cdaN1({
      id: ID,
      patient: { ...PATIENT, ins: { root: '1.2.250.1.999.1.2', extension: 'IPP-000123' } },
    });
    expect(fails(mdm({ documents: [{ ed: ed(noIns) }] }))).toEqual(['OBX[1]-5.5 MISSING_INS']);
    const other = cdaN1({
      id: ID,
      patient: { ...PATIENT, ins: { ...PATIENT.ins, extension: '180017500000180' } },
    });
    const mismatch = rejection(() => translateHl7(mdm({ documents: [{ ed: ed(other) }] }), context()));
    expect(located(mismatch)).toEqual(['PID[1]-3 INS_MISMATCH']);
    expect(mismatch.entry.volet).toBe('904');
    expect(fails(mdm({ pid: { 7: '19790322' } }))).toEqual(['PID[1]-7 INS_MISMATCH']);
    expect(fails(mdm({ pid: { 7: '', 8: '' } }))).toEqual([
      'PID[1]-7 INS_INCOMPLETE',
      'PID[1]-8 INS_INCOMPLETE',
    ]);
  });

  it('an unknown identity reliability code', () => {
    expect(fails(mdm({ pid: { ...PID_FIELDS, 32: 'SUPER' } }))).toEqual(['PID[1]-32 HL7_TABLE_VALUE']);
  });
});

describe('document problems', () => {
  it('bad base64, empty data, unsupported media, a placeholder that is not what it claims', () => {
    expect(fails(mdm({ documents: [{ ed: '^TEXT^XML^Base64^PD94b@Wwg' }] }))).toEqual([
      'OBX[1]-5.5 HL7_DATA_TYPE',
    ]);
    expect(fails(mdm({ documents: [{ ed: '^TEXT^XML^Base64^' }] }))).toEqual([
      'OBX[1]-5.5 HL7_REQUIRED_FIELD',
    ]);
    expect(fails(mdm({ documents: [{ ed: ed(TINY_PDF, 'video', 'mp4') }] }))).toEqual([
      'OBX[1]-5.3 UNSUPPORTED_CONTENT',
    ]);
    expect(fails(mdm({ documents: [{ ed: ed(text('not a pdf'), 'AP', 'PDF') }] }))).toEqual([
      'OBX[1]-5.5 UNSUPPORTED_CONTENT',
    ]);
    expect(fails(mdm({ documents: [{ ed: ed(cda).replace('Base64', 'Hex') }] }))).toEqual([
      'OBX[1]-5.4 HL7_TABLE_VALUE',
    ]);
  });

  it('a CDA with a DOCTYPE (XXE) is refused before parsing', () => {
    const xxe = text(
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><ClinicalDocument>&e;</ClinicalDocument>',
    );
    const err = rejection(() => translateHl7(mdm({ documents: [{ ed: ed(xxe) }] }), context()));
    expect(located(err)).toEqual(['OBX[1]-5.5 UNSAFE_XML']);
  });

  it('fields that try to inject XML into the deposit', () => {
    const pdf = { ed: ed(TINY_PDF, 'application', 'pdf') };
    expect(
      fails(mdm({ documents: [pdf], pid: { 5: 'ANDRE</family><id root="1"/>^MARIE^MARIE CLAIRE^^^^L' } })),
    ).toEqual(['PID[1]-5.1 HL7_DATA_TYPE']);
    const title = { ...pdf, type: '11490-0^Lettre</title><x>^LN' };
    expect(fails(mdm({ documents: [title] }))).toContain('OBX[1]-3.2 HL7_DATA_TYPE');
    const prt = segment('PRT', {
      4: 'SB',
      5: '810101201234^<b>LECLERC</b>^^^^^^^&1.2.250.1.71.4.2.1&ISO^^^^IDNPS',
    });
    expect(fails(mdm({ sender: prt }))).toEqual(['PRT[1]-5.2 HL7_DATA_TYPE']);
    expect(fails(mdm({ txa12: '1.2.3"/><x a="' }))).toContain('TXA[1]-12.1 HL7_DATA_TYPE');
  });

  it('MetaDMPMSS codes and values outside their tables', () => {
    expect(fails(mdm({ flags: { DESTDMP: 'O' } }))).toEqual(['OBX[7]-5.1 HL7_TABLE_VALUE']);
    expect(fails(mdm({ flags: { TOUT_VISIBLE: 'Y' } }))).toEqual(['OBX[11]-3.1 HL7_TABLE_VALUE']);
  });

  it('the SB PRT is required for the DMP only', () => {
    expect(fails(mdm({ sender: null }))).toEqual(['PRT HL7_SEGMENT_SEQUENCE']);
    const intake = translateHl7(mdm({ sender: null, flags: { DESTDMP: 'N' } }), context());
    expect(intake).toMatchObject({
      kind: 'documents',
      documents: [
        { flags: { toDmp: false }, submission: { author: { kind: 'system', id: '1999000019/dmp-gateway' } } },
      ],
    });
  });

  it('a device sender (PRT-10) becomes a system author of its organisation', () => {
    const prt = segment('PRT', {
      4: 'SB',
      8: 'Labo^^^^^&1.2.250.1.71.4.2.2&ISO^FINEG^^^999000019',
      10: 'SGL-01^Automate SGL',
    });
    const intake = translateHl7(mdm({ sender: prt }), context());
    expect(intake).toMatchObject({
      kind: 'documents',
      documents: [
        {
          submission: {
            author: {
              kind: 'system',
              id: '1999000019/SGL-01',
              name: 'Automate SGL',
              organisation: { id: '1999000019', name: 'Labo' },
            },
          },
        },
      ],
    });
  });

  it('collects every problem of the message at once', () => {
    const err = rejection(() =>
      translateHl7(
        mdm({
          pid: { 3: '' },
          orderControl: 'XX',
          documents: [{ ed: '^TEXT^XML^Base64^@@' }],
          patientClass: '',
        }),
        context(),
      ),
    );
    expect(located(err)).toEqual([
      'PID[1]-3 HL7_REQUIRED_FIELD',
      'ORC[1]-1 HL7_TABLE_VALUE',
      'PV1[1]-2 HL7_REQUIRED_FIELD',
      'OBX[1]-5.5 HL7_DATA_TYPE',
    ]);
  });
});
