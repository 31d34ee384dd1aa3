/**
 * Property: no value in any text field of a submission can change the
 * structure of what the gateway emits. Hostile strings (markup characters,
 * CDATA and comment terminators, HL7 delimiters, control characters, lone
 * surrogates, very long values) go into every text field; the SOAP envelope,
 * the CDA and the signature document must still parse, with exactly the
 * element structure a benign value gives, and the deposit must still verify.
 */

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDeposit } from '../../src/deposit/build-deposit.ts';
import { documentReferenceToSubmission } from '../../src/inbound/fhir/document-reference.ts';
import type { Author, Submission } from '../../src/model/types.ts';
import { verifySignatureDocument } from '../../src/signature/xades.ts';
import { FIXED_NOW, sequentialIds, testConfig } from '../support/context.ts';
import { type TestSigner, testSigner } from '../support/deposit.ts';

const base = documentReferenceToSubmission(
  JSON.parse(
    readFileSync(new URL('../../fixtures/fhir/documentreference-pdf.json', import.meta.url), 'utf8'),
  ),
  { config: testConfig, ids: sequentialIds(), now: FIXED_NOW },
);

/** The submission with `v` in every free-text field (names, ids of local scope, titles, organisations). */
function withText(v: string): Submission {
  const org = (o: { id: string; name: string }) => ({ ...o, name: `${v}org` });
  const author = (a: Author): Author =>
    a.kind === 'person'
      ? {
          ...a,
          person: { ...a.person, familyName: `${v}fam`, givenName: `${v}giv`, prefix: `${v}pre` },
          organisation: org(a.organisation),
        }
      : { ...a, name: `${v}sys`, model: `${v}model`, organisation: org(a.organisation) };
  return {
    ...base,
    title: `${v}set`,
    author: author(base.author),
    patient: {
      ...base.patient,
      ipp: { root: base.patient.ipp!.root, extension: `${v}ipp` },
      birthFamilyName: `${v}birth`,
      usedFamilyName: `${v}used`,
      givenNames: [`${v}first`, `${v}second`],
    },
    documents: base.documents.map((d) => ({
      ...d,
      title: `${v}title`,
      authors: d.authors.map(author),
      custodian: org(d.custodian),
    })),
  };
}

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, processEntities: true });

/** Element names in document order, with depth: the structure of a document. */
function structure(xml: string): string[] {
  expect(XMLValidator.validate(xml)).toBe(true);
  const out: string[] = [];
  const walk = (nodes: Record<string, unknown>[], depth: number) => {
    for (const node of nodes) {
      const name = Object.keys(node).find((k) => k !== ':@');
      if (!name || name === '#text' || name === '?xml') continue;
      out.push(`${depth}:${name}`);
      walk(node[name] as Record<string, unknown>[], depth + 1);
    }
  };
  walk(parser.parse(xml) as Record<string, unknown>[], 0);
  return out;
}

const hostile = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '<',
        '>',
        '&',
        '"',
        "'",
        ']]>',
        '<![CDATA[',
        '-->',
        '<!--',
        '&amp;',
        '&#0;',
        '</ClinicalDocument>',
        '^',
        '&',
        '~',
        '\\',
        '|',
        '\r\n',
      ),
      fc.constantFrom(
        '\u0000',
        '\u0001',
        '\u001f',
        '\u007f',
        '\ud800',
        '\udfff',
        '\ufffe',
        '\uffff',
        '\u2028',
      ),
      fc.string({ unit: 'binary', maxLength: 20 }),
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => parts.join(''));

describe('hostile text in every field', () => {
  let signer: TestSigner;
  let expected: { envelope: string[]; cda: string[]; signature: string[] };

  beforeAll(async () => {
    signer = await testSigner();
    expected = shapes('a');
  });

  function shapes(v: string) {
    const d = buildDeposit(withText(v), {
      config: testConfig,
      ids: sequentialIds(),
      now: FIXED_NOW,
      ...signer,
    });
    const [cda, signature] = d.parts;
    verifySignatureDocument(Buffer.from(signature!.bytes).toString('utf8'), {
      certPem: signer.signingKey.certPem,
      documents: [{ uniqueId: base.documents[0]!.id.root, bytes: cda!.bytes }],
    });
    return {
      envelope: structure(d.envelope),
      cda: structure(Buffer.from(cda!.bytes).toString('utf8')),
      signature: structure(Buffer.from(signature!.bytes).toString('utf8')),
    };
  }

  it('leaves the structure of the envelope, the CDA and the signature unchanged', () => {
    fc.assert(
      fc.property(hostile, (v) => {
        expect(shapes(`a${v}`)).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('accepts 10,000-character values', () => {
    expect(shapes(`a${'é<&'.repeat(3334)}`)).toEqual(expected);
  });
});
