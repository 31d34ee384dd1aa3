/**
 * ITI-41 on the sandbox DMP over real HTTPS with mutual TLS: deposits built
 * by the translation core are accepted and registered with their metadata;
 * every check answers a RegistryResponse Failure with the right XDS code.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildDeposit } from '../../src/deposit/build-deposit.ts';
import { generateDevPki } from '../../src/pki/dev-pki.ts';
import { parseRegistryResponse } from '../../src/xds/registry-response.ts';
import { FIXED_NOW, sequentialIds, testConfig } from '../../test/support/context.ts';
import {
  ABSENT,
  ACTIVE,
  CLOSED,
  fixtureDeposit,
  fixtureSubmission,
  idsFrom,
  post,
  readAnswer,
  startTestSandbox,
  type TestSandbox,
  tampered,
} from '../../test/support/sandbox-client.ts';
import { SCHEMA, xsdErrors } from '../../test/support/xsd.ts';

let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t.sandbox.close();
});
beforeEach(() => {
  t.sandbox.reset();
});

async function deposit(message: { contentType: string; body: Buffer }) {
  const answer = await post(t, 'iti41', message);
  const { envelope, body } = readAnswer(answer);
  return { answer, envelope, result: parseRegistryResponse(body), body };
}

/** The fixture deposit, VIHF and XAdES signed with a key the sandbox does not pin. */
async function signedByAnotherKey() {
  const other = await generateDevPki();
  const ids = sequentialIds();
  return buildDeposit(fixtureSubmission('documentreference-pdf.json', { ids }), {
    config: testConfig,
    ids,
    now: FIXED_NOW,
    signingKey: { keyPem: other.signing.keyPem, certPem: other.signing.certPem, digest: 'sha256' },
    signerDn: t.signerDn,
  });
}

const codes = (r: { errors: readonly { errorCode: string }[] }) => r.errors.map((e) => e.errorCode);

describe('accepted deposit', () => {
  it('registers the document and its signature with the metadata sent, answers MTOM with RelatesTo', async () => {
    const d = fixtureDeposit(t);
    const { answer, envelope, result, body } = await deposit(d.http);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^multipart\/related/);
    expect(result).toEqual({ status: 'Success', errors: [] });
    expect(xsdErrors(body, SCHEMA.xdsRepository)).toEqual([]);
    expect(envelope.action).toBe('urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-bResponse');
    expect(envelope.relatesTo).toBe(d.messageId);

    const docs = t.sandbox.documents();
    expect(docs.map((x) => x.kind).sort()).toEqual(['document', 'signature']);
    const doc = docs.find((x) => x.kind === 'document')!;
    const cda = d.parts[0]!;
    expect(doc).toMatchObject({
      uniqueId: '1.2.250.1.999.1.3.1001',
      patientId: `${ACTIVE.extension}^^^&${ACTIVE.root}&ISO^NH`,
      status: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved',
      size: cda.bytes.length,
      mimeType: 'text/xml',
      depositorStructureId: `1${testConfig.establishment.finess}`,
    });
    expect(doc.hash).toMatch(/^[0-9a-f]{40}$/);
    expect(doc.typeCode?.codeSystem).toBe('2.16.840.1.113883.6.1');
    expect(doc.confidentialityCodes[0]).toMatchObject({ code: 'N', codeSystem: '2.16.840.1.113883.5.25' });
    expect(doc.entryUUID).toMatch(/^urn:uuid:/);
    expect(t.sandbox.document(doc.uniqueId, true)?.contentBase64).toBe(
      Buffer.from(cda.bytes).toString('base64'),
    );
    const sig = docs.find((x) => x.kind === 'signature')!;
    expect(sig.uniqueId).toBe(d.signature.uniqueId);
    expect(sig.confidentialityCodes.map((c) => c.code).sort()).toEqual([
      'INVISIBLE_PATIENT',
      'MASQUE_PS',
      'N',
    ]);

    const [entry] = t.sandbox.trace();
    expect(entry).toMatchObject({
      endpoint: 'iti41',
      outcome: 'success',
      errorCodes: [],
      messageId: d.messageId,
    });
    expect(entry?.clientSubject).toContain('CN=dmp-gateway client');
    expect(entry?.storedUniqueIds).toContain(doc.uniqueId);
    expect(JSON.stringify(entry)).not.toContain(ACTIVE.extension);
  });

  it('accepts a plain application/soap+xml request with the documents inline in base64', async () => {
    const d = fixtureDeposit(t);
    const parts = new Map(d.parts.map((p) => [p.contentId, p.bytes]));
    const inline = d.envelope.replace(/<xop:Include [^>]*href="cid:([^"]+)"[^>]*\/>/g, (_m, id: string) =>
      Buffer.from(parts.get(decodeURIComponent(id))!).toString('base64'),
    );
    const { answer, result } = await deposit({
      contentType: 'application/soap+xml; charset=UTF-8',
      body: Buffer.from(inline),
    });
    expect(answer.contentType).toMatch(/^application\/soap\+xml/);
    expect(result.status).toBe('Success');
    expect(t.sandbox.documents()).toHaveLength(2);
  });
});

