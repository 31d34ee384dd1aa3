import { describe, expect, it } from 'vitest';
import { SCHEMA, xsdErrors } from '../../../test/support/xsd.ts';
import { readSoapEnvelope } from '../../soap/envelope.ts';
import { serialize } from '../../xml/tree.ts';
import { faultEnvelope, senderFault, XdsFault } from './faults.ts';

const FAULTS = [
  senderFault('bad request', 'wsa:ActionNotSupported'),
  new XdsFault('Receiver', 'internal error'),
  new XdsFault('VersionMismatch', 'SOAP 1.1'),
  new XdsFault('MustUnderstand', 'not understood', {
    notUnderstood: [
      { namespace: 'urn:example', localName: 'Routing' },
      { namespace: '', localName: 'Bare' },
    ],
  }),
];

describe('SOAP 1.2 faults of the recipient', () => {
  it.each(FAULTS.flatMap((f) => [[f.code, f, undefined] as const, [f.code, f, 'urn:uuid:req-1'] as const]))(
    '%s (RelatesTo %s) is schema-valid and reads back',
    (_code, fault, relatesTo) => {
      const xml = serialize(faultEnvelope(fault, relatesTo));
      expect(xsdErrors(xml, SCHEMA.soap12)).toEqual([]);
      const envelope = readSoapEnvelope(xml);
      expect(envelope.fault).toMatchObject({ code: fault.code, reason: fault.message });
      expect(envelope.relatesTo).toBe(relatesTo);
    },
  );

  it('HTTP status by code: Sender 400, the others 500; explicit statuses kept', () => {
    expect(FAULTS.map((f) => f.status)).toEqual([400, 500, 500, 500]);
    expect(senderFault('too large', undefined, 413).status).toBe(413);
  });
});
