/**
 * Every FHIR sample of ../shared/corpus/mhd/ through the gateway's doors, as
 * is: ITI-65 bundles (and non-bundles) to `POST /fhir`, standalone
 * DocumentReferences to `POST /fhir/DocumentReference` (the ITI-105-like
 * single-document door). None can be deposited as published: each row names
 * the reasons (FHIRPath + message), all of which are real defects of the
 * sample against IHE MHD 4.2, PDSm 3.1.1 or the DMP (see the comments).
 * corpus-repaired.test.ts shows that fixing exactly these reasons is enough.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MhdGateway, startMhdGateway } from '../support/mhd-app.ts';
import { corpusFile } from '../support/xsd.ts';

interface Row {
  readonly door: '/fhir' | '/fhir/DocumentReference' | 'not an input';
  readonly status?: number;
  /** [FHIRPath, fragment of the message] that must be among the issues. */
  readonly reasons?: readonly (readonly [string, string])[];
}

const E = (i: number) => `Bundle.entry[${i}].resource`;
const SNOMED_FACILITY: [string, string] = [
  `${E(1)}.context.facilityType.coding[0].system`,
  'not a code system PDSm allows',
];
const SNOMED_SETTING: [string, string] = [
  `${E(1)}.context.practiceSetting.coding[0].system`,
  'not a code system PDSm allows',
];

const TABLE: Readonly<Record<string, Row>> = {
  // IHE MHD example (IPF rendering): not French — no INS, SNOMED codes; its hash is the base64 of the hex text.
  'ipf/test.json': {
    door: '/fhir',
    status: 422,
    reasons: [
      [`${E(0)}.identifier`, 'expected 2..*'], // MHD SubmissionSet: uniqueId AND entryUUID
      [`${E(1)}.content[0].attachment.hash`, 'hexadecimal SHA-1 text'],
      [`${E(1)}.subject`, 'holds no Patient resources'], // Patient/ex-patient: no INS anywhere
      [`${E(1)}.custodian`, 'Missing required property'], // PDSm custodian 1..1
      [`${E(0)}.extension[0].valueCodeableConcept.coding[0].system`, 'not a code system PDSm allows'],
      SNOMED_FACILITY,
      SNOMED_SETTING,
    ],
  },
  // An ITI-65 *response*: not a request.
  'pdsm/Bundle-a9c10f8a-882d-4000-a280-7150e0aeb478.json': {
    door: '/fhir',
    status: 400,
    reasons: [['Bundle.type', 'must be transaction']],
  },
  'pdsm/Bundle-bundle-exemple-comprehensiveprovidedocument-replace.json': {
    door: '/fhir',
    status: 422,
    reasons: [
      [`${E(0)}.identifier`, 'Missing required property'],
      [`${E(1)}.custodian`, 'Missing required property'],
      [`${E(1)}.content[0].attachment.hash`, 'does not match the SHA-1'], // "Hello" has another SHA-1
      [`${E(1)}.relatesTo[0].target`, 'unknown to this gateway'], // DocumentReference/doc-old was never submitted here
      [`${E(1)}.category[0]`, 'ASS_X16: 11'], // 34133-9 is a class 11 type for the DMP
      [`${E(1)}.subject`, 'holds no Patient resources'], // Patient/fr-patient-123
      [`${E(0)}.contained[0].practitioner`, 'Practitioner with a family name'], // author without a name
    ],
  },
  'pdsm/DocumentReference-exemple-pdsm-documentreference.json': {
    door: '/fhir/DocumentReference',
    status: 422,
    reasons: [
      ['DocumentReference.content[0].attachment.data', 'inline base64 document is required'], // url Binary/6789 only
      ['DocumentReference.subject', 'holds no Patient resources'],
      ['DocumentReference.category[0]', 'ASS_X16: 11'],
    ],
  },
  'pdsm/List-ExampleFolder.json': {
    door: '/fhir',
    status: 400,
    reasons: [['Bundle.resourceType', 'must be Bundle']],
  },
  'pdsm/List-ExampleSubmissionSet.json': {
    door: '/fhir',
    status: 400,
    reasons: [['Bundle.resourceType', 'must be Bundle']],
  },
  // ITI-67 *response*.
  'pdsm4dmp/Bundle-example-annexe-searchset-documentreferences.json': {
    door: '/fhir',
    status: 400,
    reasons: [['Bundle.type', 'must be transaction']],
  },
  'pdsm4dmp/Bundle-example-td2-1-remplacement.json': {
    door: '/fhir',
    status: 422,
    reasons: [
      [`${E(0)}.identifier`, 'Missing required property'],
      [`${E(1)}.custodian`, 'Missing required property'],
      [`${E(0)}.extension[0].valueCodeableConcept.coding[0].system`, 'TRE_A03-ClasseDocument'], // a class code as contentTypeCode
      [`${E(1)}.relatesTo[0].target`, 'unknown to this gateway'],
      [`${E(1)}.category[0]`, 'ASS_X16: 10'],
      [`${E(1)}.contained[1].name`, 'Practitioner with a family name'],
      SNOMED_FACILITY,
      SNOMED_SETTING,
      [`${E(3)}.data`, 'CDA'], // <ClinicalDocument/>: an empty CDA
    ],
  },
  'pdsm4dmp/Bundle-example-td2-iti65-lot-soumission.json': {
    door: '/fhir',
    status: 422,
    reasons: [
      [`${E(0)}.identifier`, 'Missing required property'],
      [`${E(1)}.custodian`, 'Missing required property'],
      [`${E(0)}.extension[0].valueCodeableConcept.coding[0].system`, 'TRE_A03-ClasseDocument'],
      [`${E(1)}.category[0]`, 'ASS_X16: 10'],
      [`${E(1)}.contained[1].name`, 'Practitioner with a family name'],
      SNOMED_FACILITY,
      SNOMED_SETTING,
      [`${E(2)}.data`, 'CDA'],
    ],
  },
  'pdsm4dmp/DocumentReference-doc-x-id.json': {
    door: '/fhir/DocumentReference',
    status: 422,
    reasons: [
      ['DocumentReference.status', 'must be current'], // superseded
      ['DocumentReference.content[0].attachment.data', 'inline base64 document is required'],
      ['DocumentReference.contained[0].name', 'birth family name'], // INS without identity traits
      ['DocumentReference.category[0]', 'ASS_X16: 10'],
    ],
  },
  'pdsm4dmp/DocumentReference-example-td2-iti105-publication-simplifiee.json': {
    door: '/fhir/DocumentReference',
    status: 422,
    reasons: [
      ['DocumentReference.context.sourcePatientInfo', 'identity traits'],
      ['DocumentReference.content[0].attachment.contentType', 'use the CDA input'],
    ],
  },
  // Terminology, not documents: checked by concept-maps.test.ts.
  'pdsm4dmp/ConceptMap-documentReferenceToPDSM.json': { door: 'not an input' },
  'pdsm4dmp/ConceptMap-submissionSetToPDSM.json': { door: 'not an input' },
};

