/**
 * Fuzzing POST /xds/iti41 with random mutations of real requests (the
 * corpus ITI-41 samples and valid French MTOM, inline and raw-PDF requests):
 * byte flips, truncations, duplicated and removed elements, damaged
 * Content-Types. Whatever arrives, the answer is a protocol-correct SOAP 1.2
 * message: a Fault (400/413/415 Sender, 500 VersionMismatch or
 * MustUnderstand, never an internal Receiver error) or a RegistryResponse
 * (200, the ITI-41 response action, RelatesTo, Success without errors or
 * Failure with known XDS codes). The server stays up.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOAP_ACTION } from '../../src/model/vocabulary.ts';
import { XDS_ERROR_CODES } from '../../src/xds/error-codes.ts';
import { testSigner } from '../support/deposit.ts';
import { parseHttpCapture } from '../support/http-capture.ts';
import { startXdsApp, type XdsTestApp } from '../support/xds-app.ts';
import {
  answerOf,
  hospitalDeposit,
  hospitalSubmission,
  inlineMessage,
  mtomMessage,
  rawDocumentMessage,
  soapWrap,
} from '../support/xds-requests.ts';
import { corpusFile } from '../support/xsd.ts';

interface Seed {
  readonly name: string;
  readonly body: Buffer;
  readonly contentType: string;
}

let app: XdsTestApp;
const seeds: Seed[] = [];

beforeAll(async () => {
  app = await startXdsApp({ xds: { maxBodyBytes: 2 * 1024 * 1024, maxDepth: 40, maxElements: 20_000 } });
  const signer = await testSigner();
  const soap = 'application/soap+xml; charset=UTF-8';
  const file = (name: string) => readFileSync(corpusFile(`xds/${name}`));
  const capture = (name: string) => {
    const c = parseHttpCapture(file(name));
    return { name, body: c.body, contentType: c.headers['content-type'] ?? '' };
  };
  const deposit = hospitalDeposit(hospitalSubmission(), signer);
  seeds.push(
    { name: 'nist/pnr_soap.xml', body: file('nist/pnr_soap.xml'), contentType: soap },
    {
      name: 'ipf/ProvideAndRegisterDocumentSet.xml',
      body: Buffer.from(soapWrap(file('ipf/ProvideAndRegisterDocumentSet.xml').toString())),
      contentType: soap,
    },
    capture('nist/http-mtom-pnr.txt'),
    capture('ehealthsuisse/ITI-41_request_raw.http'),
    { name: 'valid MTOM', ...mtomMessage(deposit) },
    { name: 'valid inline', ...inlineMessage(deposit) },
    { name: 'valid raw PDF', ...rawDocumentMessage(hospitalSubmission()) },
  );
});
afterAll(async () => {
  await app?.close();
});

/** Start and end offsets of the elements of `text` (start tag to the first matching end tag). */
function elementRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const m of text.matchAll(/<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)[\s/>]/g)) {
    const start = m.index;
    const selfClose = text.indexOf('>', start);
    if (selfClose > 0 && text[selfClose - 1] === '/') ranges.push([start, selfClose + 1]);
    else {
      const close = text.indexOf(`</${m[1]}>`, start);
      if (close > 0) ranges.push([start, close + m[1]!.length + 3]);
    }
  }
  return ranges;
}

type Mutation =
  | { kind: 'flip'; at: number; byte: number; count: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate' | 'remove'; which: number }
  | { kind: 'contentType'; variant: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    byte: fc.nat(255),
    count: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constantFrom('duplicate' as const, 'remove' as const), which: fc.nat() }),
  fc.record({ kind: fc.constant('contentType' as const), variant: fc.nat(4) }),
);

function mutate(seed: Seed, m: Mutation): { body: Buffer; contentType: string } {
  const body = Buffer.from(seed.body);
  switch (m.kind) {
    case 'flip':
      for (let i = 0; i < m.count; i++) body[(m.at + i * 7919) % body.length] = (m.byte + i) % 256;
      return { body, contentType: seed.contentType };
    case 'truncate':
      return { body: body.subarray(0, m.at % body.length), contentType: seed.contentType };
    case 'duplicate':
    case 'remove': {
      const text = body.toString('latin1');
      const ranges = elementRanges(text);
      const [start, end] = ranges[m.which % Math.max(1, ranges.length)] ?? [0, 0];
      const piece = text.slice(start, end);
      const out =
        m.kind === 'remove'
          ? text.slice(0, start) + text.slice(end)
          : text.slice(0, end) + piece + text.slice(end);
      return { body: Buffer.from(out, 'latin1'), contentType: seed.contentType };
    }
    case 'contentType': {
      const variants = [
        seed.contentType.replace(/boundary="?[^";]+"?/, 'boundary="x"'),
        seed.contentType.replace(/type="application\/xop\+xml"/, ''),
        'multipart/related; type="application/xop+xml"; boundary="MIMEBoundary"',
        'application/soap+xml; charset=utf-16',
        `${seed.contentType}; action="urn:ihe:iti:2007:RegistryStoredQuery"`,
      ];
      return { body, contentType: variants[m.variant] as string };
    }
  }
}

const KNOWN_CODES = new Set(Object.keys(XDS_ERROR_CODES));

describe('fuzzing POST /xds/iti41', () => {
  it('every mutated request gets a protocol-correct SOAP Fault or RegistryResponse', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        async (which, mutations) => {
          const seed = seeds[which % seeds.length] as Seed;
          let request = { body: seed.body, contentType: seed.contentType };
          for (const m of mutations) request = mutate({ ...seed, ...request }, m);
          const reply = await app.post(request.body, request.contentType);
          const answer = answerOf(reply);
          expect(
            answer.envelope,
            `${seed.name}: ${reply.status} ${reply.body.toString().slice(0, 200)}`,
          ).toBeDefined();
          const fault = answer.envelope?.fault;
          if (fault) {
            expect(fault.reason).not.toBe('');
            if (fault.code === 'Sender') expect([400, 413, 415]).toContain(reply.status);
            else
              expect(['VersionMismatch', 'MustUnderstand'], `${seed.name}: ${fault.reason}`).toContain(
                fault.code,
              );
            if (fault.code !== 'Sender') expect(reply.status).toBe(500);
            return;
          }
          expect(reply.status).toBe(200);
          expect(answer.envelope?.action).toBe(SOAP_ACTION.iti41Response);
          expect(answer.envelope?.relatesTo).toBeTruthy();
          const result = answer.result;
          expect(result?.anomaly).toBeUndefined();
          expect(['Success', 'Failure']).toContain(result?.status);
          for (const e of result?.errors ?? []) expect(KNOWN_CODES).toContain(e.errorCode);
        },
      ),
      { numRuns: 300, seed: Number(process.env.FUZZ_SEED ?? 20_261_120) },
    );
    // still up and still right (a new request: mutants of the seeds may have claimed their uniqueIds)
    const fresh = inlineMessage(hospitalDeposit(hospitalSubmission(), await testSigner()));
    expect(answerOf(await app.post(fresh.body, fresh.contentType)).result?.status).toBe('Success');
  }, 120_000);
});
