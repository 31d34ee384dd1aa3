import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXED_NOW, sequentialIds, testConfig } from '../../../test/support/context.ts';
import { GatewayError } from '../../errors/catalogue.ts';
import { documentReferenceToSubmission } from './document-reference.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/fhir/${name}`, import.meta.url), 'utf8'));
const ctx = () => ({ config: testConfig, ids: sequentialIds(), now: FIXED_NOW });

describe('DocumentReference → canonical submission', () => {
  it('maps a PDF DocumentReference with its contained patient, author and codes', () => {
    const s = documentReferenceToSubmission(fixture('documentreference-pdf.json'), ctx());
    const doc = s.documents[0]!;
    expect(s.patient).toMatchObject({
      ins: { root: '1.2.250.1.213.1.4.10', extension: '279035121518989' },
      ipp: { root: '1.2.250.1.999.1.2', extension: 'IPP-000123' },
      birthFamilyName: 'ANDRE',
      usedFamilyName: 'DUPONT',
      givenNames: ['MARIE', 'CLAIRE'],
      birthDate: '19790321',
      sex: 'F',
      identityStatus: 'VALI',
    });
    expect(doc.id).toEqual({ root: '1.2.250.1.999.1.3.1001' });
    expect(doc.typeCode).toMatchObject({ code: '11490-0', codeSystem: '2.16.840.1.113883.6.1' });
    expect(doc.classCode).toMatchObject({ code: '10', codeSystem: '1.2.250.1.213.1.1.4.1' });
    expect(doc.formatCode).toEqual({
      code: 'urn:ihe:iti:xds-sd:pdf:2008',
      codeSystem: '1.3.6.1.4.1.19376.1.2.3',
    });
    expect(doc.healthcareFacilityTypeCode.codeSystem).toBe('1.2.250.1.71.4.2.4');
    expect(doc.practiceSettingCode.codeSystem).toBe('1.2.250.1.213.1.1.4.9');
    expect(doc.creationTime).toBe('2026-11-20T09:00:00.000Z');
    expect(doc.serviceStartTime).toBe('2026-11-18T07:00:00.000Z');
    expect(doc.authors[0]).toMatchObject({
      kind: 'person',
      person: { id: '810101201234', familyName: 'LECLERC', givenName: 'SOPHIE' },
      role: { code: '10', codeSystem: '1.2.250.1.71.1.2.7' },
      organisation: { id: '1999000019' },
    });
    expect(doc.content.kind).toBe('unstructured');
    expect(doc.versionNumber).toBe(1);
    expect(doc.confidentiality).toBe('N');
    expect(doc.visibility).toEqual({
      hiddenFromPatient: false,
      hiddenFromLegalRepresentatives: false,
      maskedFromProfessionals: false,
    });
    expect(s.submissionTime).toBe(FIXED_NOW.toISOString());
    expect(s.entryUUID).toMatch(/^urn:uuid:/);
  });

  it('reads TRE_A07 visibility codes from securityLabel', () => {
    const doc = documentReferenceToSubmission(fixture('documentreference-text.json'), ctx()).documents[0]!;
    expect(doc.visibility.hiddenFromPatient).toBe(true);
    expect(doc.content).toMatchObject({ kind: 'unstructured', mediaType: 'text/plain' });
  });

  it('builds a replacement from the predecessor facts', () => {
    const predecessor = { setId: { root: '1.2.250.1.999.1.4.7' }, versionNumber: 2 };
    const doc = documentReferenceToSubmission(fixture('documentreference-replace.json'), {
      ...ctx(),
      predecessor,
    }).documents[0]!;
    expect(doc.versionNumber).toBe(3);
    expect(doc.setId).toEqual(predecessor.setId);
    expect(doc.replaces).toEqual({
      uniqueId: '1.2.250.1.999.1.3.1001',
      cdaId: { root: '1.2.250.1.999.1.3.1001' },
      entryUUID: 'urn:uuid:0b8e2c1a-6a53-4c0c-9d2e-5f1f8a6b2c01',
    });
  });

  it('reports every problem with its FHIRPath', () => {
    let error: GatewayError | undefined;
    try {
      documentReferenceToSubmission(fixture('documentreference-invalid.json'), ctx());
    } catch (err) {
      error = err as GatewayError;
    }
    expect(error).toBeInstanceOf(GatewayError);
    const found = error!.issues.map((i) => `${i.path}: ${i.message}`);
    expect(found).toContain(
      'DocumentReference.contained[0].identifier: no INS (1.2.250.1.213.1.4.8/1.2.250.1.213.1.4.9/1.2.250.1.213.1.4.10/1.2.250.1.213.1.4.11)',
    );
    expect(found).toContain('DocumentReference.content[0].attachment.data: not valid base64');
    expect(found).toContain('DocumentReference.type: required');
  });

  it('refuses an attachment whose hash or size does not match', () => {
    const input = fixture('documentreference-pdf.json');
    input.content[0].attachment.size = 1;
    input.content[0].attachment.hash = 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=';
    expect(() => documentReferenceToSubmission(input, ctx())).toThrow(/attachment.size.*attachment.hash/s);
  });
});
