import { readFileSync } from 'node:fs';
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { corpusFile, SCHEMA, xsdErrors } from '../../test/support/xsd.ts';
import { GatewayError } from '../errors/catalogue.ts';
import { NS, SOAP_ACTION, WSA } from '../model/vocabulary.ts';
import { el, serialize, signedFragment } from '../xml/tree.ts';
import {
  buildSoapEnvelope,
  buildSoapFault,
  newMessageId,
  readSoapEnvelope,
  standaloneXml,
} from './envelope.ts';

// A signed fragment with everything a naive re-serialiser would change: single quotes, a
// '>' in an attribute, a comment, CDATA, character references, odd spacing, a self-declared prefix.
const SIGNED = `<saml2:Assertion  xmlns:saml2='urn:oasis:names:tc:SAML:2.0:assertion' ID="_a1" note='a>b'>
  <!-- </wsse:Security> --><saml2:Issuer>CN=Test &amp; Co,O=&#233;tab</saml2:Issuer><![CDATA[</saml2:Assertion>]]>
  <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignatureValue>AbC=</ds:SignatureValue></ds:Signature>
</saml2:Assertion   >`;

const body = el('rs:RegistryResponse', {
  'xmlns:rs': NS.rs,
  status: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success',
});

function request(messageId = 'urn:uuid:0b5f0a36-6a0e-4d3c-9a4e-1f4a3f0c2b11') {
  return buildSoapEnvelope({
    action: SOAP_ACTION.iti41,
    to: 'https://dmp.example/repository',
    messageId,
    security: [signedFragment(SIGNED)],
    body,
  });
}

