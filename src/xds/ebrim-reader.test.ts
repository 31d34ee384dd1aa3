import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusFile } from '../../test/support/xsd.ts';
import { GatewayError } from '../errors/catalogue.ts';
import { ASSOCIATION, XDS } from '../model/vocabulary.ts';
import { classificationsIn, externalId, readProvideAndRegister, slotValues } from './ebrim-reader.ts';

const DE = XDS.documentEntry;
const SS = XDS.submissionSet;

describe('readProvideAndRegister on the NIST ITI-41 sample (xds/nist/pnr.xml)', () => {
  const parsed = readProvideAndRegister(readFileSync(corpusFile('xds/nist/pnr.xml')));

  it('finds the two document entries, the submission set and its marker', () => {
    expect(parsed.objects.map((o) => [o.kind, o.id])).toEqual([
      ['RegistryPackage', 'SubmissionSet01'],
      ['ExtrinsicObject', 'Document01'],
      ['ExtrinsicObject', 'Document02'],
    ]);
    expect(parsed.classifications).toEqual([
      expect.objectContaining({
        classifiedObject: 'SubmissionSet01',
        classificationNode: SS.classificationNode,
      }),
    ]);
    expect(parsed.documents).toEqual([]);
  });

  it('reads slots, names, classifications and external identifiers of an entry', () => {
    const doc = parsed.objects.find((o) => o.id === 'Document01')!;
    expect(doc.mimeType).toBe('text/plain');
    expect(doc.objectType).toBe(DE.stableObjectType);
    expect(doc.name).toBe('Physical');
    expect(slotValues(doc, 'sourcePatientInfo')).toEqual([
      'PID-3|pid1^^^&1.2.3&ISO',
      'PID-5|Doe^John^^^',
      'PID-7|19560527',
      'PID-8|M',
      'PID-11|100 Main St^^Metropolis^Il^44130^USA',
    ]);
    const authors = classificationsIn(doc, DE.author);
    expect(authors.map((a) => slotValues(a, 'authorPerson'))).toEqual([
      ['^Smitty^Gerald^^^'],
      ['^Dopplemeyer^Sherry^^^'],
    ]);
    expect(slotValues(authors[0]!, 'authorInstitution')).toEqual(['Cleveland Clinic', 'Parma Community']);
    const [type] = classificationsIn(doc, DE.typeCode);
    expect([type?.nodeRepresentation, slotValues(type!, 'codingScheme'), type?.name]).toEqual([
      '34108-1',
      ['LOINC'],
      'Outpatient Evaluation And Management',
    ]);
    expect(externalId(doc, DE.uniqueId)).toBe('1.42.20100312105241.2');
    expect(externalId(doc, DE.patientId)).toBe('53ff11cb404344e^^^&1.3.6.1.4.1.21367.2005.3.7&ISO');
  });

  it('reads the submission set and the HasMember associations', () => {
    const ss = parsed.objects.find((o) => o.kind === 'RegistryPackage')!;
    expect(slotValues(ss, 'submissionTime')).toEqual(['20041225235050']);
    expect(externalId(ss, SS.sourceId)).toBe('1.3.6.1.4.1.21367.2009.1.2.1');
    expect(parsed.associations.map((a) => [a.associationType, a.sourceObject, a.targetObject])).toEqual([
      [ASSOCIATION.hasMember, 'SubmissionSet01', 'Document01'],
      [ASSOCIATION.hasMember, 'SubmissionSet01', 'Document02'],
    ]);
    expect(parsed.associations.map((a) => slotValues(a, 'SubmissionSetStatus'))).toEqual([
      ['Original'],
      ['Original'],
    ]);
  });
});

describe('readProvideAndRegister: other shapes', () => {
  it('reads a request inside a SOAP 1.2 envelope (xds/nist/pnr_soap.xml)', () => {
    const parsed = readProvideAndRegister(readFileSync(corpusFile('xds/nist/pnr_soap.xml')));
    expect(parsed.objects.filter((o) => o.kind === 'ExtrinsicObject')).toHaveLength(2);
    expect(parsed.associations).toHaveLength(2);
  });

  it('reads an inline base64 xds:Document (xds/ipf/ProvideAndRegisterDocumentSet.xml)', () => {
    const parsed = readProvideAndRegister(
      readFileSync(corpusFile('xds/ipf/ProvideAndRegisterDocumentSet.xml')),
    );
    expect(parsed.documents).toHaveLength(1);
    const [part] = parsed.documents;
    expect(part?.id).toBe('Document01');
    expect(part?.href).toBeUndefined();
    expect(Buffer.from(part!.base64!, 'base64').toString('utf8')).toMatch(/^<ClinicalDocument /);
  });

  it('refuses a document that is not an ITI-41 request', () => {
    expect(() => readProvideAndRegister(readFileSync(corpusFile('xds/nist/soap-pnr-resp.xml')))).toThrow(
      GatewayError,
    );
  });
});
