import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHttpCapture } from '../../test/support/http-capture.ts';
import { corpusFile } from '../../test/support/xsd.ts';
import { GatewayError } from '../errors/catalogue.ts';
import { SOAP_ACTION } from '../model/vocabulary.ts';
import { parseXml, type XmlObject } from '../xml/parse.ts';
import { readSoapEnvelope } from './envelope.ts';
import { parseMediaType } from './media-type.ts';
import { contentIdFromHref, readMtom, writeMtom, xopHref } from './mtom.ts';

const ROOT = '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body/></s:Envelope>';
const ALL_BYTES = Buffer.concat([
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from('\r\n\r\n--boundary\r\n--MIMEBoundary_tes\r\nContent-ID: <x>\r\n\r\n\n\r', 'latin1'),
]);

function invalid(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

/** Every xop:Include href of a parsed SOAP envelope. */
function includeHrefs(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(includeHrefs);
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node as XmlObject).flatMap(([key, value]) =>
    key === 'Include' ? [String((value as XmlObject)['@_href'])] : includeHrefs(value),
  );
}

describe('writeMtom / readMtom', () => {
  it('round-trips binary parts exactly, with every byte value and boundary look-alikes', () => {
    const msg = writeMtom({
      rootXml: ROOT,
      action: SOAP_ACTION.iti41,
      parts: [
        { contentId: 'doc1@dmp-gateway', contentType: 'application/octet-stream', bytes: ALL_BYTES },
        { contentId: 'empty@dmp-gateway', contentType: 'text/xml', bytes: new Uint8Array(0) },
      ],
      boundary: 'MIMEBoundary_test',
      startId: 'root@dmp-gateway',
    });
    const { root, parts } = readMtom(msg.contentType, msg.body);
    expect(root.bytes.toString('utf8')).toBe(ROOT);
    expect(root).toMatchObject({
      contentId: 'root@dmp-gateway',
      contentType: 'application/xop+xml; charset=UTF-8; type="application/soap+xml"',
    });
    expect(root.headers['content-transfer-encoding']).toBe('binary');
    expect([...parts.keys()]).toEqual(['doc1@dmp-gateway', 'empty@dmp-gateway']);
    expect(parts.get('doc1@dmp-gateway')?.bytes.equals(ALL_BYTES)).toBe(true);
    expect(parts.get('empty@dmp-gateway')?.bytes.length).toBe(0);
  });

  it('writes the Content-Type of ITI TF-2x Appendix V', () => {
    const msg = writeMtom({
      rootXml: ROOT,
      action: SOAP_ACTION.iti41,
      parts: [],
      boundary: 'b1',
      startId: 'r@h',
    });
    expect(msg.contentType).toBe(
      'multipart/related; type="application/xop+xml"; boundary="b1"; start="<r@h>"; start-info="application/soap+xml"; action="urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b"',
    );
    expect(msg.body.toString('latin1')).toMatch(
      /^--b1\r\nContent-Type: application\/xop\+xml; charset=UTF-8; type="application\/soap\+xml"\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <r@h>\r\n\r\n<s:Envelope/,
    );
    expect(msg.body.toString('latin1').endsWith('\r\n--b1--\r\n')).toBe(true);
  });

  it('refuses a given boundary that occurs in the content, and picks a random one that does not', () => {
    const parts = [
      { contentId: 'a@b', contentType: 'text/plain', bytes: Buffer.from('x\r\n--MIMEBoundary_test') },
    ];
    expect(() => writeMtom({ rootXml: ROOT, action: 'a', parts, boundary: 'MIMEBoundary_test' })).toThrow(
      /occurs in the content/,
    );
    const msg = writeMtom({ rootXml: ROOT, action: 'a', parts });
    const boundary = parseMediaType(msg.contentType).params.get('boundary') ?? '';
    expect(boundary).toMatch(/^MIMEBoundary_[0-9a-f]{48}$/);
    expect(readMtom(msg.contentType, msg.body).parts.get('a@b')?.bytes.toString()).toBe(
      'x\r\n--MIMEBoundary_test',
    );
  });

  it('refuses Content-IDs and headers that could break the MIME structure', () => {
    const part = (contentId: string, contentType = 'text/plain') => [
      { contentId, contentType, bytes: Buffer.from('x') },
    ];
    expect(() => writeMtom({ rootXml: ROOT, action: 'a', parts: part('a>\r\nX: y') })).toThrow(/Content-ID/);
    expect(() => writeMtom({ rootXml: ROOT, action: 'a', parts: part('a@b', 'text/plain\r\nX: y') })).toThrow(
      /Content-Type/,
    );
    expect(() => writeMtom({ rootXml: ROOT, action: 'a"\r\n', parts: [] })).toThrow(/printable ASCII/);
    expect(() => writeMtom({ rootXml: ROOT, action: 'a', parts: part('r@h'), startId: 'r@h' })).toThrow(
      /unique/,
    );
    expect(() => writeMtom({ rootXml: ROOT, action: 'a', parts: [], boundary: 'bad boundary ' })).toThrow(
      /bchars/,
    );
  });

  it('round-trips random parts exactly (property)', () => {
    const partArb = fc.record({ bytes: fc.uint8Array({ maxLength: 3000 }), crlfTail: fc.boolean() });
    fc.assert(
      fc.property(fc.array(partArb, { maxLength: 6 }), (specs) => {
        const parts = specs.map((s, i) => ({
          contentId: `part${i}@test`,
          contentType: 'application/octet-stream',
          bytes: s.crlfTail ? Buffer.concat([s.bytes, Buffer.from('\r\n')]) : s.bytes,
        }));
        const msg = writeMtom({ rootXml: ROOT, action: 'a', parts });
        const read = readMtom(msg.contentType, msg.body);
        expect(read.parts.size).toBe(parts.length);
        for (const p of parts)
          expect(read.parts.get(p.contentId)?.bytes.equals(Buffer.from(p.bytes))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('maps Content-IDs to xop:Include hrefs and back (property)', () => {
    expect(xopHref('1.urn:uuid:ab@apache.org')).toBe('cid:1.urn%3Auuid%3Aab@apache.org');
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (id) => contentIdFromHref(xopHref(id)) === id));
    expect(invalid(() => contentIdFromHref('http://x')).message).toMatch(/cid: URL/);
    expect(invalid(() => contentIdFromHref('cid:%E9')).message).toMatch(/URL-encoded/);
  });
});

describe('readMtom on hand-made messages', () => {
  const lf = [
    'preamble to ignore',
    '--b  ',
    'content-type: text/plain',
    'CONTENT-ID: <one@x>',
    '',
    'first',
    '--b',
    'Content-Type: application/octet-stream',
    'Content-Transfer-Encoding: base64',
    'Content-ID:',
    ' <two@x>',
    '',
    'AAEC',
    '/w==',
    '--b--',
    'epilogue',
  ].join('\n');

  it('reads bare LF line ends, preamble, padding, folded headers, base64 and case-insensitive names', () => {
    const { root, parts } = readMtom(
      'Multipart/Related; BOUNDARY=b; Type="application/xop+xml"',
      Buffer.from(lf),
    );
    expect(root).toMatchObject({ contentId: 'one@x', contentType: 'text/plain' });
    expect(root.bytes.toString()).toBe('first');
    expect([...(parts.get('two@x')?.bytes ?? [])]).toEqual([0, 1, 2, 255]);
  });

  it('takes the root from the start parameter, quoted with escapes', () => {
    const { root, parts } = readMtom('multipart/related; boundary="b"; start="<two\\@x>"', Buffer.from(lf));
    expect(root.contentId).toBe('two@x');
    expect([...parts.keys()]).toEqual(['one@x']);
  });

  it.each([
    [
      'no closing boundary',
      'multipart/related; boundary=b',
      lf.slice(0, lf.indexOf('--b--')),
      'multipart: no closing boundary',
    ],
    [
      'no boundary parameter',
      'multipart/related; type="application/xop+xml"',
      lf,
      'Content-Type: no boundary parameter',
    ],
    ['another boundary', 'multipart/related; boundary=c', lf, 'multipart: no opening boundary --c'],
    [
      'not multipart',
      'application/soap+xml',
      lf,
      'Content-Type: expected multipart/related, not application/soap+xml',
    ],
    [
      'an unterminated quote',
      'multipart/related; boundary="b',
      lf,
      'Content-Type: unterminated quoted value of parameter boundary',
    ],
    [
      'a repeated parameter',
      'multipart/related; boundary=b; Boundary=b',
      lf,
      'Content-Type: parameter boundary is repeated',
    ],
    [
      'an unknown start',
      'multipart/related; boundary=b; start=<zz>',
      lf,
      'Content-Type: no part has the start Content-ID <zz>',
    ],
    [
      'a part without Content-ID',
      'multipart/related; boundary=b',
      lf.replace('Content-ID:\n <two@x>\n', ''),
      'multipart/part[2]: no Content-ID header',
    ],
    [
      'a repeated Content-ID',
      'multipart/related; boundary=b',
      lf.replace('<two@x>', '<one@x>'),
      'multipart/part[2]: Content-ID one@x is repeated',
    ],
    [
      'bad base64',
      'multipart/related; boundary=b',
      lf.replace('/w==', '/w=*'),
      'multipart/part[2]: content is not valid base64',
    ],
    [
      'quoted-printable',
      'multipart/related; boundary=b',
      lf.replace('base64', 'quoted-printable'),
      'multipart/part[2]: Content-Transfer-Encoding quoted-printable is not supported',
    ],
    [
      'a malformed header',
      'multipart/related; boundary=b',
      lf.replace('content-type: text/plain', 'garbage'),
      'multipart/part[1]: malformed header line "garbage"',
    ],
    [
      'unended headers',
      'multipart/related; boundary=b',
      '--b\nContent-ID: <a>\n--b--',
      'multipart/part[1]: headers are not ended by an empty line',
    ],
    [
      'only a closing boundary',
      'multipart/related; boundary=b',
      '--b--\n',
      'multipart: no part before the closing boundary',
    ],
  ])('refuses %s', (_name, contentType, body, message) => {
    const err = invalid(() => readMtom(contentType, Buffer.from(body)));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toBe(message);
  });

  it('enforces the limits', () => {
    expect(
      invalid(() => readMtom('multipart/related; boundary=b', Buffer.from(lf), { maxParts: 1 })).message,
    ).toBe('multipart: more than 1 parts');
    expect(
      invalid(() => readMtom('multipart/related; boundary=b', Buffer.from(lf), { maxBytes: 10 })).message,
    ).toMatch(/larger than 10 bytes/);
  });
});

describe('readMtom on captured ITI-41 traffic', () => {
  it('reads the NIST Axis2 capture (LF line ends, padded boundaries)', () => {
    const http = parseHttpCapture(readFileSync(corpusFile('xds/nist/http-mtom-pnr.txt')));
    const { root, parts } = readMtom(http.headers['content-type'] ?? '', http.body);
    expect(parts.size).toBe(1);
    const env = readSoapEnvelope(root.bytes);
    expect(env.action).toBe(SOAP_ACTION.iti41);
    const hrefs = includeHrefs(parseXml(env.body?.xml ?? ''));
    expect(hrefs).toEqual(['cid:1.urn:uuid:3D4B161591CD1DEC0C1286850962319@apache.org']);
    const doc = parts.get(contentIdFromHref(hrefs[0] ?? ''));
    expect(doc?.contentType).toBe('text/plain');
    expect(doc?.bytes.toString('utf8')).toMatch(
      /^Four score and seven years ago[\s\S]*shall not perish from the earth\.$/,
    );
  });

  it('reads the eHealth Suisse ITI-41 response (root part only)', () => {
    const http = parseHttpCapture(readFileSync(corpusFile('xds/ehealthsuisse/ITI-41_response_raw.http')));
    const { root, parts } = readMtom(http.headers['content-type'] ?? '', http.body);
    expect(parts.size).toBe(0);
    expect(readSoapEnvelope(root.bytes)).toMatchObject({
      action: SOAP_ACTION.iti41Response,
      body: { localName: 'RegistryResponse' },
    });
  });

  it('reports the boundary mismatch of the eHealth Suisse request, and reads it with the body boundary', () => {
    const http = parseHttpCapture(readFileSync(corpusFile('xds/ehealthsuisse/ITI-41_request_raw.http')));
    const contentType = http.headers['content-type'] ?? '';
    expect(invalid(() => readMtom(contentType, http.body)).message).toMatch(
      /^multipart: no opening boundary --MIMEBoundary_05b3/,
    );
    // The proxy that captured it rewrote the Content-Type: take boundary and start from the body.
    const fixed = contentType
      .replace(/boundary="[^"]*"/, 'boundary="uuid:df997b05-d075-415b-9cc8-0f68c74cd993"')
      .replace(/start="[^"]*"/, 'start="<root.message@cxf.apache.org>"');
    const { root, parts } = readMtom(fixed, http.body);
    expect(parts.size).toBe(1);
    const hrefs = includeHrefs(parseXml(root.bytes));
    expect(hrefs).toHaveLength(1);
    const doc = parts.get(contentIdFromHref(hrefs[0] ?? ''));
    expect(doc?.contentType).toBe('application/fhir+json');
    expect(JSON.parse(doc?.bytes.toString('utf8') ?? '')).toMatchObject({ resourceType: 'Bundle' });
    // The capture was hand-edited: its SOAP part uses an undeclared wsse prefix (corpus SOURCES.md).
    expect(invalid(() => readSoapEnvelope(root.bytes)).message).toMatch(
      /\/soap:Envelope\/soap:Header\/wsse:Security: namespace prefix "wsse" is not declared/,
    );
  });
});