function invalid(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

describe('buildSoapEnvelope', () => {
  it('validates against the SOAP 1.2 envelope schema', () => {
    expect(xsdErrors(serialize(request(), { declaration: true }), SCHEMA.soap12)).toEqual([]);
  });

  it('writes the WS-Addressing and WS-Security headers with mustUnderstand', () => {
    const env = readSoapEnvelope(serialize(request()));
    expect(env.mustUnderstand).toEqual([`{${NS.wsa}}Action`, `{${NS.wsse}}Security`]);
    expect(env.replyTo).toBe(WSA.anonymous);
  });

  it('round-trips action, messageId, to and body', () => {
    const messageId = newMessageId();
    expect(messageId).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    const env = readSoapEnvelope(Buffer.from(serialize(request(messageId), { declaration: true })));
    expect(env).toMatchObject({ action: SOAP_ACTION.iti41, messageId, to: 'https://dmp.example/repository' });
    expect(env.relatesTo).toBeUndefined();
    expect(env.fault).toBeUndefined();
    expect(env.body).toMatchObject({ xml: serialize(body), namespace: NS.rs, localName: 'RegistryResponse' });
  });

  it('gives back a signed fragment of the Security header byte for byte', () => {
    const env = readSoapEnvelope(Buffer.from(serialize(request()), 'utf8'));
    expect(env.security).toHaveLength(1);
    expect(Buffer.from(env.security[0]?.xml ?? '', 'utf8').equals(Buffer.from(SIGNED, 'utf8'))).toBe(true);
    expect(env.security[0]).toMatchObject({ namespace: NS.saml2, localName: 'Assertion' });
  });

  it('builds a response: RelatesTo, no ReplyTo, no Security header', () => {
    const xml = serialize(
      buildSoapEnvelope({
        action: SOAP_ACTION.iti41Response,
        messageId: 'urn:uuid:1',
        relatesTo: 'urn:uuid:2',
        body,
      }),
    );
    expect(xsdErrors(xml, SCHEMA.soap12)).toEqual([]);
    const env = readSoapEnvelope(xml);
    expect(env).toMatchObject({ action: SOAP_ACTION.iti41Response, relatesTo: 'urn:uuid:2', security: [] });
    expect(env.replyTo).toBeUndefined();
  });
});

describe('buildSoapFault', () => {
  it('builds a schema-valid fault that reads back', () => {
    const xml = serialize(buildSoapFault('Sender', 'VIHF signature does not verify', 'wsse:FailedCheck'));
    expect(xsdErrors(xml, SCHEMA.soap12)).toEqual([]);
    expect(readSoapEnvelope(xml).fault).toEqual({
      code: 'Sender',
      subcode: 'wsse:FailedCheck',
      reason: 'VIHF signature does not verify',
    });
  });

  it('carries the WS-Addressing fault action when answering a request', () => {
    const xml = serialize(
      buildSoapFault('Receiver', 'busy', undefined, { relatesTo: 'urn:uuid:9', messageId: 'urn:uuid:8' }),
    );
    expect(xsdErrors(xml, SCHEMA.soap12)).toEqual([]);
    const env = readSoapEnvelope(xml);
    expect(env).toMatchObject({
      action: WSA.faultAction,
      relatesTo: 'urn:uuid:9',
      fault: { code: 'Receiver', reason: 'busy' },
    });
    expect(env.fault?.subcode).toBeUndefined();
  });

  it('refuses a subcode whose prefix it cannot declare', () => {
    expect(() => buildSoapFault('Sender', 'x', 'foo:Bar')).toThrow(/known prefix/);
  });
});

describe('readSoapEnvelope on the corpus', () => {
  it('reads the NIST ITI-41 request and its body validates on its own', () => {
    const env = readSoapEnvelope(readFileSync(corpusFile('xds/nist/pnr_soap.xml')));
    expect(env).toMatchObject({
      action: SOAP_ACTION.iti41,
      messageId: 'urn:uuid:AFBE87CB65FD88AC4B1220879854302',
      to: 'http://localhost:5000/axis2/services/xdsrepositoryb',
      body: { namespace: NS.xds, localName: 'ProvideAndRegisterDocumentSetRequest' },
    });
    expect(env.mustUnderstand).toEqual([`{${NS.wsa}}Action`]);
    expect(xsdErrors(standaloneXml(env.body!), SCHEMA.xdsRepository)).toEqual([]);
  });

  it('reads the NIST ITI-18 request', () => {
    const env = readSoapEnvelope(readFileSync(corpusFile('xds/nist/soap-sq-req.xml')));
    expect(env).toMatchObject({
      action: SOAP_ACTION.iti18,
      relatesTo: 'urn:uuid:F9C98547B63C44C3521268408833497',
      body: { namespace: NS.query, localName: 'AdhocQueryRequest' },
    });
  });

  it('reads the NIST ITI-41 response', () => {
    const env = readSoapEnvelope(readFileSync(corpusFile('xds/nist/soap-pnr-resp.xml')));
    expect(env).toMatchObject({
      action: SOAP_ACTION.iti41Response,
      relatesTo: 'urn:uuid:6d296e90-e5dc-43d0-b455-7c1f3eb35d83',
      body: { namespace: NS.rs, localName: 'RegistryResponse' },
    });
  });
});

describe('readSoapEnvelope on hostile or broken input', () => {
  const wrap = (header: string, inner: string) =>
    `<s:Envelope xmlns:s="${NS.soap12}" xmlns:a="${NS.wsa}"><s:Header>${header}</s:Header><s:Body>${inner}</s:Body></s:Envelope>`;

  it('is not fooled by comments, CDATA or ">" in attributes', () => {
    const inner = `<x:R xmlns:x="urn:x" a="</s:Body>"><![CDATA[</x:R></s:Body>]]><!-- </x:R> --></x:R>`;
    const env = readSoapEnvelope(wrap('<!-- <a:Action>fake</a:Action> --><a:Action>real</a:Action>', inner));
    expect(env.action).toBe('real');
    expect(env.body?.xml).toBe(inner);
  });

  it('decodes references and CDATA in header values', () => {
    expect(readSoapEnvelope(wrap('<a:To>http://h/?a=1&amp;b=<![CDATA[2]]></a:To>', '')).to).toBe(
      'http://h/?a=1&b=2',
    );
  });

  it('lists the namespaces a fragment inherits and makes it standalone', () => {
    const xml = `<s:Envelope xmlns:s="${NS.soap12}" xmlns:saml="${NS.saml2}" xmlns="urn:default"><s:Header><wsse:Security xmlns:wsse="${NS.wsse}"><saml:Assertion ID="_1"><Free/></saml:Assertion></wsse:Security></s:Header><s:Body/></s:Envelope>`;
    const env = readSoapEnvelope(xml);
    const assertion = env.security[0]!;
    expect(assertion.inheritedNamespaces).toEqual({
      s: NS.soap12,
      saml: NS.saml2,
      '': 'urn:default',
      wsse: NS.wsse,
    });
    expect(env.body).toBeUndefined();
    const errors: string[] = [];
    const doc = new DOMParser({ onError: (_level, msg) => errors.push(msg) }).parseFromString(
      standaloneXml(assertion),
      'text/xml',
    );
    expect(errors).toEqual([]);
    expect(doc.documentElement?.namespaceURI).toBe(NS.saml2);
    expect(doc.documentElement?.getElementsByTagName('Free')[0]?.namespaceURI).toBe('urn:default');
  });

  it('refuses a DOCTYPE', () => {
    expect(invalid(() => readSoapEnvelope(`<!DOCTYPE x [<!ENTITY e "x">]>${wrap('', '')}`)).code).toBe(
      'UNSAFE_XML',
    );
  });

  it.each([
    [
      'a SOAP 1.1 envelope',
      '<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body/></e:Envelope>',
      /not a SOAP 1.2 Envelope/,
    ],
    [
      'an undeclared prefix',
      wrap('<wsse:Security/>', ''),
      /Security: namespace prefix "wsse" is not declared/,
    ],
    ['a repeated Action', wrap('<a:Action>x</a:Action><a:Action>y</a:Action>', ''), /more than one Action/],
    ['no Body', `<s:Envelope xmlns:s="${NS.soap12}"/>`, /no Body/],
    ['an unknown entity', wrap('<a:To>&nbsp;</a:To>', ''), /undeclared entity &nbsp;/],
    ['an invalid character reference', wrap('<a:To>&#0;</a:To>', ''), /not an XML character/],
    ['text after the root', `<s:Envelope xmlns:s="${NS.soap12}"/><!-- -->junk`, /text outside the root/],
    ['a second root', `${wrap('', '')}<x/>`, /more than one root/],
    ['a non-UTF-8 declaration', `<?xml version="1.0" encoding="ISO-8859-1"?>${wrap('', '')}`, /UTF-8 only/],
    ['unclosed elements', wrap('<a:To>', ''), /not well-formed/],
  ])('refuses %s', (_name, xml, message) => {
    const err = invalid(() => readSoapEnvelope(xml));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(message);
  });

  it('refuses nesting deeper than 200 elements', () => {
    const deep = `${'<x:a xmlns:x="urn:x">'.repeat(201)}${'</x:a>'.repeat(201)}`;
    expect(invalid(() => readSoapEnvelope(wrap('', deep))).message).toMatch(/nested deeper than 200/);
  });

  it('refuses bytes that are not UTF-8', () => {
    const utf8 = Buffer.from(wrap('<a:To>é</a:To>', ''), 'utf8');
    const at = utf8.indexOf(Buffer.from('é', 'utf8'));
    const bytes = Buffer.concat([utf8.subarray(0, at), Buffer.from([0xe9]), utf8.subarray(at + 2)]);
    expect(invalid(() => readSoapEnvelope(bytes)).message).toMatch(/not valid UTF-8/);
  });
});
