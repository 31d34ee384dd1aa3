/**
 * A submitted document as a FHIR DocumentReference (PDSm comprehensive
 * shape), for IHE MHD ITI-67 Find Document References: the reverse of
 * document-entry.ts, rebuilt from the decrypted canonical submission. Codes
 * go back to FHIR systems through code-systems.ts; `date` follows the
 * `fhir.creationTimeFrom` setting (creationTime when `date`, else the
 * submission time). When the payload has expired (retention), only what the
 * record holds is given: ids, type, status and the patient asked for.
 */

import { createHash } from 'node:crypto';
import type { Coding, DocumentReference, Resource } from '@medplum/fhirtypes';
import type { Config } from '../../config/schema.ts';
import { codingSystem } from '../../model/code-systems.ts';
import type { Author, Code, DocumentEntry, InstanceId, Submission } from '../../model/types.ts';
import { OID, VISIBILITY_CODE } from '../../model/vocabulary.ts';
import type { SubmissionRecord, SubmissionStatus } from '../../store/records.ts';
import { PROFILE } from './bundle.ts';
import { fhirId } from './transaction-response.ts';

/** The gateway status of the submission, as a meta tag. */
export const STATUS_TAG_SYSTEM = 'urn:dmp-gateway:submission-status';

export type ViewStatus = 'current' | 'superseded' | 'entered-in-error';

export interface ViewInput {
  readonly record: Pick<SubmissionRecord, 'documents'>;
  readonly index: number;
  readonly gatewayStatus: SubmissionStatus;
  readonly status: ViewStatus;
  /** The patient's INS: the one the search named, else the payload's (the record holds no patient data). */
  readonly ins?: InstanceId;
  readonly submission?: Submission;
  /** FHIR id of the document this one replaces, when known. */
  readonly replacedId?: string;
  readonly config: { readonly fhir: Pick<Config['fhir'], 'creationTimeFrom'> };
}

const coding = (code: Code): Coding => ({
  system: codingSystem(code.codeSystem),
  code: code.code,
  ...(code.displayName ? { display: code.displayName } : {}),
});
const concept = (code: Code) => ({ coding: [coding(code)] });
const rfc3986 = (value: string) => ({ system: 'urn:ietf:rfc:3986', value });

function authorResource(author: Author): Resource {
  if (author.kind === 'system')
    return {
      resourceType: 'Device',
      id: 'author',
      deviceName: [{ name: author.name, type: 'user-friendly-name' }],
      modelNumber: author.model || undefined,
    };
  const p = author.person;
  return {
    resourceType: 'Practitioner',
    id: 'author',
    identifier: [{ system: `urn:oid:${p.idSystem ?? OID.personId}`, value: p.id }],
    name: [
      {
        family: p.familyName,
        ...(p.givenName ? { given: [p.givenName] } : {}),
        ...(p.prefix ? { prefix: [p.prefix] } : {}),
      },
    ],
  };
}

function securityLabels(doc: DocumentEntry) {
  const flags = Object.entries(VISIBILITY_CODE).filter(
    ([key]) => doc.visibility[key as keyof DocumentEntry['visibility']],
  );
  return [
    concept({ code: doc.confidentiality, codeSystem: OID.hl7Confidentiality }),
    ...flags.map(([, code]) => concept({ code, codeSystem: OID.treA07Visibility })),
  ];
}

export function documentReferenceView(input: ViewInput): DocumentReference {
  const recordDoc = input.record.documents[input.index]!;
  const doc = input.submission?.documents.find((d) => d.entryUUID === recordDoc.entryUUID);
  const base: DocumentReference = {
    resourceType: 'DocumentReference',
    id: fhirId(recordDoc.entryUUID),
    meta: {
      profile: [PROFILE.documentReference],
      tag: [{ system: STATUS_TAG_SYSTEM, code: input.gatewayStatus }],
    },
    masterIdentifier: rfc3986(`urn:oid:${recordDoc.uniqueId}`),
    identifier: [{ use: 'official', ...rfc3986(recordDoc.entryUUID) }],
    status: input.status,
    type: concept(recordDoc.typeCode),
    ...(input.ins
      ? { subject: { identifier: { system: `urn:oid:${input.ins.root}`, value: input.ins.extension } } }
      : {}),
    content: [{ attachment: { url: `urn:oid:${recordDoc.uniqueId}` } }],
    ...(recordDoc.replaces
      ? {
          relatesTo: [
            {
              code: 'replaces',
              target: {
                ...(input.replacedId ? { reference: `DocumentReference/${input.replacedId}` } : {}),
                identifier: rfc3986(`urn:oid:${recordDoc.replaces}`),
              },
            },
          ],
        }
      : {}),
  };
  if (!doc || !input.submission) return base;
  const bytes = doc.content.bytes;
  return {
    ...base,
    contained: [
      authorResource(doc.authors[0] ?? input.submission.author),
      {
        resourceType: 'Organization',
        id: 'custodian',
        identifier: [
          { system: `urn:oid:${doc.custodian.idSystem ?? OID.structureId}`, value: doc.custodian.id },
        ],
        name: doc.custodian.name || undefined,
      },
    ],
    type: concept(doc.typeCode),
    category: [concept(doc.classCode)],
    date: input.config.fhir.creationTimeFrom === 'date' ? doc.creationTime : input.submission.submissionTime,
    author: [{ reference: '#author' }],
    custodian: { reference: '#custodian' },
    securityLabel: securityLabels(doc),
    content: [
      {
        attachment: {
          contentType: doc.content.kind === 'unstructured' ? doc.content.mediaType : 'text/xml',
          language: doc.languageCode,
          url: `urn:oid:${recordDoc.uniqueId}`,
          size: bytes.length,
          hash: createHash('sha1').update(bytes).digest('base64'),
          title: doc.title,
          creation: doc.creationTime,
        },
        format: coding(doc.formatCode),
      },
    ],
    context: {
      ...(doc.serviceStartTime
        ? {
            period: {
              start: doc.serviceStartTime,
              ...(doc.serviceStopTime ? { end: doc.serviceStopTime } : {}),
            },
          }
        : {}),
      facilityType: concept(doc.healthcareFacilityTypeCode),
      practiceSetting: concept(doc.practiceSettingCode),
      ...(doc.eventCodes.length ? { event: doc.eventCodes.map(concept) } : {}),
    },
  };
}