let mhd: MhdGateway;
beforeAll(async () => {
  mhd = await startMhdGateway();
});
afterAll(async () => {
  await mhd?.close();
});

const files = ['ipf', 'pdsm', 'pdsm4dmp'].flatMap((dir) =>
  readdirSync(corpusFile(`mhd/${dir}`)).map((f) => `${dir}/${f}`),
);

describe('corpus mhd/: accepted or rejected, and why', () => {
  it('classifies every file of the corpus', () => {
    expect(files.filter((f) => !TABLE[f])).toEqual([]);
  });

  it.each(files.filter((f) => TABLE[f]?.door !== 'not an input'))('%s', async (file) => {
    const row = TABLE[file]!;
    const body = readFileSync(corpusFile(`mhd/${file}`));
    const res =
      row.door === '/fhir'
        ? await mhd.post(body)
        : await (async () => {
            const r = await mhd.gw.post(body.toString('utf8'));
            return {
              status: r.status,
              json: r.json as never as { issue: { expression?: string[]; details?: { text?: string } }[] },
            };
          })();
    expect(res.status).toBe(row.status);
    const issues = (
      res.json as { issue: { expression?: string[]; details?: { text?: string } }[] }
    ).issue.map((i) => `${i.expression?.[0]} | ${i.details?.text}`);
    for (const [path, fragment] of row.reasons ?? [])
      expect(
        issues.some((i) => i.startsWith(`${path} |`) && i.includes(fragment)),
        `${path}: …${fragment}… in\n${issues.join('\n')}`,
      ).toBe(true);
    expect(mhd.gw.sandbox!.documents()).toEqual([]); // nothing of it reached the DMP
  });
});
