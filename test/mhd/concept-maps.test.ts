/**
 * The ANS PDSm4DMP ConceptMaps (corpus mhd/pdsm4dmp/ConceptMap-*ToPDSM.json)
 * say which FHIR element carries each XDS attribute. Every row is either
 * checked here against the gateway's mapping (change the element in a valid
 * bundle, see the canonical attribute follow) or listed as a deliberate
 * difference with its reason. A new row in the ConceptMap fails the test.
 */
import { readFileSync } from 'node:fs';
import type { Bundle, DocumentReference, List } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import type { GatewayError } from '../../src/errors/catalogue.ts';
import { bundleToSubmission } from '../../src/inbound/fhir/bundle.ts';
import type { DocumentEntry, Submission } from '../../src/model/types.ts';
import { FIXED_NOW, sequentialIds, testConfig } from '../support/context.ts';
import { corpusFile } from '../support/xsd.ts';
import { mhdBundle } from './bundles.ts';

type Edit = (b: { list: List; doc: DocumentReference }) => void;
type Read = (s: Submission, d: DocumentEntry) => unknown;
const NOS = 'https://mos.esante.gouv.fr/NOS';

function map(edit: Edit, config = testConfig): Submission {
  const bundle = mhdBundle() as Bundle & { entry: { resource: unknown }[] };
  edit({ list: bundle.entry[0]!.resource as List, doc: bundle.entry[1]!.resource as DocumentReference });
  return bundleToSubmission(bundle, { config, ids: sequentialIds(), now: FIXED_NOW, predecessors: new Map() })
    .submission;
}
function issuesOf(edit: Edit): string[] {
  try {
    map(edit);
  } catch (err) {
    return (err as GatewayError).issues.map((i) => i.path);
  }
  return [];
}
/** The attribute read by `read` follows the element changed by `edit` to `expected`. */
const follows = (edit: Edit, read: Read, expected: unknown) => () => {
  const s = map(edit);
  expect(read(s, s.documents[0]!)).toEqual(expected);
};

