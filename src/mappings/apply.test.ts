import { describe, expect, it } from 'vitest';
import type { PersonAuthor } from '../model/types.ts';
import { OID } from '../model/vocabulary.ts';
import { applyMapping } from './apply.ts';
import type { SourceFacts } from './facts.ts';
import { type LoadedMapping, loadMapping } from './load.ts';
import { formatLineage } from './result.ts';

const TEXT = [
  'kind: mapping', //                                                             1
  'id: chu-x', //                                                                 2
  'appliesTo: { applications: [DPI-X] }', //                                      3
  'facilities:', //                                                               4
  '  NORD: { finess: "999000019", name: Nord, facilityType: { code: SA01 } }', // 5
  '  SUD:', //                                                                    6
  '    finess: "999000027"', //                                                   7
  '    name: Sud', //                                                             8
  '    facilityType: { code: SA02 }', //                                         9
  '    vihf: { secteurActivite: { code: SA03 } }', //                            10
  'defaults:', //                                                                11
  '  facility: NORD', //                                                         12
  '  practiceSetting: { code: ETABLISSEMENT }', //                               13
  '  contentType: "97"', //                                                      14
  'types:', //                                                                   15
  '  CRH: { typeCode: 34112-3 }', //                                             16
  '  PRESC: { typeCode: PRESC-BIO }', //                                         17
  'units:', //                                                                   18
  '  PSY: { facility: SUD, specialty: { code: SM42 }, practiceSetting: { code: AMBULATOIRE } }', // 19
  'visitClasses: { I: "03", O: "07" }', //                                       20
  'authorDefaults:', //                                                          21
  '  system: { id: DPI-X, name: DPI X, model: "1" }', //                         22
  '  specialty: { code: SM26 }', //                                              23
].join('\n');

