/**
 * Valid PDSm ITI-65 bundles for the tests, built from the project's FHIR
 * fixture (a PDF DocumentReference for the sandbox's test INS) in the shape
 * of the corpus bundle pdsm4dmp/Bundle-example-td2-iti65-lot-soumission.json:
 * subject by conditional reference, traits in a contained
 * context.sourcePatientInfo, document in a Binary. Fresh ids each call.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry, DocumentReference, List } from '@medplum/fhirtypes';
import { FIXTURE } from '../support/gateway.ts';

export const TEST_INS = { system: 'urn:oid:1.2.250.1.213.1.4.10', value: '279035121518989' };
export const SUBJECT = { reference: `Patient?identifier=${TEST_INS.system}|${TEST_INS.value}` };
const NOS = 'https://mos.esante.gouv.fr/NOS';
let n = 0;
export const freshOid = () => `1.2.250.1.999.1.5.${Date.now()}${process.pid}${++n}`;
const urn = () => `urn:uuid:${randomUUID()}`;

/** A DocumentReference entry and its Binary, for `bytes` (default: the fixture's PDF). */
export function documentEntries(bytes?: Uint8Array): [BundleEntry, BundleEntry] {
  const doc = FIXTURE() as DocumentReference & { content: { attachment: { data?: string } }[] };
  const data = bytes ? Buffer.from(bytes) : Buffer.from(doc.content[0]!.attachment.data as string, 'base64');
  const binaryUrl = urn();
  delete doc.content[0]!.attachment.data;
  doc.masterIdentifier = { system: 'urn:ietf:rfc:3986', value: `urn:oid:${freshOid()}` };
  doc.subject = SUBJECT;
  doc.content[0] = {
    attachment: {
      ...doc.content[0]!.attachment,
      url: binaryUrl,
      size: data.length,
      hash: createHash('sha1').update(data).digest('base64'),
    },
    format: {
      system: `${NOS}/TRE_A11-IheFormatCode/FHIR/TRE-A11-IheFormatCode`,
      code: 'urn:ihe:iti:xds-sd:pdf:2008',
    },
  };
  doc.context = { ...doc.context, sourcePatientInfo: { reference: '#patient' } };
  return [
    { fullUrl: urn(), resource: doc, request: { method: 'POST', url: 'DocumentReference' } },
    {
      fullUrl: binaryUrl,
      resource: { resourceType: 'Binary', contentType: 'application/pdf', data: data.toString('base64') },
      request: { method: 'POST', url: 'Binary' },
    },
  ];
}

/** A bundle with `count` documents (each with its Binary), for the sandbox's test patient. */
export function mhdBundle(count = 1): Bundle & { entry: BundleEntry[] } {
  const docs = Array.from({ length: count }, () => documentEntries());
  const list: List = {
    resourceType: 'List',
    meta: {
      profile: [
        'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-submissionset-comprehensive',
      ],
    },
    contained: [
      {
        resourceType: 'Practitioner',
        id: 'author',
        identifier: [{ system: 'https://rpps.esante.gouv.fr', value: '10101201234' }],
        name: [{ family: 'LECLERC', given: ['SOPHIE'] }],
      },
    ],
    extension: [
      {
        url: 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-designationType',
        valueCodeableConcept: {
          coding: [{ system: `${NOS}/TRE_R02-SecteurActivite/FHIR/TRE-R02-SecteurActivite`, code: 'SA01' }],
        },
      },
      {
        url: 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-sourceId',
        valueIdentifier: { system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.250.1.999.1.1' },
      },
    ],
    identifier: [
      { use: 'usual', system: 'urn:ietf:rfc:3986', value: `urn:oid:${freshOid()}` },
      { use: 'official', system: 'urn:ietf:rfc:3986', value: urn() },
    ],
    status: 'current',
    mode: 'working',
    code: {
      coding: [{ system: 'https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes', code: 'submissionset' }],
    },
    subject: SUBJECT,
    date: '2026-11-20T10:20:00+01:00',
    source: { reference: '#author' },
    entry: docs.map(([d]) => ({ item: { reference: d.fullUrl } })),
  };
  return {
    resourceType: 'Bundle',
    meta: {
      profile: [
        'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-comprehensive-provide-document-bundle',
      ],
    },
    type: 'transaction',
    entry: [{ fullUrl: urn(), resource: list, request: { method: 'POST', url: 'List' } }, ...docs.flat()],
  };
}