const DOC_CHECKS: Record<string, () => void> = {
  'DocumentEntry.mimeType': follows(
    (b) => {
      b.doc.content[0]!.attachment.contentType = 'application/pdf; charset=binary';
    },
    (_s, d) => d.content.kind === 'unstructured' && d.content.mediaType,
    'application/pdf',
  ),
  'DocumentEntry.hash': () =>
    expect(
      issuesOf((b) => {
        b.doc.content[0]!.attachment.hash = 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=';
      }),
    ).toContain('Bundle.entry[1].resource.content[0].attachment.hash'),
  'DocumentEntry.size': () =>
    expect(
      issuesOf((b) => {
        b.doc.content[0]!.attachment.size = 1;
      }),
    ).toContain('Bundle.entry[1].resource.content[0].attachment.size'),
  'DocumentEntry.languageCode': follows(
    (b) => {
      b.doc.content[0]!.attachment.language = 'en-GB';
    },
    (_s, d) => d.languageCode,
    'en-GB',
  ),
  'DocumentEntry.serviceStartTime': follows(
    (b) => {
      b.doc.context!.period!.start = '2026-01-02T03:04:05Z';
    },
    (_s, d) => d.serviceStartTime,
    '2026-01-02T03:04:05.000Z',
  ),
  'DocumentEntry.serviceEndTime': follows(
    (b) => {
      b.doc.context!.period!.end = '2026-01-03T03:04:05Z';
    },
    (_s, d) => d.serviceStopTime,
    '2026-01-03T03:04:05.000Z',
  ),
  'DocumentEntry.sourcePatientID': follows(
    (b) => {
      b.doc.subject = { reference: 'Patient?identifier=urn:oid:1.2.250.1.213.1.4.10|279035121518989' };
    },
    (s) => s.patient.ins.extension,
    '279035121518989',
  ),
  'DocumentEntry.patientID': () =>
    expect(
      issuesOf((b) => {
        b.doc.subject = {
          reference: 'Patient?identifier=urn:oid:1.2.250.1.213.1.4.10|190017512345612',
        };
      }),
    ).toContain('Bundle.entry[1].resource.subject'),
  'DocumentEntry.sourcePatientInfo': follows(
    (b) => {
      (b.doc.contained![0] as { birthDate: string }).birthDate = '1979-03-22';
    },
    (s) => s.patient.birthDate,
    '19790322',
  ),
  'DocumentEntry.title': follows(
    (b) => {
      b.doc.content[0]!.attachment.title = 'Autre titre';
    },
    (_s, d) => d.title,
    'Autre titre',
  ),
  'DocumentEntry.class': () =>
    expect(
      issuesOf((b) => {
        b.doc.category = [
          { coding: [{ system: `${NOS}/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument`, code: '11' }] },
        ];
      }),
    ).toContain('Bundle.entry[1].resource.category[0]'),
  'DocumentEntry.type': follows(
    (b) => {
      b.doc.type = { coding: [{ system: 'http://loinc.org', code: '11488-4' }] };
    },
    (_s, d) => d.typeCode.code,
    '11488-4',
  ),
  'DocumentEntry.confidentiality': follows(
    (b) => {
      b.doc.securityLabel = [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] },
      ];
    },
    (_s, d) => d.confidentiality,
    'R',
  ),
  'DocumentEntry.eventCodeList': follows(
    (b) => {
      b.doc.context!.event = [{ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'J18' }] }];
    },
    (_s, d) => d.eventCodes,
    [{ code: 'J18', codeSystem: '2.16.840.1.113883.6.3', displayName: undefined }],
  ),
  'DocumentEntry.format': follows(
    (b) => {
      b.doc.content[0]!.format = {
        system: 'urn:oid:1.3.6.1.4.1.19376.1.2.3',
        code: 'urn:ihe:iti:xds-sd:pdf:2008',
      };
    },
    (_s, d) => d.formatCode,
    { code: 'urn:ihe:iti:xds-sd:pdf:2008', codeSystem: '1.3.6.1.4.1.19376.1.2.3', displayName: undefined },
  ),
  'DocumentEntry.healthcareFacilityTypeCode': follows(
    (b) => {
      b.doc.context!.facilityType = {
        coding: [{ system: 'urn:oid:1.2.250.1.71.4.2.4', code: 'SA05' }],
      };
    },
    (_s, d) => d.healthcareFacilityTypeCode.code,
    'SA05',
  ),
  'DocumentEntry.practiceSetting': follows(
    (b) => {
      b.doc.context!.practiceSetting = {
        coding: [{ system: `${NOS}/TRE_A01-CadreExercice/FHIR/TRE-A01-CadreExercice`, code: 'AMBULATOIRE' }],
      };
    },
    (_s, d) => d.practiceSettingCode.code,
    'AMBULATOIRE',
  ),
  // ConceptMap: creationTime → date. IHE MHD and PDSm 3.1.1 say content.attachment.creation: a setting (fhir.creationTimeFrom).
  'DocumentEntry.creationTime': () => {
    const edit: Edit = (b) => {
      b.doc.date = '2026-02-02T00:00:00Z';
      b.doc.content[0]!.attachment.creation = '2026-01-01T00:00:00Z';
    };
    expect(map(edit).documents[0]!.creationTime).toBe('2026-01-01T00:00:00.000Z');
    expect(map(edit, parseConfig({ fhir: { creationTimeFrom: 'date' } })).documents[0]!.creationTime).toBe(
      '2026-02-02T00:00:00.000Z',
    );
  },
};