function mapping(): LoadedMapping {
  const result = loadMapping('mappings/chu-x.yaml', TEXT, new Date('2025-01-01T00:00:00Z'));
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

const HL7: SourceFacts = {
  format: 'hl7v2',
  application: { value: 'DPI-X', path: 'MSH[1]-3.1' },
  documentType: { value: { code: 'CRH', codeSystem: 'L' }, path: 'OBX[1]-3.1' },
  unit: { value: 'PSY', path: 'PV1[1]-3.1' },
  visitClass: { value: 'I', path: 'PV1[1]-2' },
};

function lineageOf(facts: SourceFacts): string[] {
  return applyMapping(facts, mapping()).lineage.map(formatLineage);
}

describe('applyMapping', () => {
  it('maps a local type, a unit, a visit class and says where each value came from', () => {
    const result = applyMapping(HL7, mapping());
    expect(result.issues).toEqual([]);
    expect(result.values).toMatchObject({
      typeCode: { code: '34112-3', codeSystem: OID.loinc },
      classCode: { code: '10', codeSystem: OID.treA03Class },
      practiceSettingCode: { code: 'AMBULATOIRE', codeSystem: OID.treA01PracticeSetting },
      healthcareFacilityTypeCode: { code: 'SA02', codeSystem: OID.treR02FacilityType },
      contentTypeCode: { code: '03', codeSystem: OID.contentType },
      site: { key: 'SUD', finess: '999000027', structureId: '1999000027' },
      vihf: { structureId: '1999000027', secteurActivite: { code: 'SA03' } },
      unit: 'PSY',
      unitSpecialty: { code: 'SM42' },
      localType: 'CRH',
    });
    expect(result.lineage.map(formatLineage)).toEqual([
      'site FINESS (authorInstitution, custodian) = 999000027 ← PV1[1]-3.1 via mappings/chu-x.yaml:units.PSY.facility (line 19)',
      'VIHF Identifiant_Structure = 1999000027 ← PV1[1]-3.1 via mappings/chu-x.yaml:units.PSY.facility (line 19)',
      'VIHF Secteur_Activite = SA03 ← PV1[1]-3.1 via mappings/chu-x.yaml:facilities.SUD.vihf.secteurActivite (line 10)',
      'healthcareFacilityTypeCode = SA02 ← PV1[1]-3.1 via mappings/chu-x.yaml:facilities.SUD.facilityType (line 9)',
      'typeCode = 34112-3 ← OBX[1]-3.1 via mappings/chu-x.yaml:types.CRH (line 16)',
      'classCode = 10 ← typeCode via ASS_X16 (mappings/terminology/type-class.json)',
      'practiceSettingCode = AMBULATOIRE ← PV1[1]-3.1 via mappings/chu-x.yaml:units.PSY.practiceSetting (line 19)',
      'unit specialty (feeding rules) = SM42 ← PV1[1]-3.1 via mappings/chu-x.yaml:units.PSY.specialty (line 19)',
      'contentTypeCode = 03 ← PV1[1]-2 via mappings/chu-x.yaml:visitClasses.I (line 20)',
      'author = 1999000027/DPI-X ← (not in the message) via mappings/chu-x.yaml:authorDefaults.system (line 22)',
    ]);
    expect(result.mapping).toEqual({ file: 'mappings/chu-x.yaml', version: mapping().version });
  });

  it('resolves a TRE_A05 type and keeps a national type sent as is', () => {
    const tre = applyMapping(
      { ...HL7, documentType: { value: { code: 'PRESC' }, path: 'OBX[1]-3.1' } },
      mapping(),
    );
    expect(tre.values.typeCode).toEqual({ code: 'PRESC-BIO', codeSystem: OID.treA05Type });
    expect(tre.values.classCode?.code).toBe('42');
    const national = lineageOf({
      ...HL7,
      documentType: { value: { code: '11502-2', codeSystem: OID.loinc }, path: 'OBX[1]-3.1' },
    });
    expect(national).toContain('typeCode = 11502-2 ← OBX[1]-3.1');
  });

  it('reports a local type the mapping does not know, at the sender field', () => {
    const result = applyMapping(
      { ...HL7, documentType: { value: { code: 'XYZ' }, path: 'OBX[1]-3.1' } },
      mapping(),
    );
    expect(result.values.typeCode).toBeUndefined();
    expect(result.issues).toEqual([
      {
        code: 'INVALID_INPUT',
        path: 'OBX[1]-3.1',
        message: 'XYZ is not a DMP document type (JDV_J66) and mappings/chu-x.yaml has no types.XYZ entry',
      },
    ]);
  });

  it('falls back on the sender national values, then on defaults, saying why', () => {
    const lines = lineageOf({
      format: 'fhir',
      documentType: { value: { code: 'CRH' }, path: 'DocumentReference.type.coding[0]' },
      unit: { value: 'CARDIO', path: '(dry-run option) --unit' },
      visitClass: { value: 'X', path: 'Encounter.class' },
      facilityType: {
        value: { code: 'SA07', codeSystem: OID.treR02FacilityType },
        path: 'DocumentReference.context.facilityType',
      },
    });
    expect(lines).toEqual(
      expect.arrayContaining([
        'site FINESS (authorInstitution, custodian) = 999000019 ← (not in the message) via mappings/chu-x.yaml:defaults.facility (line 12)',
        'healthcareFacilityTypeCode = SA07 ← DocumentReference.context.facilityType',
        'practiceSettingCode = ETABLISSEMENT ← (dry-run option) --unit (not in units) via mappings/chu-x.yaml:defaults.practiceSetting (line 13)',
        'contentTypeCode = 97 ← Encounter.class (not in visitClasses) via mappings/chu-x.yaml:defaults.contentType (line 14)',
      ]),
    );
  });

  it('keeps the codes of a ready-made CDA and only maps site, VIHF and activity', () => {
    const result = applyMapping(
      {
        ...HL7,
        documentCodesFixed: true,
        documentType: { value: { code: 'CRH', codeSystem: 'L' }, path: 'ClinicalDocument/code' },
        practiceSetting: {
          value: { code: 'AMBULATOIRE', codeSystem: OID.treA01PracticeSetting },
          path: 'cda-ps',
        },
      },
      mapping(),
    );
    expect(result.issues.map((i) => i.message)).toEqual(['CRH is not a DMP document type (JDV_J66)']);
    expect(result.values.healthcareFacilityTypeCode).toBeUndefined();
    expect(result.lineage.map(formatLineage)).toContain('practiceSettingCode = AMBULATOIRE ← cda-ps');
    expect(result.values.contentTypeCode?.code).toBe('03');
  });

  it('completes a person author with the default specialty, and keeps a given one', () => {
    const author: PersonAuthor = {
      kind: 'person',
      person: { id: '810101201234', familyName: 'LECLERC' },
      organisation: { id: '1999000019', name: 'Nord' },
    };
    const result = applyMapping({ ...HL7, author: { value: author, path: 'PRT[1]-5' } }, mapping());
    expect(result.values.author).toMatchObject({
      specialty: { code: 'SM26', codeSystem: '1.2.250.1.71.4.2.5' },
    });
    expect(result.lineage.map(formatLineage)).toContain(
      'authorSpecialty = SM26 ← (not in the message) via mappings/chu-x.yaml:authorDefaults.specialty (line 23)',
    );
    const specialty = { code: 'SM04', codeSystem: '1.2.250.1.71.4.2.5' };
    const kept = applyMapping(
      { ...HL7, author: { value: { ...author, specialty }, path: 'PRT[1]-5' } },
      mapping(),
    );
    expect(kept.values.author).toBeUndefined();
  });
});
