/**
 * Test fixtures of the ITI-41 builder tests: two realistic deposits (a new
 * document by a professional with every visibility flag; a replacement by a
 * software author with no optional field) and small readers of the output.
 * Imported by tests only.
 */
import { createHash } from 'node:crypto';
import type { DocumentEntry, Patient, Submission } from '../model/types.ts';
import { OID, XDS } from '../model/vocabulary.ts';
import { classificationsIn, type RimObject, type RimSubmission, slotValues } from './ebrim-reader.ts';
import type { ProvideAndRegisterInput } from './provide-and-register.ts';

export const DE = XDS.documentEntry;
export const SS = XDS.submissionSet;
export const enc = new TextEncoder();

const patient: Patient = {
  ins: { root: OID.insNirTest, extension: '279035121518989' },
  ipp: { root: '1.2.250.1.999.1.1.1', extension: '000003' },
  birthFamilyName: 'PAT-TROIS',
  usedFamilyName: 'MARTIN',
  givenNames: ['DOMINIQUE'],
  birthDate: '19790328',
  sex: 'F',
  identityStatus: 'VALI',
};

const site = { id: '1750100125', name: 'CH Exemple & Fils' };
const practiceSetting = {
  code: 'ETABLISSEMENT',
  codeSystem: OID.treA01PracticeSetting,
  displayName: 'Etablissement de santé',
};
const facility = {
  code: 'SA01',
  codeSystem: OID.treR02FacilityType,
  displayName: 'Etablissement public de santé',
};
const doctor = { id: '810001234567', familyName: "D'ARC^X", givenName: 'Jeanne' };

const cdaNew = enc.encode('<ClinicalDocument xmlns="urn:hl7-org:v3"><title>CR</title></ClinicalDocument>\n');
const cdaReplacement = enc.encode(
  '<ClinicalDocument xmlns="urn:hl7-org:v3"><title>CR v2</title></ClinicalDocument>',
);
const xades = enc.encode('<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">…</ds:Signature>');

function entry(overrides: Partial<DocumentEntry>): DocumentEntry {
  return {
    id: { root: '1.2.250.1.999.1.1.1.4.100' },
    entryUUID: 'urn:uuid:0b0c94d3-7a3b-4c0f-9b5e-1c2d3e4f5a6b',
    setId: { root: '1.2.250.1.999.1.1.1.5.100' },
    versionNumber: 1,
    title: 'Compte rendu <opératoire>',
    typeCode: { code: '11488-4', codeSystem: OID.loinc, displayName: 'Note de consultation' },
    classCode: { code: '10', codeSystem: OID.treA03Class, displayName: 'Compte rendu' },
    formatCode: {
      code: 'urn:ihe:iti:xds-sd:pdf:2008',
      codeSystem: OID.formatCodeScheme,
      displayName: 'PDF/A-1',
    },
    healthcareFacilityTypeCode: facility,
    practiceSettingCode: practiceSetting,
    confidentiality: 'N',
    visibility: {
      hiddenFromPatient: false,
      hiddenFromLegalRepresentatives: false,
      maskedFromProfessionals: false,
    },
    creationTime: '2024-03-06T11:11:53+01:00',
    languageCode: 'fr-FR',
    authors: [],
    custodian: site,
    eventCodes: [],
    referenceIds: [],
    content: { kind: 'cda', bytes: cdaNew },
    ...overrides,
  };
}

