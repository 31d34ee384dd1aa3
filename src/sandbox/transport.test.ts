/**
 * Transport and envelope of the sandbox DMP: mutual TLS (client certificate
 * required and verified against the CA, TLS ≥ 1.2) and SOAP 1.2 envelope
 * problems answered with SOAP Faults.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevPki, generateDevPki } from '../../src/pki/dev-pki.ts';
import {
  ACTIVE,
  fixtureDeposit,
  post,
  readAnswer,
  startTestSandbox,
  type TestSandbox,
} from '../../test/support/sandbox-client.ts';
import { soapMessage, td02 } from '../../test/support/sandbox-requests.ts';
import { el } from '../xml/tree.ts';

let t: TestSandbox;
let other: DevPki;

beforeAll(async () => {
  [t, other] = await Promise.all([startTestSandbox(), generateDevPki()]);
});
afterAll(async () => {
  await t.sandbox.close();
});

describe('mutual TLS', () => {
  it('refuses a client without certificate', async () => {
    await expect(post(t, 'iti41', fixtureDeposit(t).http, { client: null })).rejects.toThrow();
    expect(t.sandbox.trace()).toEqual([]);
  });

  it('refuses a client certificate issued by another CA', async () => {
    await expect(post(t, 'iti41', fixtureDeposit(t).http, { client: other.tlsClient })).rejects.toThrow();
    expect(t.sandbox.documents()).toEqual([]);
  });

  it('refuses TLS 1.1', async () => {
    await expect(post(t, 'iti41', fixtureDeposit(t).http, { maxVersion: 'TLSv1.1' })).rejects.toThrow();
  });

  it('accepts TLS 1.2 with the right client certificate', async () => {
    const answer = await post(t, 'td02', td02({ ...t, ins: ACTIVE }), { maxVersion: 'TLSv1.2' });
    expect(answer.status).toBe(200);
  });
});

describe('SOAP envelope problems → SOAP 1.2 Fault, HTTP 500', () => {
  const env = () => ({ ...t, ins: ACTIVE });

  it('SOAP 1.1 (text/xml) is refused', async () => {
    const message = td02(env());
    const answer = await post(t, 'td02', { contentType: 'text/xml; charset=UTF-8', body: message.body });
    expect(answer.status).toBe(500);
    expect(readAnswer(answer).envelope.fault).toMatchObject({ code: 'Sender' });
    expect(readAnswer(answer).envelope.fault?.reason).toMatch(/SOAP 1\.2/);
  });

  it('an unknown wsa:Action → wsa:ActionNotSupported', async () => {
    const message = soapMessage('urn:example:unknown', el('x:Thing', { 'xmlns:x': 'urn:example' }), env());
    const { envelope } = readAnswer(await post(t, 'td02', message));
    expect(envelope.fault).toMatchObject({ code: 'Sender', subcode: 'wsa:ActionNotSupported' });
    expect(envelope.relatesTo).toBe(message.messageId);
    expect(envelope.action).toBe('http://www.w3.org/2005/08/addressing/soap/fault');
  });

  it('an action sent to the wrong endpoint → wsa:ActionNotSupported', async () => {
    const { envelope } = readAnswer(await post(t, 'iti18', td02(env())));
    expect(envelope.fault?.subcode).toBe('wsa:ActionNotSupported');
  });

  it('no wsa:Action → wsa:MessageAddressingHeaderRequired', async () => {
    const message = td02(env());
    const body = Buffer.from(
      message.body.toString('utf8').replace(/<wsa:Action[^>]*>[^<]*<\/wsa:Action>/, ''),
    );
    const { envelope } = readAnswer(await post(t, 'td02', { contentType: message.contentType, body }));
    expect(envelope.fault?.subcode).toBe('wsa:MessageAddressingHeaderRequired');
  });

  it('malformed XML → Sender fault', async () => {
    const answer = await post(t, 'td02', {
      contentType: 'application/soap+xml',
      body: Buffer.from('<soap:Envelope'),
    });
    expect(answer.status).toBe(500);
    expect(readAnswer(answer).envelope.fault?.code).toBe('Sender');
  });

  it('an unknown endpoint is 404', async () => {
    const answer = await post(t, 'nothing' as 'td02', td02(env()));
    expect(answer.status).toBe(404);
  });

  it('every call is traced with its outcome and the client certificate subject', () => {
    const faults = t.sandbox.trace().filter((e) => e.outcome === 'soapFault');
    expect(faults.length).toBeGreaterThanOrEqual(4);
    expect(faults.every((e) => e.clientSubject?.includes('CN=dmp-gateway client'))).toBe(true);
  });
});