describe('VIHF checks (SOAP Faults)', () => {
  it('refuses a VIHF signed by a key that is not pinned', async () => {
    const d = await signedByAnotherKey();
    const answer = await post(t, 'iti41', d.http);
    expect(answer.status).toBe(500);
    const { envelope } = readAnswer(answer);
    expect(envelope.fault).toMatchObject({ code: 'Sender', subcode: 'wsse:FailedAuthentication' });
    expect(envelope.relatesTo).toBe(d.messageId);
    expect(t.sandbox.documents()).toEqual([]);
    expect(t.sandbox.trace()[0]).toMatchObject({
      outcome: 'soapFault',
      errorCodes: ['wsse:FailedAuthentication'],
    });
  });

  it('refuses a tampered VIHF (resource-id changed after signing)', async () => {
    const d = fixtureDeposit(t);
    const message = tampered(d, {
      envelope: (xml) => xml.replace(`${ACTIVE.extension}^^^&amp;`, `${CLOSED.extension}^^^&amp;`),
    });
    const { envelope } = readAnswer(await post(t, 'iti41', message));
    expect(envelope.fault?.subcode).toBe('wsse:FailedAuthentication');
  });

  it('refuses an expired VIHF', async () => {
    const late = await startTestSandbox({ now: () => new Date(FIXED_NOW.getTime() + 3_600_000) }, t.pki);
    try {
      const answer = await post(late, 'iti41', fixtureDeposit(late).http);
      expect(readAnswer(answer).envelope.fault).toMatchObject({ subcode: 'wsse:FailedAuthentication' });
      expect(readAnswer(answer).envelope.fault?.reason).toMatch(/not valid at this time/);
    } finally {
      await late.sandbox.close();
    }
  });

  it('refuses a request without VIHF', async () => {
    const d = fixtureDeposit(t);
    const message = tampered(d, {
      envelope: (xml) => xml.replace(/<wsse:Security[\s\S]*<\/wsse:Security>/, ''),
    });
    const { envelope } = readAnswer(await post(t, 'iti41', message));
    expect(envelope.fault?.subcode).toBe('wsse:InvalidSecurity');
  });
});

