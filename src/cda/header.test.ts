import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentEntry, patient, personAuthor, submission, systemAuthor } from '../../fixtures/cda/sample.ts';
import { corpusFile } from '../../test/support/xsd.ts';
import { GatewayError } from '../errors/catalogue.ts';
import type { DocumentEntry, Submission } from '../model/types.ts';
import { OID } from '../model/vocabulary.ts';
import { n1FormatCode } from './format-codes.ts';
import { readCdaHeader } from './header.ts';
import { defaultLegalAuthenticator, wrapN1 } from './n1.ts';

/** Expected values, read by hand from each corpus file: one row per file. */
const CORPUS = `
file                                   | level | typeCode | typeCode system          | INS root              | INS extension   | author | author id                         | author name       | conf | formatCode
BIO-CR-BIO_2024.01_TSH_1.xml           | N3    | 11502-2  | 2.16.840.1.113883.6.1    | 1.2.250.1.213.1.4.10  | 279035121518989 | person | 801234534765                      | CAMPARINI         | N    | urn:ihe:lab:xd-lab:2008
BIO-TROD_2024.01_COVID-19.xml          | N3    | 96173-0  | 2.16.840.1.113883.6.1    | 1.2.250.1.213.1.4.10  | 279035121518989 | person | 807655473259                      | DIDOT             | N    | urn:ans:ci-sis:trod:2024
CNAM-HR_2021.01_sans-info.xml          | N3    | REMB     | 1.2.250.1.213.1.1.4.12   | 1.2.250.1.213.1.4.10  | 279035121518989 | system | 518003502400041/1.2.250.1.215.1.2 | Assurance Maladie | N    | urn:asip:ci-sis:hr:2019
CSE-MDE_2023.01.xml                    | N3    | 29274-8  | 2.16.840.1.113883.6.1    | 1.2.250.1.213.1.4.8   | 222127505611201 | person | 801234567897                      | MULLER            | N    | urn:ans:ci-sis:cse-mde:2023
DOC_NON_STRUCTURE_CDA-R2-N1.xml        | N1    | 11502-2  | 2.16.840.1.113883.6.1    | 1.2.250.1.213.1.4.10  | 279035121518989 | person | 801234534765                      | CAMPARINI         | N    | urn:ihe:iti:xds-sd:pdf:2008
IMG_CR_IMG_2024.01_CDA-R2-Niveau-1.xml | N1    | 18748-4  | 2.16.840.1.113883.6.1    | 1.2.250.1.213.1.4.10  | 279035121518989 | person | 801234560801                      | BIDEAULT          | N    | urn:ihe:iti:xds-sd:pdf:2008
LDL-SES_2022.01.xml                    | N3    | 11490-0  | 2.16.840.1.113883.6.1    | 1.2.250.1.213.1.4.10  | 279035121518989 | person | 801234567897                      | DAVID             | N    | urn:asip:ci-sis:ldl-ses:2017
VAC-NOTE_2023.01.xml                   | N3    | 87273-9  | 2.16.840.1.113883.6.1    | 1.2.250.1.213.1.4.10  | 279035121518989 | person | 801234567897                      | MULLER            | N    | urn:asip:ci-sis:vac-note:2021
`
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split('|').map((cell) => cell.trim()));

const read = (name: string) => readCdaHeader(readFileSync(corpusFile(`cda/${name}`)));

function failure(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a GatewayError');
}

