import { describe, expect, it } from 'vitest';
import { documentEntry, personAuthor, submission } from '../../fixtures/cda/sample.ts';
import type { Author, SystemAuthor } from '../model/types.ts';
import { applyMapping } from './apply.ts';
import type { SourceFacts } from './facts.ts';
import { loadMapping } from './load.ts';
import { applyResults } from './submission.ts';

const TEXT = `kind: mapping
id: chu-x
appliesTo: { default: true }
facilities:
  NORD: { finess: '999000019', name: Nord, facilityType: { code: SA01 } }
  SUD: { finess: '999000027', name: Sud, facilityType: { code: SA01 }, vihf: { secteurActivite: { code: SA03 } } }
defaults: { facility: NORD }
types: { CRH: { typeCode: 34112-3 } }
units: { PSY: { facility: SUD, specialty: { code: SM42 } } }
authorDefaults:
  system: { id: DPI-X, name: DPI X, model: '1' }
  role: { code: '40' }
`;
const loaded = loadMapping('mappings/chu-x.yaml', TEXT, new Date('2025-01-01T00:00:00Z'));
if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
const MAPPING = loaded.value;

/** The configured establishment: what the intakes name when the message names no structure. */
const ESTABLISHMENT = '1999000019';
const home = { id: ESTABLISHMENT, name: 'Etablissement' };
const gatewayAuthor: SystemAuthor = {
  kind: 'system',
  id: `${ESTABLISHMENT}/dmp-gateway`,
  name: 'dmp-gateway',
  model: '0.1',
  organisation: home,
};

function mapped(author: Author, facts: Partial<SourceFacts>, custodian = home) {
  const doc = documentEntry({ authors: [author], custodian });
  const sent: SourceFacts = {
    format: 'hl7v2',
    documentType: { value: { code: 'CRH', codeSystem: 'L' }, path: 'OBX[1]-3.1' },
    ...facts,
  };
  return applyResults(submission(doc, author), [applyMapping(sent, MAPPING)], ESTABLISHMENT);
}
const psy = { unit: { value: 'PSY', path: 'PV1[1]-3.1' } };

describe('applyResults', () => {
  it('puts the mapped codes into the document and keeps the feeding facts', () => {
    const result = mapped(personAuthor, psy);
    expect(result.submission.documents[0]!.typeCode.code).toBe('34112-3');
    expect(result.feeding).toEqual([
      {
        site: '999000027',
        unit: 'PSY',
        unitSpecialty: expect.objectContaining({ code: 'SM42' }),
        localType: 'CRH',
      },
    ]);
    expect(result.files).toEqual([{ file: 'mappings/chu-x.yaml', version: MAPPING.version }]);
  });

  it('the VIHF, the authors and the custodian name the mapped site where the message named none', () => {
    const { submission: s } = mapped({ ...personAuthor, organisation: home }, psy);
    expect(s.site).toEqual({
      structureId: '1999000027',
      secteurActivite: expect.objectContaining({ code: 'SA03' }),
    });
    expect(s.author.organisation).toEqual({ id: '1999000027', name: 'Sud' });
    expect(s.documents[0]!.authors[0]!.organisation).toEqual({ id: '1999000027', name: 'Sud' });
    expect(s.documents[0]!.custodian).toEqual({ id: '1999000027', name: 'Sud' });
  });

  it('a structure the message names itself is kept', () => {
    const own = { id: '1750000001', name: 'Hôpital de test' };
    const { submission: s } = mapped({ ...personAuthor, organisation: own }, psy, own);
    expect([s.author.organisation, s.documents[0]!.custodian]).toEqual([own, own]);
  });

  it("a structure the message names (PRT-8) stays, even the establishment's own: it is the site", () => {
    const structure = { value: ESTABLISHMENT, path: 'PRT[1]-8.10' };
    const result = mapped({ ...personAuthor, organisation: home }, { ...psy, structure });
    expect(result.submission.author.organisation).toEqual(home);
    expect(result.submission.site?.structureId).toBe(ESTABLISHMENT);
    expect(result.feeding[0]?.site).toBe('999000019');
  });

  it("a structure the mapping does not list stays the author institution; the site is the mapping's", () => {
    const other = { id: '1750000001', name: 'Hôpital de test' };
    const structure = { value: other.id, path: 'PRT[1]-8.10' };
    const result = mapped({ ...personAuthor, organisation: other }, { ...psy, structure }, other);
    expect(result.submission.author.organisation).toEqual(other);
    expect(result.submission.site?.structureId).toBe('1999000027'); // the PSY unit's site
    expect(result.feeding[0]?.site).toBe('999000027');
  });

  it("the gateway's default system author gives way to the mapping's authorDefaults.system", () => {
    const { submission: s } = mapped(gatewayAuthor, {});
    const expected = { kind: 'system', id: '1999000019/DPI-X', name: 'DPI X', model: '1' };
    expect(s.author).toMatchObject(expected);
    expect(s.documents[0]!.authors[0]).toMatchObject(expected);
  });

  it("the message's author is completed by authorDefaults (role), not replaced", () => {
    const author = { value: personAuthor, path: 'PRT-5' };
    const { submission: s } = mapped(personAuthor, { author });
    expect(s.documents[0]!.authors[0]).toMatchObject({
      person: personAuthor.person,
      role: expect.objectContaining({ code: '40' }),
    });
  });

  it('a ready-made CDA keeps its own document codes and authors; the submission set still moves', () => {
    const cda = documentEntry({
      authors: [{ ...personAuthor, organisation: home }],
      content: { kind: 'cda', bytes: new Uint8Array([60]) },
    });
    const sent: SourceFacts = {
      format: 'cda',
      documentCodesFixed: true,
      documentType: { value: cda.typeCode, path: 'ClinicalDocument/code' },
      ...psy,
    };
    const result = applyResults(
      submission(cda, { ...personAuthor, organisation: home }),
      [applyMapping(sent, MAPPING)],
      ESTABLISHMENT,
    );
    expect(result.submission.documents[0]).toBe(cda);
    expect(result.submission.author.organisation.id).toBe('1999000027');
  });

  it('without a mapping the document is unchanged and its site is its author institution', () => {
    const doc = documentEntry();
    const result = applyResults(submission(doc), [undefined], ESTABLISHMENT);
    expect(result.submission.documents[0]).toBe(doc);
    expect(result.feeding).toEqual([{ site: '750000001' }]);
  });
});
