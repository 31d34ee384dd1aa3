/**
 * The corpus ITI-65 samples with exactly the defects of corpus-table.test.ts
 * repaired are deposited in the sandbox with the right metadata: the reasons
 * given there are the whole story. The PDSm4DMP bundle carries a ready-made
 * CDA, so its Binary becomes a real CI-SIS CDA of the corpus (CSE-MDE) and the
 * DocumentReference takes its id, type and INS. That INS (a production
 * INS-NIR OID, from the ANS kit) is unknown to the sandbox, which, like the
 * DMP, refuses unknown patients: the test seeds it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Bundle, BundleEntry, DocumentReference, List, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleToSubmission } from '../../src/inbound/fhir/bundle.ts';
import { IDENTITY_RELIABILITY_URL } from '../../src/inbound/fhir/patient.ts';
import { randomIds } from '../../src/model/ids.ts';
import { testConfig } from '../support/context.ts';
import { type MhdGateway, startMhdGateway } from '../support/mhd-app.ts';
import { corpusFile } from '../support/xsd.ts';
import { freshOid } from './bundles.ts';

let mhd: MhdGateway;
beforeAll(async () => {
  mhd = await startMhdGateway();
});
afterAll(async () => {
  await mhd?.close();
});

const NOS = 'https://mos.esante.gouv.fr/NOS';
const corpus = (f: string) =>
  JSON.parse(readFileSync(corpusFile(`mhd/${f}`), 'utf8')) as Bundle & { entry: BundleEntry[] };
const coding = (tre: string, code: string) => ({
  coding: [{ system: `${NOS}/${tre}/FHIR/${tre.replace('_', '-')}`, code }],
});
const idOf = (json: {
  entry?: { response?: { outcome?: { issue: { details?: { text?: string } }[] } } }[];
}) =>
  json.entry?.[0]?.response?.outcome?.issue[0]?.details?.text?.match(
    /submission ([0-9a-f-]{36})/,
  )?.[1] as string;

/** The PDSm4DMP lot-soumission bundle repaired, carrying the corpus CSE-MDE CDA (and its patient's INS). */
function repairedLotSoumission() {
  const cda = readFileSync(corpusFile('cda/CSE-MDE_2023.01.xml'));
  const ins = { root: '1.2.250.1.213.1.4.8', extension: '222127505611201' };
  const bundle = corpus('pdsm4dmp/Bundle-example-td2-iti65-lot-soumission.json');
  const list = bundle.entry[0]!.resource as List;
  const doc = bundle.entry[1]!.resource as DocumentReference;
  const binary = bundle.entry[2]!.resource as { data: string };
  const subject = { reference: `Patient?identifier=urn:oid:${ins.root}|${ins.extension}` };
  list.identifier = [
    { use: 'usual', system: 'urn:ietf:rfc:3986', value: `urn:oid:${freshOid()}` }, // MHD: uniqueId …
    { use: 'official', system: 'urn:ietf:rfc:3986', value: `urn:uuid:${randomUUID()}` }, // … and entryUUID
  ];
  list.extension![0]!.valueCodeableConcept = coding('TRE_R02-SecteurActivite', 'SA05'); // a contentTypeCode, not a class
  list.subject = subject;
  for (const r of [...(list.contained ?? []), ...(doc.contained ?? [])]) {
    if (r.resourceType === 'Practitioner') r.name = [{ family: 'MEDECIN', given: ['PAUL'] }]; // author's name
    if (r.resourceType === 'Patient')
      r.identifier = [{ system: `urn:oid:${ins.root}`, value: ins.extension }];
  }
  doc.contained!.push({
    resourceType: 'Organization',
    id: 'custodian',
    identifier: [{ system: 'urn:oid:1.2.250.1.71.4.2.2', value: '1999000019' }],
    name: 'CH Démo',
  });
  doc.custodian = { reference: '#custodian' }; // PDSm custodian 1..1
  doc.masterIdentifier = { system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.250.1.213.1.1.1.5.2023.1.1' }; // = the CDA id
  doc.type = { coding: [{ system: 'http://loinc.org', code: '29274-8' }] }; // = the CDA type
  doc.category = [coding('TRE_A03-ClasseDocument', '10')]; // ASS_X16 class of 29274-8
  doc.subject = subject;
  doc.context!.facilityType = coding('TRE_R02-SecteurActivite', 'SA05');
  doc.context!.practiceSetting = coding('TRE_A01-CadreExercice', 'ETABLISSEMENT');
  doc.content[0]!.attachment.size = cda.length;
  doc.content[0]!.attachment.hash = createHash('sha1').update(cda).digest('base64');
  binary.data = cda.toString('base64'); // a real CDA instead of <ClinicalDocument/>
  return { bundle, cda, ins, doc };
}

describe('corpus ITI-65 samples, repaired', () => {
  it('pdsm4dmp lot-soumission with a real CDA → deposited byte for byte, metadata from the CDA header', async () => {
    const { bundle, cda, ins } = repairedLotSoumission();
    mhd.gw.sandbox!.seedPatient({ ins, dmp: 'active' });
    const res = await mhd.post(bundle);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const done = await mhd.gw.waitFor(idOf(res.json), (s) => s.status === 'deposited');
    const stored = mhd.gw.sandbox!.document('1.2.250.1.213.1.1.1.5.2023.1.1', true)!;
    expect(stored).toMatchObject({
      patientId: `${ins.extension}^^^&${ins.root}&ISO^NH`,
      mimeType: 'text/xml',
      typeCode: { code: '29274-8' },
      formatCode: { code: 'urn:ans:ci-sis:cse-mde:2023', codeSystem: '1.2.250.1.213.1.1.4.2.282' },
      healthcareFacilityTypeCode: { code: 'SA05' },
      hash: createHash('sha1').update(cda).digest('hex'),
    });
    expect(Buffer.from(stored.contentBase64!, 'base64').equals(cda)).toBe(true);
    expect(done.documents[0]!.entryUUID.slice(9)).toBe(res.json.entry![1]!.response!.location!.split('/')[1]);
  });

  it('the same CDA under another masterIdentifier is refused: the DocumentReference must agree with its CDA', async () => {
    const bundle = corpus('pdsm4dmp/Bundle-example-td2-iti65-lot-soumission.json');
    const cda = readFileSync(corpusFile('cda/LDL-SES_2022.01.xml'));
    const doc = bundle.entry[1]!.resource as DocumentReference;
    doc.content[0]!.attachment.size = cda.length;
    doc.content[0]!.attachment.hash = createHash('sha1').update(cda).digest('base64');
    (bundle.entry[2]!.resource as { data: string }).data = cda.toString('base64');
    doc.custodian = { identifier: { system: 'urn:oid:1.2.250.1.71.4.2.2', value: '1999000019' } };
    doc.category = [coding('TRE_A03-ClasseDocument', '10')];
    doc.context!.facilityType = coding('TRE_R02-SecteurActivite', 'SA01');
    doc.context!.practiceSetting = coding('TRE_A01-CadreExercice', 'ETABLISSEMENT');
    for (const r of doc.contained ?? [])
      if (r.resourceType === 'Practitioner') r.name = [{ family: 'MEDECIN' }];
    const list = bundle.entry[0]!.resource as List;
    list.identifier = [
      { use: 'usual', system: 'urn:ietf:rfc:3986', value: `urn:oid:${freshOid()}` },
      { use: 'official', system: 'urn:ietf:rfc:3986', value: `urn:uuid:${randomUUID()}` },
    ];
    list.extension![0]!.valueCodeableConcept = coding('TRE_R02-SecteurActivite', 'SA01');
    for (const r of list.contained ?? [])
      if (r.resourceType === 'Practitioner') r.name = [{ family: 'MEDECIN' }];
    const res = await mhd.post(bundle);
    expect(res.status).toBe(422);
    const paths = res.json.issue.map((i) => i.expression?.[0]);
    expect(paths).toEqual(
      expect.arrayContaining([
        'Bundle.entry[1].resource.masterIdentifier.value',
        'Bundle.entry[1].resource.type',
        'Bundle.entry[1].resource.subject',
      ]),
    );
  });
});

describe('identity of a ready-made CDA in a bundle', () => {
  const map = (bundle: unknown) =>
    bundleToSubmission(bundle, {
      config: testConfig,
      ids: randomIds,
      now: new Date(),
      predecessors: new Map(),
    });

  it("an INS given without an identity status is the sender's statement of a qualified identity (VALI)", () => {
    expect(map(repairedLotSoumission().bundle).submission.patient.identityStatus).toBe('VALI');
  });

  it('the identity status stated by the contained Patient is kept (not forced to VALI by the CDA)', () => {
    const { bundle, doc } = repairedLotSoumission();
    const patient = doc.contained!.find((r) => r.resourceType === 'Patient') as Patient;
    patient.extension = [
      {
        url: IDENTITY_RELIABILITY_URL,
        extension: [{ url: 'identityStatus', valueCoding: { code: 'PROV' } }],
      },
    ];
    expect(map(bundle).submission.patient.identityStatus).toBe('PROV');
  });
});