describe('readCdaHeader on the corpus', () => {
  it('has one row per corpus CDA file', () => {
    expect(CORPUS.map((row) => row[0]).sort()).toEqual(readdirSync(corpusFile('cda')).sort());
    expect(CORPUS.every((row) => row.length === 11)).toBe(true);
  });

  it.each(CORPUS)(
    '%s',
    (file, level, type, typeSystem, insRoot, insExt, kind, authorId, authorName, conf, format) => {
      const h = read(file);
      expect(h.level).toBe(level);
      expect([h.typeCode.code, h.typeCode.codeSystem]).toEqual([type, typeSystem]);
      expect(h.patient.ins).toEqual({ root: insRoot, extension: insExt });
      expect(h.patient.ids[0]).toEqual(h.patient.ins);
      expect(h.authors).toHaveLength(1);
      const a = h.authors[0];
      expect(a?.kind).toBe(kind);
      if (a?.kind === 'person') expect([a.person.id, a.person.familyName]).toEqual([authorId, authorName]);
      if (a?.kind === 'system') expect([a.id, a.name]).toEqual([authorId, authorName]);
      expect(h.confidentiality).toBe(conf);
      expect(h.formatCode?.code).toBe(format);
    },
  );

  it('reads the details of a device-authored replacement (CNAM-HR)', () => {
    const h = read('CNAM-HR_2021.01_sans-info.xml');
    expect(h.replaces).toEqual({ root: '1.2.250.1.213.1.1.9', extension: '10002-1' });
    expect(h.versionNumber).toBe(2);
    expect(h.creationTime).toBe('2019-07-01T15:49:00Z');
    expect([h.serviceStartTime, h.serviceStopTime]).toEqual(['2019-01-01T14:45:00Z', '2019-07-01T14:45:00Z']);
    expect(h.practiceSettingCode.code).toBe('AMO');
    expect(h.healthcareFacilityTypeCode.code).toBe('SA24');
    expect(h.eventCodes).toEqual([]);
    expect(h.custodian).toEqual({ id: '318003502400041', name: 'Assurance Maladie' });
  });

  it('reads the INS traits and keeps going past a malformed optional time (BIO-TROD)', () => {
    const h = read('BIO-TROD_2024.01_COVID-19.xml');
    expect(h.patient).toMatchObject({
      birthFamilyName: 'PAT-TROIS',
      givenNames: ['DOMINIQUE', 'MARIE-LOUISE'],
      birthDate: '19790328',
      sex: 'F',
      birthPlaceCode: '51215',
    });
    expect(h.patient.usedFamilyName).toBeUndefined();
    // legalAuthenticator/time is "20240106113623+100": not a TS
    expect(h.legalAuthenticator?.time).toBeUndefined();
    expect(h.warnings.map((w) => w.path)).toEqual(['ClinicalDocument/legalAuthenticator/time']);
  });

  it('reads every event code and the author role (IMG-CR-IMG)', () => {
    const h = read('IMG_CR_IMG_2024.01_CDA-R2-Niveau-1.xml');
    expect(h.eventCodes.map((c) => c.code)).toEqual(['24727-0', '36235-0', '24978-9', 'Z13.9']);
    expect(h.authors[0]).toMatchObject({ role: { code: 'ATTPHYS' }, specialty: { code: 'G15_10/SM44' } });
    expect(h.replaces).toEqual({ root: '90E1C8EC-F951-4B26-A305-A34848818DD6' });
    expect(h.mediaType).toBe('application/pdf');
  });
});

function roundTrip(sub: Submission, doc: DocumentEntry) {
  const h = readCdaHeader(wrapN1(sub, doc));
  expect(h.level).toBe('N1');
  expect(h.id).toEqual(doc.id);
  expect(h.setId).toEqual(doc.setId);
  expect(h.versionNumber).toBe(doc.versionNumber);
  expect(h.title).toBe(doc.title);
  expect(h.typeCode).toEqual(doc.typeCode);
  expect(h.confidentiality).toBe(doc.confidentiality);
  expect(h.creationTime).toBe(doc.creationTime);
  expect(h.serviceStartTime).toBe(doc.serviceStartTime);
  expect(h.serviceStopTime).toBe(doc.serviceStopTime);
  expect(h.languageCode).toBe(doc.languageCode);
  const p = sub.patient;
  expect(h.patient.ins).toEqual(p.ins);
  expect(h.patient.ids).toEqual(p.ipp ? [p.ins, p.ipp] : [p.ins]);
  expect(h.patient).toMatchObject({
    birthFamilyName: p.birthFamilyName,
    givenNames: p.givenNames,
    birthDate: p.birthDate,
    sex: p.sex,
  });
  expect(h.patient.usedFamilyName).toBe(p.usedFamilyName);
  expect(h.patient.birthPlaceCode).toBe(p.birthPlaceCode);
  const authors = doc.authors.length > 0 ? doc.authors : [sub.author];
  expect(h.authors).toEqual(authors);
  expect(h.custodian).toEqual(doc.custodian);
  // without a legal authenticator, the first author takes the role at the creation time
  const legal = doc.legalAuthenticator ?? {
    ...defaultLegalAuthenticator(authors[0] as (typeof authors)[0]),
    time: doc.creationTime,
  };
  expect(h.legalAuthenticator).toEqual(legal);
  expect(h.practiceSettingCode).toEqual(doc.practiceSettingCode);
  expect(h.healthcareFacilityTypeCode).toEqual(doc.healthcareFacilityTypeCode);
  expect(h.eventCodes).toEqual(doc.eventCodes);
  expect(h.replaces).toEqual(doc.replaces?.cdaId);
  if (doc.content.kind === 'unstructured') expect(h.formatCode).toEqual(n1FormatCode(doc.content.mediaType));
  expect(h.warnings).toEqual([]);
  return h;
}

