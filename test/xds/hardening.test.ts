/**
 * Hardening of POST /xds/iti41: body size (413 before anything is parsed),
 * DOCTYPE and entity declarations, nesting depth and element count, content
 * types and charsets, MIME packaging. Every refusal is a SOAP 1.2 Fault with
 * the status SOAP 1.2 Part 2 §7.5.2.2 gives it, and nothing is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestSigner, testSigner } from '../support/deposit.ts';
import { startXdsApp, type XdsTestApp } from '../support/xds-app.ts';
import {
  answerOf,
  codesOf,
  hospitalDeposit,
  hospitalSubmission,
  inlineMessage,
  mtomMessage,
  soapWrap,
} from '../support/xds-requests.ts';

const LIMITS = { maxBodyBytes: 256 * 1024, maxDepth: 32, maxElements: 2_000, maxParts: 4 };
const SOAP = 'application/soap+xml; charset=UTF-8';

let app: XdsTestApp;
let signer: TestSigner;
beforeAll(async () => {
  app = await startXdsApp({ xds: LIMITS });
  signer = await testSigner();
});
afterAll(async () => {
  await app?.close();
});

const records = () => app.store.redis.keys(`${app.config.redis.prefix}:sub:*`);

/** Posts, expects a SOAP Fault with `status` and nothing stored; returns the fault. */
async function fault(body: Buffer | string, contentType: string | undefined, status: number) {
  const before = (await records()).length;
  const answer = answerOf(await app.post(body, contentType));
  expect(answer.status).toBe(status);
  expect(answer.envelope?.fault).toBeDefined();
  expect(await records()).toHaveLength(before);
  return answer.envelope?.fault;
}

const valid = () => inlineMessage(hospitalDeposit(hospitalSubmission(), signer));

describe('body size', () => {
  it('a body over the limit → 413 Sender fault, before parsing (the bytes are not even XML)', async () => {
    const f = await fault(Buffer.alloc(LIMITS.maxBodyBytes + 1, 0x41), SOAP, 413);
    expect(f).toMatchObject({ code: 'Sender', reason: `the message exceeds ${LIMITS.maxBodyBytes} bytes` });
  });

  it('a valid ITI-41 just under the limit is read', async () => {
    const message = valid();
    expect(message.body.length).toBeLessThan(LIMITS.maxBodyBytes);
    expect(answerOf(await app.post(message.body, message.contentType)).result?.status).toBe('Success');
  });
});

describe('DOCTYPE and entities', () => {
  const envelope = soapWrap('<x/>');
  it.each([
    ['a DOCTYPE', `<!DOCTYPE Envelope [<!ELEMENT Envelope ANY>]>${envelope}`],
    [
      'an entity expansion bomb',
      `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>${envelope.replace('<x/>', '<x>&lol2;</x>')}`,
    ],
    ['an external entity (XXE)', `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${envelope}`],
  ])('%s → 400 Sender fault', async (_what, body) => {
    expect(await fault(body, SOAP, 400)).toMatchObject({
      code: 'Sender',
      reason: 'DOCTYPE and entity declarations are not accepted',
    });
  });

  it('a DOCTYPE inside the CDA document → Failure XDSRepositoryMetadataError on that document', async () => {
    const submission = hospitalSubmission();
    const deposit = hospitalDeposit(submission, signer);
    const cda = Buffer.from(deposit.parts[0]!.bytes).toString('utf8');
    const tampered = cda.replace(
      '<ClinicalDocument',
      '<!DOCTYPE ClinicalDocument [<!ENTITY a "b">]><ClinicalDocument',
    );
    const xml = inlineMessage(deposit)
      .body.toString('utf8')
      .replace(
        Buffer.from(deposit.parts[0]!.bytes).toString('base64'),
        Buffer.from(tampered).toString('base64'),
      );
    const answer = answerOf(await app.post(xml, SOAP));
    expect(codesOf(answer)).toContain('XDSRepositoryMetadataError');
    expect(answer.result?.errors.find((e) => /DOCTYPE/.test(e.codeContext))?.location).toBe(
      `ExtrinsicObject[@id='${submission.documents[0]!.entryUUID}']`,
    );
  });
});