/** ConceptMap rows the gateway maps differently, and why. */
const DOC_DIFFERENCES: Record<string, string> = {
  'DocumentEntry.entryUUID':
    'minted by the gateway (the DMP-facing XDS source); DocumentReference.id in the ITI-65 answer and ITI-67 is that entryUUID (iti67-replace.test.ts)',
  'DocumentEntry.logicalId': 'not an ITI-41 attribute (XDS Metadata Update only)',
  'DocumentEntry.uniqueId':
    'IHE MHD maps uniqueId to masterIdentifier (UniqueIdIdentifier); the ConceptMap says identifier',
  'DocumentEntry.availabilityStatus':
    'set by the DMP registry (Approved); the DocumentReference must be current (document-entry.ts)',
  'DocumentEntry.legalAuthenticator':
    'not carried: the canonical model takes the legal authenticator from a CDA header only',
  'DocumentEntry.repositoryUniqueId': 'the DMP repository; attachment.url points to the bundle Binary',
  'DocumentEntry.URI': 'not used by XDS.b ITI-41',
  'DocumentEntry.comments': 'not in the canonical model (no XDS comments sent to the DMP)',
  'DocumentEntry.documentAvailability': 'unmatched in the ConceptMap',
  'DocumentEntry.homeCommunityId': 'unmatched in the ConceptMap',
  'DocumentEntry.referenceIdList': 'context.related is not mapped yet (referenceIds stay empty)',
};

const SET_CHECKS: Record<string, () => void> = {
  'SubmissionSet.title': follows(
    (b) => {
      b.list.title = 'Lot';
    },
    (s) => s.title,
    'Lot',
  ),
  'SubmissionSet.patientID': () =>
    expect(
      issuesOf((b) => {
        b.list.subject = {
          reference: 'Patient?identifier=urn:oid:1.2.250.1.213.1.4.10|190017512345612',
        };
      }),
    ).toContain('Bundle.entry[1].resource.subject'),
  'SubmissionSet.contentTypeCode': follows(
    (b) => {
      b.list.extension![0]!.valueCodeableConcept = {
        coding: [{ system: 'urn:oid:1.2.250.1.71.4.2.4', code: 'SA05' }],
      };
    },
    (s) => s.contentTypeCode.code,
    'SA05',
  ),
  'SubmissionSet.author': follows(
    (b) => {
      (b.list.contained![0] as { name: { family: string }[] }).name = [{ family: 'AUTRE' }];
    },
    (s) => s.author.kind === 'person' && s.author.person.familyName,
    'AUTRE',
  ),
};
const SET_DIFFERENCES: Record<string, string> = {
  'SubmissionSet.entryUUID': 'minted by the gateway; List/<entryUUID> in the ITI-65 answer',
  'SubmissionSet.uniqueID': 'taken from List.identifier (use usual), as IHE MHD says (iti65.test.ts)',
  'SubmissionSet.availabilityStatus': 'set by the DMP registry',
  'SubmissionSet.submissionTime': 'the time the gateway submits to the DMP, not List.date',
  'SubmissionSet.sourceID': "the gateway's own sourceId (ids.sourceId): it is the XDS source the DMP knows",
  'SubmissionSet.comments': 'unmatched in the ConceptMap',
  'SubmissionSet.homeCommunityID': 'unmatched in the ConceptMap',
  'DSubmissionSet.intendedRecipient': 'unmatched in the ConceptMap; no recipients in a DMP feed',
};

const rows = (file: string) =>
  (
    JSON.parse(readFileSync(corpusFile(`mhd/pdsm4dmp/${file}`), 'utf8')) as {
      group: { element: { code: string }[] }[];
    }
  ).group.flatMap((g) => g.element.map((e) => e.code));

describe.each([
  ['ConceptMap-documentReferenceToPDSM.json', DOC_CHECKS, DOC_DIFFERENCES],
  ['ConceptMap-submissionSetToPDSM.json', SET_CHECKS, SET_DIFFERENCES],
] as const)('%s', (file, checks, differences) => {
  it('every row is checked or explained', () => {
    expect(rows(file).filter((code) => !checks[code] && !differences[code])).toEqual([]);
  });
  it.each(Object.keys(checks))('%s', (code) => {
    expect(rows(file)).toContain(code);
    checks[code]!();
  });
});
