import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { documentEntry, patient, personAuthor, submission, systemAuthor } from '../../fixtures/cda/sample.ts';
import type { Organisation, Submission } from '../model/types.ts';
import { wrapN1 } from './n1.ts';

/** Pieces that try to break XML: markup, entities, CDATA/comment ends, C0 controls, lone surrogates. */
const CONTROL_CHARS = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i));
const PIECES = [
  '<',
  '>',
  '&',
  '&amp;',
  '"',
  "'",
  ']]>',
  '-->',
  '<!--',
  '<![CDATA[',
  '\uD800',
  '\uDFFF',
  '\uFFFE',
  ...CONTROL_CHARS,
];

const hostile: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'binary', maxLength: 8 })), {
      minLength: 1,
      maxLength: 12,
    })
    .map((a) => a.join('')),
  fc.constantFrom(...PIECES).map((p) => p.repeat(10_000).slice(0, 10_000)),
  fc.string({ unit: 'binary', minLength: 10_000, maxLength: 10_000 }),
);

/** The model of the tests with `v(i)` in every text field (title, names, organisation names, ids). */
function model(v: (i: number) => string, system: boolean): Submission {
  const org = (i: number): Organisation => ({ id: v(i), name: v(i + 1) });
  const author = system
    ? { ...systemAuthor, id: v(0), name: v(1), model: v(2), organisation: org(3) }
    : {
        ...personAuthor,
        person: { id: v(0), familyName: v(1), givenName: v(2), prefix: v(3) },
        specialty: { code: v(4), codeSystem: v(5), displayName: v(6) },
        organisation: org(7),
      };
  const doc = documentEntry({
    id: { root: v(9), extension: v(10) },
    setId: { root: v(11), extension: v(12) },
    title: v(13),
    typeCode: { code: v(14), codeSystem: v(15), displayName: v(16) },
    authors: [author],
    custodian: org(17),
    legalAuthenticator: { id: v(19), familyName: v(20), givenName: v(21), prefix: v(22) },
    languageCode: v(23),
    replaces: { uniqueId: v(24), cdaId: { root: v(24), extension: v(25) } },
  });
  return {
    ...submission(doc, author),
    patient: {
      ...patient,
      ins: { root: patient.ins.root, extension: v(26) },
      ipp: { root: v(27), extension: v(28) },
      birthFamilyName: v(29),
      usedFamilyName: v(30),
      givenNames: [v(31), v(32)],
      birthDate: v(33),
      birthPlaceCode: v(34),
    },
  };
}
const FIELDS = 35;

/** Element names in document order (the output is checked well-formed first, so `<` only opens tags). */
function elementNames(xml: string): string[] {
  return [...xml.matchAll(/<([A-Za-z_][\w.:-]*)/g)].map((m) => m[1] as string);
}

function wrap(sub: Submission): string {
  return new TextDecoder().decode(wrapN1(sub, sub.documents[0] as Submission['documents'][number]));
}

describe('wrapN1 with hostile field values', () => {
  it.each([false, true])(
    'keeps the XML well-formed and its structure unchanged (system author: %s)',
    (system) => {
      const benign = elementNames(wrap(model((i) => `valeur${i}`, system)));
      expect(benign.length).toBeGreaterThan(50);
      fc.assert(
        fc.property(fc.array(hostile, { minLength: FIELDS, maxLength: FIELDS }), (values) => {
          const xml = wrap(model((i) => values[i] as string, system));
          expect(XMLValidator.validate(xml)).toBe(true);
          expect(elementNames(xml)).toEqual(benign);
        }),
        { numRuns: 25, endOnFailure: true },
      );
    },
  );
});
