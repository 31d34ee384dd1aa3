import { beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/catalogue.ts';
import { type DevPki, generateDevPki } from '../pki/dev-pki.ts';
import { el, serialize } from '../xml/tree.ts';
import { readCertificate } from './certificate.ts';
import { type SigningKey, signEnveloped, signEnveloping, verifySignature } from './signer.ts';

let pki: DevPki;

function key(digest: SigningKey['digest'] = 'sha256'): SigningKey {
  return { keyPem: pki.signing.keyPem, certPem: pki.signing.certPem, digest };
}

const unsigned = serialize(
  el(
    'r:Root',
    { 'xmlns:r': 'urn:test' },
    el('r:Head', {}, 'outside'),
    el('r:Body', { Ref: 'b1' }, el('r:Value', {}, 'signed & kept')),
  ),
);

function signBody(digest: SigningKey['digest'] = 'sha256', idAttribute = 'Ref'): string {
  return signEnveloped(unsigned, {
    key: key(digest),
    referenceId: 'b1',
    idAttribute,
    insert: { xpath: "//*[local-name()='Body']", action: 'prepend' },
  });
}

function failure(run: () => unknown): GatewayError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error('verification succeeded');
}

beforeAll(async () => {
  pki = await generateDevPki();
});

describe('signEnveloped / verifySignature', () => {
  it.each(['sha256', 'sha1'] as const)(
    'round-trips with a custom ID attribute and returns only the signed element (%s)',
    (digest) => {
      const xml = signBody(digest);
      const verified = verifySignature(xml, {
        certPem: pki.signing.certPem,
        idAttribute: 'Ref',
        expectedReferenceIds: ['b1'],
      });
      expect(verified.references).toHaveLength(1);
      const fragment = verified.references[0]!;
      expect(fragment.id).toBe('b1');
      expect(fragment.xml).toBe(
        '<r:Body xmlns:r="urn:test" Ref="b1"><r:Value>signed &amp; kept</r:Value></r:Body>',
      );
    },
  );

  it('rejects references other than the expected ones', () => {
    const xml = signBody();
    const err = failure(() =>
      verifySignature(xml, {
        certPem: pki.signing.certPem,
        idAttribute: 'Ref',
        expectedReferenceIds: ['other'],
      }),
    );
    expect(err.code).toBe('SIGNATURE_INVALID');
    expect(err.issues[0]?.path).toBe('ds:SignedInfo');
  });

  it('rejects a second signature in the document', () => {
    const xml = signBody();
    const signature = xml.match(/<ds:Signature .*<\/ds:Signature>/)?.[0] ?? '';
    const twice = xml.replace('<r:Head>', `<r:Head>${signature}`);
    expect(
      failure(() => verifySignature(twice, { certPem: pki.signing.certPem, idAttribute: 'Ref' })).message,
    ).toMatch(/exactly one ds:Signature/);
  });

  it('rejects references that are not "#id", and algorithms outside the profile', () => {
    const xml = signBody();
    const opts = { certPem: pki.signing.certPem, idAttribute: 'Ref' };
    expect(failure(() => verifySignature(xml.replace('URI="#b1"', 'URI=""'), opts)).message).toMatch(/#id/);
    const inclusive = xml.replace(
      /(CanonicalizationMethod Algorithm=")[^"]+/,
      '$1http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
    );
    expect(failure(() => verifySignature(inclusive, opts)).message).toMatch(/exclusive c14n/);
    const hmac = xml.replace(
      /(SignatureMethod Algorithm=")[^"]+/,
      '$1http://www.w3.org/2000/09/xmldsig#hmac-sha1',
    );
    expect(failure(() => verifySignature(hmac, opts)).message).toMatch(/signature algorithm/);
  });

  it('rejects an element carrying the same value in another ID attribute', () => {
    const xml = signBody().replace('<r:Head>', '<r:Head Id="b1">');
    expect(
      failure(() => verifySignature(xml, { certPem: pki.signing.certPem, idAttribute: 'Ref' })).message,
    ).toMatch(/same ID/);
  });

  it('refuses malformed XML and DOCTYPEs', () => {
    const opts = { certPem: pki.signing.certPem, idAttribute: 'Ref' };
    expect(failure(() => verifySignature(signBody().slice(0, -5), opts)).code).toBe('SIGNATURE_INVALID');
    expect(failure(() => verifySignature(`<!DOCTYPE r [<!ENTITY e "x">]>${signBody()}`, opts)).code).toBe(
      'UNSAFE_XML',
    );
  });

  it('rejects ids that could break out of the XPath', () => {
    expect(() =>
      signEnveloped(unsigned, {
        key: key(),
        referenceId: "b1']|//*['",
        idAttribute: 'Ref',
        insert: { xpath: '/*', action: 'append' },
      }),
    ).toThrow(/NCName/);
  });
});

describe('signEnveloping', () => {
  it('signs elements inside its own ds:Object children', () => {
    const xml = signEnveloping({
      key: key('sha1'),
      signatureId: 'sig',
      objects: [el('t:Data', { 'xmlns:t': 'urn:test', Id: 'd1' }, 'payload')],
      references: [{ id: 'd1', type: 'urn:test:type' }],
    });
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><ds:Signature Id="sig"/);
    expect(xml).toContain('<ds:Reference URI="#d1" Type="urn:test:type">');
    const { references } = verifySignature(xml, {
      certPem: pki.signing.certPem,
      idAttribute: 'Id',
      expectedReferenceIds: ['d1'],
    });
    expect(references[0]?.xml).toBe('<t:Data xmlns:t="urn:test" Id="d1">payload</t:Data>');
    failure(() =>
      verifySignature(xml.replace('>payload<', '>tampered<'), {
        certPem: pki.signing.certPem,
        idAttribute: 'Id',
      }),
    );
  });
});

describe('readCertificate', () => {
  it('gives RFC 4514 names, most specific first, with special characters escaped', async () => {
    const info = readCertificate(
      (
        await generateDevPki({
          establishmentName: 'CH "Nord", Site+2',
          finess: '123456789',
          softwareName: 'gw',
        })
      ).signing.certPem,
    );
    expect(info.subject).toBe('CN=gw,OU=123456789,O=CH \\"Nord\\"\\, Site\\+2,C=FR');
    expect(info.issuer).toBe('CN=DMP Gateway Dev CA,C=FR');
    expect(info.serialNumber).toMatch(/^[1-9]\d*$/);
  });
});