describe('depth and element count', () => {
  it('nesting deeper than the limit → 400 Sender fault', async () => {
    const deep = `${'<a>'.repeat(LIMITS.maxDepth)}${'</a>'.repeat(LIMITS.maxDepth)}`;
    expect(await fault(soapWrap(deep), SOAP, 400)).toMatchObject({
      reason: `elements are nested deeper than ${LIMITS.maxDepth}`,
    });
  });

  it('more elements than the limit → 400 Sender fault', async () => {
    expect(await fault(soapWrap(`<a>${'<b/>'.repeat(LIMITS.maxElements)}</a>`), SOAP, 400)).toMatchObject({
      reason: `the message has more than ${LIMITS.maxElements} elements`,
    });
  });
});

describe('content types and packaging', () => {
  it.each([
    ['no Content-Type', undefined],
    ['SOAP 1.1 text/xml', 'text/xml; charset=UTF-8'],
    ['JSON', 'application/json'],
    ['multipart/related that is not MTOM', 'multipart/related; boundary=x; type="text/xml"'],
    ['a charset other than UTF-8', 'application/soap+xml; charset=ISO-8859-1'],
    ['an unparseable media type', 'soap'],
  ])('%s → 415 Sender fault', async (_what, contentType) => {
    expect((await fault(soapWrap('<x/>'), contentType, 415))?.code).toBe('Sender');
  });

  it('MTOM whose root part is not application/xop+xml (SOAP 1.2) → 400', async () => {
    const message = mtomMessage(hospitalDeposit(hospitalSubmission(), signer));
    const body = Buffer.from(
      message.body.toString('latin1').replace('Content-Type: application/xop+xml', 'Content-Type: text/xml'),
      'latin1',
    );
    expect((await fault(body, message.contentType, 400))?.reason).toMatch(
      /root MIME part must be application\/xop\+xml/,
    );
  });

  it('says MTOM but is not multipart → 400; more parts than allowed → 400', async () => {
    const message = mtomMessage(hospitalDeposit(hospitalSubmission(), signer));
    expect((await fault(soapWrap('<x/>'), message.contentType, 400))?.reason).toMatch(/no opening boundary/);
    const boundary = /boundary="([^"]+)"/.exec(message.contentType)?.[1] as string;
    const part = (i: number) =>
      `--${boundary}\r\nContent-ID: <p${i}>\r\nContent-Type: text/plain\r\n\r\nx\r\n`;
    const many = `${[0, 1, 2, 3, 4].map(part).join('')}--${boundary}--\r\n`;
    expect((await fault(many, message.contentType, 400))?.reason).toMatch(/more than 4 parts/);
  });

  it('malformed XML, or XML that is not namespace-well-formed → 400 Sender', async () => {
    expect((await fault(soapWrap('<x>').replace('</soap:Body>', ''), SOAP, 400))?.reason).toMatch(
      /^the SOAP message cannot be read: .*not well-formed/,
    );
    expect((await fault(soapWrap('<u:x/>'), SOAP, 400))?.reason).toMatch(
      /namespace prefix "u" is not declared/,
    );
  });

  it('bytes that are not UTF-8 → 400', async () => {
    const body = Buffer.concat([
      Buffer.from(soapWrap('<x>')),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('</x>'),
    ]);
    expect((await fault(body, SOAP, 400))?.reason).toBe('the SOAP message is not valid UTF-8');
  });

  it('GET → 405 with Allow: POST and a fault', async () => {
    const res = await fetch(app.url);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(
      answerOf({
        status: 405,
        contentType: res.headers.get('content-type') ?? '',
        body: Buffer.from(await res.arrayBuffer()),
      }).envelope?.fault?.code,
    ).toBe('Sender');
  });
});
