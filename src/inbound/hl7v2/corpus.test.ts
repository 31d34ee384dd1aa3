/**
 * Every HL7 v2 message of ../shared/corpus/hl7v2 gets its expected outcome.
 * The ANS volet samples mostly carry placeholders: a base64 plain-text
 * sentence instead of a CDA (rejected at OBX-5.5), or a CDA N1 without the
 * setId the CI-SIS header requires (rejected with the CDA path); the SEGUR N3
 * report and the MDM deletion are accepted. ACK/ZAM are answers, not
 * requests. The Microsoft and IPF samples use HL7 versions outside the volet.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { context, located, rejection } from '../../../fixtures/hl7v2/context.ts';
import { corpusFile } from '../../../test/support/xsd.ts';
import { translateHl7 } from './translate.ts';
import type { Hl7Intake } from './types.ts';

const ROOT = corpusFile('hl7v2');

type Expected = { readonly accept: (intake: Hl7Intake) => void } | { readonly reject: readonly string[] };

const notXml = (n: number) => `OBX[${n}]-5.5 INVALID_INPUT`;

const PATIENT_FACTS = {
  ins: { root: '1.2.250.1.213.1.4.10', extension: '279035121518989' },
  identityStatus: 'VALI',
};

const EXPECTED: Readonly<Record<string, Expected>> = {
  'fr-ans/adt/admission.er7': {
    accept: (i) =>
      expect(i).toMatchObject({
        kind: 'patient',
        facts: { ...PATIENT_FACTS, dmpStatus: 'ACTIF', opposedToFeeding: false },
      }),
  },
  'fr-ans/adt/sortie.er7': {
    accept: (i) => {
      expect(i).toMatchObject({ kind: 'patient', facts: { ...PATIENT_FACTS, opposedToFeeding: false } });
      expect(i.kind === 'patient' && i.facts.dmpStatus).toBe(undefined);
    },
  },
  'fr-ans/adt/ConsentementConsultation_NonOppositionAlimentation.er7': {
    accept: (i) =>
      expect(i).toMatchObject({
        kind: 'patient',
        facts: {
          ...PATIENT_FACTS,
          opposedToFeeding: false,
          feedingInformation: 'INO',
          consultationInformation: 'IC',
        },
      }),
  },
  'fr-ans/adt/NonConsentementConsultation_OppositionAlimentation.er7': {
    accept: (i) =>
      expect(i).toMatchObject({
        kind: 'patient',
        facts: { ...PATIENT_FACTS, dmpStatus: 'ACTIF', opposedToFeeding: true, feedingInformation: 'IO' },
      }),
  },
  'fr-ans/mdm/ack.er7': { reject: ['MSH[1]-9.1 HL7_UNSUPPORTED_MESSAGE_TYPE'] },
  'fr-ans/mdm/message_MDM_CR_Radio_INIT_N1.er7': { reject: [notXml(1)] },
  'fr-ans/mdm/message_MDM_CR_Radio_INIT_N1_Base64.er7': { reject: [notXml(1)] },
  'fr-ans/mdm/message_MDM_CR_Radio_RPLC_N1.er7': { reject: [notXml(1)] },
  'fr-ans/mdm/message_MDM_CR_Radio_DEL_N1.er7': {
    accept: (i) =>
      expect(i).toMatchObject({
        kind: 'deletion',
        documentUniqueId: '1.2.250.1.71.4.2.2.120456789.71024000082',
        documentUniqueIds: ['1.2.250.1.71.4.2.2.120456789.71024000082'],
        location: 'TXA[1]-12',
        patient: { ins: PATIENT_FACTS.ins, birthFamilyName: 'PAT-TROIS', identityStatus: 'VALI' },
        contentTypeCode: { code: '03' },
        author: { kind: 'person', person: { id: '801234564895' }, organisation: { id: '1300017985' } },
        flags: { toDmp: true, secretConnection: true, confidentialityChange: false, businessAck: false },
      }),
  },
  'fr-ans/oru/ack.hl7': { reject: ['MSH[1]-9.1 HL7_UNSUPPORTED_MESSAGE_TYPE'] },
  'fr-ans/oru/Message-metier-reception-DMP.er7': { reject: ['MSH[1]-9.1 HL7_UNSUPPORTED_MESSAGE_TYPE'] },
  'fr-ans/oru/message_ORU_CR_Bio_INIT_N1_N3.hl7': { reject: [notXml(1), notXml(2)] },
  'fr-ans/oru/message_ORU_CR_Bio_RPLC_N1_N3.er7': { reject: [notXml(1), notXml(2)] },
  'fr-ans/oru/message_ORU_CR_Bio_DEL_N1_N3.er7': { reject: [notXml(1), notXml(2)] },
  'fr-ans/oru/message_ORU_CR_Bio_INIT_N3_SEGUR.hl7': {
    accept: (i) => {
      expect(i.kind).toBe('documents');
      if (i.kind !== 'documents') return;
      expect(i.documents).toHaveLength(1);
      const [doc] = i.documents;
      expect(doc?.location).toBe('OBX[1]');
      expect(doc?.flags).toEqual({
        toDmp: true,
        confidentialityChange: false,
        secretConnection: false,
        businessAck: true,
        businessAckStated: true,
      });
      expect(doc?.submission).toMatchObject({
        contentTypeCode: { code: '03', codeSystem: '1.2.250.1.213.2.2' },
        author: {
          kind: 'person',
          person: { id: '801234567866', familyName: 'DIAZ' },
          organisation: { id: '1120459876' },
        },
        patient: {
          ins: PATIENT_FACTS.ins,
          birthFamilyName: 'PAT-TROIS',
          birthDate: '19790328',
          sex: 'F',
          birthPlaceCode: '63220',
        },
        documents: [
          {
            id: { root: '1.2.250.1.213.1.1.9' },
            typeCode: { code: '11502-2', codeSystem: '2.16.840.1.113883.6.1' },
            classCode: { code: '10' },
            formatCode: { code: 'urn:ihe:lab:xd-lab:2008' },
            confidentiality: 'N',
            visibility: {
              hiddenFromPatient: false,
              hiddenFromLegalRepresentatives: false,
              maskedFromProfessionals: false,
            },
            content: { kind: 'cda' },
          },
        ],
      });
    },
  },
  'ipf/A01.hl7': { reject: ['MSH[1]-12 HL7_UNSUPPORTED_VERSION'] },
  'ipf/msg-02.hl7': { reject: ['MSH[1]-18 HL7_TABLE_VALUE'] },
  'microsoft/ADT-A01-01.hl7': { reject: ['MSH[1]-12 HL7_UNSUPPORTED_VERSION'] },
  'microsoft/MDM-T02-01.hl7': { reject: ['MSH[1]-12 HL7_UNSUPPORTED_VERSION'] },
  'microsoft/MDM-T02-03.hl7': { reject: ['MSH[1]-12 HL7_UNSUPPORTED_VERSION'] },
  'microsoft/MDM-T10-01.hl7': { reject: ['MSH[1]-12 HL7_UNSUPPORTED_VERSION'] },
  'microsoft/ORU-R01-RMGEAD.hl7': { reject: ['MSH[1]-12 HL7_UNSUPPORTED_VERSION'] },
  'microsoft/LAB-ORU-1.hl7': {
    reject: [
      'OBR[2] HL7_CARDINALITY',
      'PID[1]-3 MISSING_INS',
      ...Array<string>(8).fill('OBX HL7_REQUIRED_FIELD'),
      'OBX[1]-2 HL7_SEGMENT_SEQUENCE',
      'ORC HL7_SEGMENT_SEQUENCE',
      'PRT HL7_SEGMENT_SEQUENCE',
      'PV1 HL7_SEGMENT_SEQUENCE',
    ],
  },
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) =>
    statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)],
  );
}

describe('HL7 v2 corpus', () => {
  it('is present', () => {
    expect(existsSync(ROOT), `corpus folder ${ROOT} is missing`).toBe(true);
  });

  it('has an expected outcome for every file, and no stale entry', () => {
    expect(
      files(ROOT)
        .map((f) => relative(ROOT, f))
        .sort(),
    ).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(file, () => {
      const bytes = readFileSync(join(ROOT, file));
      if ('reject' in expected)
        expect(located(rejection(() => translateHl7(bytes, context())))).toEqual(expected.reject);
      else expected.accept(translateHl7(bytes, context()));
    });
  }

  it('reads the setId gap of the ANS N1 samples from their CDA', () => {
    const err = rejection(() =>
      translateHl7(readFileSync(join(ROOT, 'fr-ans/mdm/message_MDM_CR_Radio_RPLC_N1.er7')), context()),
    );
    expect(err.issues[0]?.message).toBe('CDA ClinicalDocument/setId: setId is missing');
    const init = rejection(() =>
      translateHl7(readFileSync(join(ROOT, 'fr-ans/mdm/message_MDM_CR_Radio_INIT_N1.er7')), context()),
    );
    expect(init.issues[0]?.message).toBe('the data is not an XML (CDA) document');
  });
});
