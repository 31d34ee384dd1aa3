/**
 * The mapping's tables and the volet's are looked up with the sender's values
 * (MSH-4, PV1-2, PV1-3.1, OBX-3): a value naming an Object.prototype member
 * (`constructor`, `__proto__`, `toString`) is "not in the table", never a
 * function or the prototype, so such a message is answered as any other and
 * never AR "resend" for ever.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_PDF } from '../../fixtures/cda/sample.ts';
import { context, rejection } from '../../fixtures/hl7v2/context.ts';
import { bytes, ed, message } from '../../fixtures/hl7v2/messages.ts';
import { translateHl7 } from '../../src/inbound/hl7v2/translate.ts';
import { applyMapping } from '../../src/mappings/apply.ts';
import { MappingRegistry } from '../../src/mappings/registry.ts';
import { freshOid, postHl7, readAck } from '../hl7v2/support.ts';
import { startExampleGateway, type TestGateway } from '../support/gateway.ts';

function pdfMessage(id: string, edit: (text: string) => string): Uint8Array {
  const text = message({
    type: 'MDM',
    controlId: `PK-${id.slice(-12)}`,
    txa12: id,
    documents: [{ ed: ed(TINY_PDF, 'application', 'pdf'), type: 'CRH^CR hospitalier^L' }],
  });
  const edited = edit(text);
  expect(edited).not.toBe(text);
  return bytes(edited);
}

describe('prototype keys in mapping lookups', () => {
  const registry = new MappingRegistry('mappings');
  registry.reload();
  const mapping = registry.current!.mappings[0]!;

  it.each(['constructor', '__proto__', 'toString'])(
    'applyMapping: facility %s is "not in facilities" (the default site), no TypeError',
    (facility) => {
      const result = applyMapping(
        {
          format: 'hl7v2',
          facility: { value: facility, path: 'MSH-4.1' },
          documentType: { value: { code: 'CRH' }, path: 'OBX[1]-3.1' },
        },
        mapping,
      );
      expect(result.values.site?.finess).toBe('999000019');
    },
  );

  it.each(['constructor', 'toString'])(
    'applyMapping: visit class %s gives no contentTypeCode of its own',
    (vc) => {
      const result = applyMapping(
        {
          format: 'hl7v2',
          visitClass: { value: vc, path: 'PV1-2' },
          documentType: { value: { code: 'CRH' }, path: 'OBX[1]-3.1' },
        },
        mapping,
      );
      // defaults.contentType ('97'), a string: not Object / Object.prototype.toString
      expect(result.values.contentTypeCode?.code).toBe('97');
    },
  );

  describe('live HL7 intake', () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startExampleGateway();
    });
    afterAll(async () => {
      await gw?.close();
    });

    it('MSH-4 = constructor: answered AA (default site) or AE, never AR "resend"', async () => {
      const id = freshOid();
      const msg = pdfMessage(id, (t) => t.replace('|DPI-DEMO|CHD|', '|DPI-DEMO|constructor|'));
      const ack = readAck((await postHl7(gw, msg)).body);
      expect(ack.code, ack.text).not.toBe('AR');
    });
  });
});

it('PV1-2 = toString: the volet table gives the default activity (97), not a function', () => {
  const text = message({
    type: 'MDM',
    txa12: '1.2.250.1.999.1.3.1',
    documents: [{ ed: ed(TINY_PDF, 'application', 'pdf') }],
  });
  const intake = translateHl7(bytes(text.replace(/PV1\|1\|O\|/, 'PV1|1|toString|')), context());
  if (intake.kind !== 'documents') throw new Error(intake.kind);
  expect(intake.documents[0]!.submission.contentTypeCode.code).toBe('97');
});

describe("the volet's tables, keyed by the sender's codes", () => {
  const pdf = () =>
    message({
      type: 'MDM',
      txa12: '1.2.250.1.999.1.3.2',
      documents: [{ ed: ed(TINY_PDF, 'application', 'pdf') }],
    });
  it.each([
    [
      'MSH-9 constructor',
      (t: string) => t.replace('|MDM^T02^MDM_T02|', '|constructor^T02^MDM_T02|'),
      'MSH[1]-9.1',
    ],
    ['ORC-1 constructor', (t: string) => t.replace('ORC|NW', 'ORC|constructor'), 'ORC[1]-1'],
    ['OBX-11 toString', (t: string) => t.replace(/\|F(\r|$)/, '|toString$1'), 'OBX[1]-11'],
    [
      'OBX-3.3 constructor',
      (t: string) => t.replaceAll('11490-0^Lettre de sortie^LN', '11490-0^Lettre^constructor'),
      'OBX[1]-3.3',
    ],
  ])('%s: refused at that field, as any unknown code', (_name, change, where) => {
    const text = pdf();
    const changed = change(text);
    expect(changed).not.toBe(text);
    const err = rejection(() => translateHl7(bytes(changed), context()));
    expect(err.issues.map((i) => i.path)).toContain(where);
  });
});
