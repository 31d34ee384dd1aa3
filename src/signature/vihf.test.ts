import { beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/catalogue.ts';
import { VIHF_ATTRIBUTE as A, OID } from '../model/vocabulary.ts';
import { type DevPki, generateDevPki, issueCertificate } from '../pki/dev-pki.ts';
import { parseXml } from '../xml/parse.ts';
import { readCertificate } from './certificate.ts';
import { type SigningKey, verifySignature } from './signer.ts';
import { buildVihf, REQUIRED_VIHF_ATTRIBUTES, readVihfAttributes, type VihfParams } from './vihf.ts';

/** Parsed XML navigated freely in assertions. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions walk untyped parsed XML
type Parsed = Record<string, any>;

let pki: DevPki;
const now = new Date('2024-05-02T10:20:30.000Z');
const ID = '_a1b2c3';

function params(issuer: string): VihfParams {
  return {
    issuer,
    nameId: 'resp-traitement',
    structureId: '1123456789',
    facilityType: { code: 'SA01', codeSystem: OID.treR02FacilityType },
    subjectId: 'gw-test',
    role: { code: 'AUTOMATE', codeSystem: OID.authorSpecialtyAutomaton, displayName: 'Automate' },
    resourceId: `279035121518989^^^&${OID.insNirTest}&ISO^NH`,
    purposeOfUse: { code: 'normal', codeSystem: OID.purposeOfUse, displayName: 'Accès normal' },
    lps: { name: 'gw-test', version: '1.2.3', homologation: 'HOMOL-42' },
  };
}

function key(digest: SigningKey['digest']): SigningKey {
  return { keyPem: pki.signing.keyPem, certPem: pki.signing.certPem, digest };
}

function vihf(digest: SigningKey['digest'] = 'sha256', extra: Partial<VihfParams> = {}): string {
  const issuer = readCertificate(pki.signing.certPem).subject;
  return buildVihf({ ...params(issuer), ...extra }, key(digest), { now, id: ID });
}

function verify(xml: string, certPem = pki.signing.certPem) {
  return verifySignature(xml, { certPem, idAttribute: 'ID', expectedReferenceIds: [ID] });
}

function expectInvalid(xml: string, certPem?: string): void {
  try {
    verify(xml, certPem);
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).code).toBe('SIGNATURE_INVALID');
    return;
  }
  throw new Error('the tampered assertion verified');
}

beforeAll(async () => {
  pki = await generateDevPki({ establishmentName: 'CH Test', finess: '123456789', softwareName: 'gw-test' });
});

describe('buildVihf', () => {
  it.each(['sha256', 'sha1'] as const)(
    'signs an assertion that verifies with the signing certificate (%s)',
    (digest) => {
      const xml = vihf(digest);
      const { references } = verify(xml);
      expect(references.map((r) => r.id)).toEqual([ID]);
      expect(references[0]?.xml).toContain('<saml2:Assertion');
      const algorithm = digest === 'sha256' ? 'xmldsig-more#rsa-sha256' : 'xmldsig#rsa-sha1';
      expect(xml).toContain(algorithm);
    },
  );

  it('places the signature right after the Issuer and references the assertion ID', () => {
    const xml = vihf();
    expect(xml).toMatch(/<\/saml2:Issuer><ds:Signature /);
    expect(xml).toContain(`URI="#${ID}"`);
    expect(xml).toContain('xml-exc-c14n#');
    expect(xml).toContain('<ds:X509Certificate>');
  });

  it('carries every required attribute with the right values', () => {
    const attributes = readVihfAttributes(verify(vihf()).references[0]!.xml);
    for (const name of REQUIRED_VIHF_ATTRIBUTES) expect(attributes[name], name).toHaveLength(1);
    expect(attributes).toMatchObject({
      [A.version]: ['3.0'],
      [A.authenticationMode]: ['INDIRECTE'],
      [A.structureId]: ['1123456789'],
      [A.facilityType]: ['SA01^1.2.250.1.71.4.2.4'],
      [A.subjectId]: ['gw-test'],
      [A.role]: ['AUTOMATE^1.2.250.1.213.1.1.4.6'],
      [A.resourceId]: ['279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH'],
      [A.resourceUrn]: ['urn:dmp'],
      [A.purposeOfUse]: ['normal^1.2.250.1.213.1.1.4.248'],
      [A.lpsName]: ['gw-test'],
      [A.lpsVersion]: ['1.2.3'],
      [A.lpsHomologation]: ['HOMOL-42'],
    });
    expect(attributes[A.confidentialityCode]).toBeUndefined();
  });

  it('encodes role and purpose of use as HL7 CE elements and fills the SAML header', () => {
    const signed = verify(vihf('sha256', { version: '4.0', validitySeconds: 60 })).references[0]!.xml;
    const doc = parseXml(signed, { arrays: ['Attribute'] }) as { Assertion: Parsed };
    const assertion = doc.Assertion;
    expect(assertion['@_ID']).toBe(ID);
    expect(assertion['@_IssueInstant']).toBe('2024-05-02T10:20:30Z');
    expect(assertion.Issuer['#text']).toBe(readCertificate(pki.signing.certPem).subject);
    expect(assertion.Issuer['@_Format']).toBe('urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName');
    expect(assertion.Subject.NameID).toBe('resp-traitement');
    expect(assertion.Subject.SubjectConfirmation['@_Method']).toBe('urn:oasis:names:tc:SAML:2.0:cm:bearer');
    expect(assertion.Conditions['@_NotOnOrAfter']).toBe('2024-05-02T10:21:30Z');
    expect(assertion.AuthnStatement.AuthnContext.AuthnContextClassRef).toBe(
      'urn:oasis:names:tc:SAML:2.0:ac:classes:TLSClient',
    );
    const attrs = assertion.AttributeStatement.Attribute as Parsed[];
    const role = attrs.find((a) => a['@_Name'] === A.role)?.AttributeValue.Role;
    expect(role).toMatchObject({ '@_type': 'CE', '@_code': 'AUTOMATE', '@_displayName': 'Automate' });
    const purpose = attrs.find((a) => a['@_Name'] === A.purposeOfUse)?.AttributeValue.PurposeOfUse;
    expect(purpose).toMatchObject({ '@_code': 'normal', '@_codeSystemName': 'mode acces VIHF 1.0' });
    expect(attrs.find((a) => a['@_Name'] === A.version)?.AttributeValue).toBe('4.0');
    expect(signed).toContain('<Role xmlns="urn:hl7-org:v3"');
  });

  it('adds the confidentiality code for a secret connection', () => {
    const attributes = readVihfAttributes(
      verify(vihf('sha256', { secretConnection: true })).references[0]!.xml,
    );
    expect(attributes[A.confidentialityCode]).toEqual([
      `INVISIBLE_REPRESENTANTS_LEGAUX^${OID.treA07Visibility}`,
    ]);
  });

  it('escapes values instead of letting them change the structure', () => {
    const xml = vihf('sha256', { nameId: 'a</saml2:NameID><x>&' });
    const attributes = verify(xml).references[0]!.xml;
    expect(attributes).toContain('a&lt;/saml2:NameID&gt;&lt;x&gt;&amp;');
  });
});

describe('VIHF verification rejects', () => {
  it('a changed attribute value', () => {
    expectInvalid(vihf().replace('>1123456789<', '>1987654321<'));
  });

  it('a changed XML attribute in the signed element', () => {
    expectInvalid(
      vihf().replace('NotOnOrAfter="2024-05-02T10:25:30Z"', 'NotOnOrAfter="2030-05-02T10:25:30Z"'),
    );
  });

  it('a moved element', () => {
    const xml = vihf();
    const subject = xml.match(/<saml2:Subject>.*?<\/saml2:Subject>/)?.[0] ?? '';
    expect(subject).not.toBe('');
    const moved = xml
      .replace(subject, '')
      .replace('</saml2:AttributeStatement>', `</saml2:AttributeStatement>${subject}`);
    expectInvalid(moved);
  });

  it('a duplicated assertion with the same ID (wrapping)', () => {
    const xml = vihf();
    const evil = xml.replace('>1123456789<', '>1987654321<').replace(/<ds:Signature .*<\/ds:Signature>/, '');
    expectInvalid(`<Envelope>${evil}${xml}</Envelope>`);
    expectInvalid(`<Envelope>${xml}${evil}</Envelope>`);
  });

  it('a comment inside DigestValue', () => {
    const xml = vihf();
    const commented = xml.replace(/<ds:DigestValue>(.{4})/, '<ds:DigestValue>$1<!-- x -->');
    expect(commented).not.toBe(xml);
    expectInvalid(commented);
  });

  it('a signature re-made with an attacker key and certificate in KeyInfo', async () => {
    const attacker = await issueCertificate(pki.ca, { usage: 'signing', subject: [{ CN: ['attacker'] }] });
    const forged = buildVihf(
      params(readCertificate(attacker.certPem).subject),
      { ...attacker, digest: 'sha256' },
      { now, id: ID },
    );
    verify(forged, attacker.certPem);
    expectInvalid(forged);
    const withRealCert = forged.replace(
      /<ds:X509Certificate>[^<]*</,
      `<ds:X509Certificate>${readCertificate(pki.signing.certPem).base64}<`,
    );
    expectInvalid(withRealCert);
  });

  it('a certificate from another CA', async () => {
    const otherCa = await issueCertificate(undefined, {
      usage: 'ca',
      subject: [{ CN: ['DMP Gateway Dev CA'] }],
    });
    const other = await issueCertificate(otherCa, { usage: 'signing', subject: [{ CN: ['gw-test'] }] });
    const xml = buildVihf(params('CN=gw-test'), { ...other, digest: 'sha256' }, { now, id: ID });
    expectInvalid(xml);
    verify(xml.replace(/<ds:KeyInfo>.*<\/ds:KeyInfo>/, ''), other.certPem);
    expectInvalid(xml.replace(/<ds:KeyInfo>.*<\/ds:KeyInfo>/, ''));
  });
});