describe('metadata and content checks (RegistryResponse Failure)', () => {
  it('missing XAdES signature entry → XDSRegistryMetadataError', async () => {
    const d = fixtureDeposit(t);
    const message = tampered(d, {
      envelope: (xml) =>
        xml.replace(/<rim:Association associationType="urn:ihe:iti:2007:AssociationType:signs"[^>]*\/>/, ''),
    });
    const { result } = await deposit(message);
    expect(result.status).toBe('Failure');
    expect(codes(result)).toContain('XDSRegistryMetadataError');
    expect(result.errors.some((e) => /signs association/.test(e.codeContext))).toBe(true);
    expect(t.sandbox.documents()).toEqual([]);
  });

  it('document bytes that do not match hash and size → XDSRepositoryMetadataError naming the slots', async () => {
    const d = fixtureDeposit(t);
    const message = tampered(d, {
      part: (i, b) => (i === 0 ? Buffer.concat([Buffer.from(b), Buffer.from(' ')]) : b),
    });
    const { result } = await deposit(message);
    expect(codes(result)).toEqual(['XDSRepositoryMetadataError', 'XDSRepositoryMetadataError']);
    expect(result.errors.map((e) => e.location)).toEqual([
      expect.stringContaining("Slot[@name='hash']"),
      expect.stringContaining("Slot[@name='size']"),
    ]);
  });

  it('metadata matching changed bytes still fails the XAdES manifest digest', async () => {
    const d = fixtureDeposit(t);
    const original = Buffer.from(d.parts[0]!.bytes);
    const changed = Buffer.from(original.toString('utf8').replace('<title>', '<title>X'));
    const { createHash } = await import('node:crypto');
    const message = tampered(d, {
      envelope: (xml) =>
        xml
          .replace(
            createHash('sha1').update(original).digest('hex'),
            createHash('sha1').update(changed).digest('hex'),
          )
          .replace(`<rim:Value>${original.length}</rim:Value>`, `<rim:Value>${changed.length}</rim:Value>`),
      part: (i, b) => (i === 0 ? changed : b),
    });
    const { result } = await deposit(message);
    expect(codes(result)).toEqual(['XDSRegistryMetadataError']);
    expect(result.errors[0]?.codeContext).toMatch(/XAdES.*digest/);
  });

  it('a type code outside JDV_J66 → XDSRegistryMetadataError on typeCode', async () => {
    const d = fixtureDeposit(t);
    const type = fixtureSubmission('documentreference-pdf.json').documents[0]!.typeCode.code;
    const message = tampered(d, {
      envelope: (xml) => xml.replace(`nodeRepresentation="${type}"`, 'nodeRepresentation="99999-9"'),
    });
    const { result } = await deposit(message);
    expect(codes(result)).toContain('XDSRegistryMetadataError');
    expect(result.errors.some((e) => /typeCode/.test(e.codeContext))).toBe(true);
  });

  it('every metadata problem is reported at once: OID^extension uniqueId, missing languageCode', async () => {
    const d = fixtureDeposit(t);
    const message = tampered(d, {
      envelope: (xml) =>
        xml
          .replace('value="1.2.250.1.999.1.3.1001"', 'value="1.2.250.1.999.1.3.1001^V1"')
          .replace(
            /<rim:Slot name="languageCode"><rim:ValueList><rim:Value>fr-FR<\/rim:Value><\/rim:ValueList><\/rim:Slot>/,
            '',
          ),
    });
    const { result } = await deposit(message);
    const contexts = result.errors.map((e) => `${e.errorCode} ${e.location}`);
    expect(contexts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^XDSRegistryMetadataError .*Slot\[@name='languageCode'\]/),
        expect.stringMatching(
          /^XDSRegistryMetadataError .*ExternalIdentifier\[@identificationScheme='urn:uuid:2e82c1f6/,
        ),
      ]),
    );
  });

  it('unknown patient → XDSUnknownPatientId; closed DMP → XDSUnknownPatientId (DMP closed)', async () => {
    const unknown = await deposit(fixtureDeposit(t, 'documentreference-pdf.json', { ins: ABSENT }).http);
    expect(codes(unknown.result)).toEqual(['XDSUnknownPatientId']);
    const closed = await deposit(fixtureDeposit(t, 'documentreference-pdf.json', { ins: CLOSED }).http);
    expect(codes(closed.result)).toEqual(['XDSUnknownPatientId']);
    expect(closed.result.errors[0]?.codeContext).toMatch(/closed/);
    expect(t.sandbox.documents()).toEqual([]);
  });

  it('a submission patientId that is not the VIHF resource-id → XDSPatientIdDoesNotMatch', async () => {
    const d = fixtureDeposit(t);
    const message = tampered(d, {
      envelope: (xml) =>
        xml.replaceAll(
          `value="${ACTIVE.extension}^^^&amp;${ACTIVE.root}&amp;ISO^NH"`,
          `value="${CLOSED.extension}^^^&amp;${CLOSED.root}&amp;ISO^NH"`,
        ),
    });
    const { result } = await deposit(message);
    expect(codes(result)).toContain('XDSPatientIdDoesNotMatch');
  });
});