/** Variant 1: a new document, person author, every visibility flag, every optional field. */
export function newDocumentInput(): ProvideAndRegisterInput {
  const doc = entry({
    visibility: {
      hiddenFromPatient: true,
      hiddenFromLegalRepresentatives: true,
      maskedFromProfessionals: true,
    },
    serviceStartTime: '2024-03-05T08:00:00+01:00',
    serviceStopTime: '2024-03-05T09:30:00Z',
    authors: [
      {
        kind: 'person',
        person: doctor,
        role: { code: 'RESP', codeSystem: '1.2.250.1.213.1.1.4.287', displayName: 'Responsable' },
        specialty: {
          code: 'G15_10/SM26',
          codeSystem: '1.2.250.1.213.1.1.4.5',
          displayName: 'Médecine générale',
        },
        organisation: site,
      },
    ],
    legalAuthenticator: doctor,
    eventCodes: [{ code: 'C50', codeSystem: '2.16.840.1.113883.6.3', displayName: 'Tumeur maligne du sein' }],
    referenceIds: ['ACC42^^^&1.2.250.1.999.2&ISO^urn:ihe:iti:xds:2013:accession'],
  });
  const submission: Submission = {
    entryUUID: 'urn:uuid:5e1c3a9d-6a4b-4f1e-8c2d-0a1b2c3d4e5f',
    uniqueId: '1.2.250.1.999.1.1.1.6.100',
    sourceId: '1.2.250.1.999.1.1.1',
    submissionTime: '2024-03-06T12:00:00+01:00',
    contentTypeCode: { code: '03', codeSystem: OID.contentType, displayName: 'Hospitalisation' },
    title: 'Lot CR',
    author: doc.authors[0]!,
    patient,
    documents: [doc],
  };
  return {
    submission,
    documents: [{ entry: doc, bytes: cdaNew, contentId: 'doc1@gateway' }],
    signature: {
      entryUUID: 'urn:uuid:9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
      uniqueId: '1.2.250.1.999.1.1.1.7.100',
      bytes: xades,
      contentId: 'sig@gateway',
      creationTime: '2024-03-06T12:00:01+01:00',
    },
  };
}

/** Variant 2: a replacement, system author, no optional field. */
export function replacementInput(): ProvideAndRegisterInput {
  const system = {
    kind: 'system',
    id: '31750100125/PFI',
    name: 'PFI',
    model: 'Gateway 1.0',
    organisation: site,
  } as const;
  const doc = entry({
    id: { root: '1.2.250.1.999.1.1.1.4.101' },
    entryUUID: 'urn:uuid:1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d',
    versionNumber: 2,
    title: 'Compte rendu v2',
    authors: [system],
    content: { kind: 'cda', bytes: cdaReplacement },
    replaces: {
      uniqueId: '1.2.250.1.999.1.1.1.4.100',
      entryUUID: 'urn:uuid:0b0c94d3-7a3b-4c0f-9b5e-1c2d3e4f5a6b',
      cdaId: { root: '1.2.250.1.999.1.1.1.4.100' },
    },
  });
  const { ipp: _ipp, usedFamilyName: _used, ...bare } = patient;
  const submission: Submission = {
    entryUUID: 'urn:uuid:6f2d4b0e-7b5c-4a2f-9d3e-1b2c3d4e5f60',
    uniqueId: '1.2.250.1.999.1.1.1.6.101',
    sourceId: '1.2.250.1.999.1.1.1',
    submissionTime: '2024-04-01T09:00:00Z',
    contentTypeCode: { code: '07', codeSystem: OID.contentType, displayName: 'Consultation externe' },
    author: system,
    patient: bare,
    documents: [doc],
  };
  return {
    submission,
    documents: [{ entry: doc, bytes: cdaReplacement, contentId: 'doc2@gateway' }],
    signature: {
      entryUUID: 'urn:uuid:2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901',
      uniqueId: '1.2.250.1.999.1.1.1.7.101',
      bytes: xades,
      contentId: 'sig2@gateway',
      creationTime: '2024-04-01T09:00:01Z',
    },
  };
}

export const sha1 = (bytes: Uint8Array): string => createHash('sha1').update(bytes).digest('hex');

export function objectById(parsed: RimSubmission, id: string): RimObject {
  const found = parsed.objects.find((o) => o.id === id);
  if (!found) throw new Error(`no registry object ${id}`);
  return found;
}

export function codesIn(
  object: RimObject,
  scheme: string,
): { code?: string; system?: string; name?: string }[] {
  return classificationsIn(object, scheme).map((c) => ({
    code: c.nodeRepresentation,
    system: slotValues(c, 'codingScheme')[0],
    name: c.name,
  }));
}