describe('readCdaHeader(wrapN1(...))', () => {
  it('returns the model values', () => {
    const doc = documentEntry({
      replaces: { uniqueId: '1.2.250.1.999.1.1.0', cdaId: { root: '1.2.250.1.999.1.1.0', extension: 'x' } },
      authors: [
        { ...personAuthor, role: { code: 'ATTPHYS', codeSystem: '2.16.840.1.113883.5.88' } },
        systemAuthor,
      ],
    });
    roundTrip(submission(doc), doc);
  });

  it('returns the model values for a system author and no legal authenticator', () => {
    const doc = documentEntry({ authors: [systemAuthor], legalAuthenticator: undefined });
    const h = roundTrip(submission(doc, systemAuthor), doc);
    expect(h.legalAuthenticator).toStrictEqual({
      id: systemAuthor.id,
      familyName: systemAuthor.name,
      time: doc.creationTime,
    });
  });

  it('returns the model values with every optional field absent', () => {
    const doc = documentEntry({
      serviceStartTime: undefined,
      serviceStopTime: undefined,
      legalAuthenticator: undefined,
      eventCodes: [],
      replaces: undefined,
    });
    const bare = { ...patient, ipp: undefined, usedFamilyName: undefined, birthPlaceCode: undefined };
    roundTrip({ ...submission(doc), patient: bare }, doc);
  });
});

describe('readCdaHeader refusals', () => {
  const doc = documentEntry();
  const xml = new TextDecoder().decode(wrapN1(submission(doc), doc));
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('refuses a DOCTYPE with UNSAFE_XML', () => {
    const evil = xml.replace('?>', '?><!DOCTYPE ClinicalDocument [<!ENTITY x "y">]>');
    expect(failure(() => readCdaHeader(bytes(evil))).code).toBe('UNSAFE_XML');
  });

  it('refuses XML that is not a ClinicalDocument, or not well-formed, with INVALID_INPUT', () => {
    expect(failure(() => readCdaHeader(bytes('<Document xmlns="urn:hl7-org:v3"/>'))).issues[0]?.path).toBe(
      '/',
    );
    expect(failure(() => readCdaHeader(bytes(xml.slice(0, 500)))).code).toBe('INVALID_INPUT');
  });

  it('lists every missing required element with its path', () => {
    const broken = xml
      .replace(/<id root="1\.2\.250\.1\.999\.1\.1\.20240101\.1"\/>/, '')
      .replace(/<code code="11488-4"[^>]*\/>/, '')
      .replace(/<recordTarget>.*<\/recordTarget>/, '');
    const err = failure(() => readCdaHeader(bytes(broken)));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.issues.map((i) => [i.code, i.path])).toEqual([
      ['INVALID_INPUT', 'ClinicalDocument/id'],
      ['INVALID_INPUT', 'ClinicalDocument/code'],
      ['INVALID_INPUT', 'ClinicalDocument/recordTarget'],
    ]);
  });

  it('reports a patient without INS with MISSING_INS', () => {
    const noIns = xml.replace(`root="${patient.ins.root}"`, 'root="1.2.250.1.999.9"');
    const err = failure(() => readCdaHeader(bytes(noIns)));
    expect(err.code).toBe('MISSING_INS');
    expect(err.issues.map((i) => [i.code, i.path])).toEqual([
      ['MISSING_INS', 'ClinicalDocument/recordTarget/patientRole/id'],
    ]);
    expect(err.message).not.toContain(patient.ins.extension);
  });

  it('reads a structured document of an unknown model with a warning, or with a configured formatCode', () => {
    const structured = xml
      .replace(/<component><nonXMLBody>.*<\/component>/, '<component><structuredBody/></component>')
      .replace('<id root=', '<templateId root="1.2.250.1.999.77"/><id root=');
    const h = readCdaHeader(bytes(structured));
    expect(h.level).toBe('N3');
    expect(h.formatCode).toBeUndefined();
    expect(h.warnings).toEqual([
      expect.objectContaining({ code: 'UNSUPPORTED_CONTENT', path: 'ClinicalDocument/templateId' }),
    ]);
    const configured = { code: 'urn:example:model:2025', codeSystem: OID.formatCodeComplementaryScheme };
    const h2 = readCdaHeader(bytes(structured), { formatCodes: { '1.2.250.1.999.77': configured } });
    expect(h2.formatCode).toEqual(configured);
    expect(h2.warnings).toEqual([]);
  });
});