describe('registry rules', () => {
  it('same uniqueId and hash twice → Success both times, one copy', async () => {
    const d = fixtureDeposit(t);
    expect((await deposit(d.http)).result.status).toBe('Success');
    expect((await deposit(d.http)).result.status).toBe('Success');
    expect(t.sandbox.documents().filter((x) => x.kind === 'document')).toHaveLength(1);
    expect(t.sandbox.trace().map((e) => e.storedUniqueIds?.length)).toEqual([2, 0]);
  });

  it('same uniqueId with another content → XDSNonIdenticalHash', async () => {
    expect((await deposit(fixtureDeposit(t).http)).result.status).toBe('Success');
    const other = fixtureDeposit(t, 'documentreference-text.json', {
      uniqueId: '1.2.250.1.999.1.3.1001',
      ids: idsFrom(100),
    });
    const { result } = await deposit(other.http);
    expect(codes(result)).toEqual(['XDSNonIdenticalHash']);
    expect(result.errors[0]?.codeContext).toContain('1.2.250.1.999.1.3.1001');
  });

  it('RPLC: the replaced entry becomes Deprecated, the new one Approved, both linked', async () => {
    await deposit(fixtureDeposit(t).http);
    const old = t.sandbox.document('1.2.250.1.999.1.3.1001')!;
    const predecessor = {
      setId: { root: '1.2.250.1.999.1.4.7' },
      versionNumber: 1,
      entryUUID: old.entryUUID,
    };
    const { result } = await deposit(
      fixtureDeposit(t, 'documentreference-replace.json', { predecessor, ids: idsFrom(100) }).http,
    );
    expect(result.status).toBe('Success');
    const replaced = t.sandbox.document('1.2.250.1.999.1.3.1001')!;
    const replacement = t.sandbox.document('1.2.250.1.999.1.3.1003')!;
    expect(replaced.status).toBe('urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated');
    expect(replacement.status).toBe('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved');
    expect(replaced.replacedBy).toBe(replacement.entryUUID);
    expect(replacement.replaces).toBe(old.entryUUID);
  });

  it('RPLC of an unknown entry → XDSRegistryError', async () => {
    const predecessor = {
      setId: { root: '1.2.250.1.999.1.4.7' },
      versionNumber: 1,
      entryUUID: 'urn:uuid:0b8e2c1a-6a53-4c0c-9d2e-5f1f8a6b2c01',
    };
    const { result } = await deposit(
      fixtureDeposit(t, 'documentreference-replace.json', { predecessor }).http,
    );
    expect(codes(result)).toEqual(['XDSRegistryError']);
  });
});

describe('checkSignatures off (benchmark mode)', () => {
  it('accepts a deposit signed by an unpinned key', async () => {
    const open = await startTestSandbox({ checkSignatures: false }, t.pki);
    try {
      const d = await signedByAnotherKey();
      const { result } = parseAnswer(await post(open, 'iti41', d.http));
      expect(result.status).toBe('Success');
    } finally {
      await open.sandbox.close();
    }
  });
});

function parseAnswer(answer: Awaited<ReturnType<typeof post>>) {
  return { result: parseRegistryResponse(readAnswer(answer).body) };
}
