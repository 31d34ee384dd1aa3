/**
 * MHD replacement (relatesTo replaces → the gateway's own DocumentReference
 * id, with the MHD PATCH that marks it superseded), securityLabel visibility,
 * and ITI-67 Find Document References over what the gateway submitted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MhdGateway, startMhdGateway } from '../support/mhd-app.ts';
import { mhdBundle, TEST_INS } from './bundles.ts';

let mhd: MhdGateway;
beforeAll(async () => {
  mhd = await startMhdGateway();
});
afterAll(async () => {
  await mhd?.close();
});

const idOf = (json: {
  entry?: { response?: { outcome?: { issue: { details?: { text?: string } }[] } } }[];
}) =>
  json.entry?.[0]?.response?.outcome?.issue[0]?.details?.text?.match(
    /submission ([0-9a-f-]{36})/,
  )?.[1] as string;
type Doc = { masterIdentifier: { value: string }; relatesTo?: unknown; securityLabel?: unknown[] };

describe('replacement and ITI-67', () => {
  it('replaces a document by its DocumentReference id, hides it from the patient, and finds both versions', async () => {
    const original = mhdBundle();
    const first = await mhd.post(original);
    const firstId = first.json.entry![1]!.response!.location!; // DocumentReference/<id>
    await mhd.gw.waitFor(idOf(first.json), (s) => s.status === 'deposited');

    const replacement = mhdBundle();
    const doc = replacement.entry[1]!.resource as Doc;
    doc.relatesTo = [{ code: 'replaces', target: { reference: firstId } }];
    doc.securityLabel = [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N' }] },
      {
        coding: [
          {
            system:
              'https://mos.esante.gouv.fr/NOS/TRE_A07-StatusVisibiliteDocument/FHIR/TRE-A07-StatusVisibiliteDocument',
            code: 'INVISIBLE_PATIENT',
          },
        ],
      },
    ];
    replacement.entry.push({
      fullUrl: 'urn:uuid:7a2b8e0c-1f3d-4c5e-8a9b-0c1d2e3f4a5b',
      resource: {
        resourceType: 'Parameters',
        parameter: [
          {
            name: 'operation',
            part: [
              { name: 'type', valueCode: 'replace' },
              { name: 'path', valueString: 'DocumentReference.status' },
              { name: 'value', valueCode: 'superseded' },
            ],
          },
        ],
      },
      request: { method: 'PATCH', url: firstId },
    });
    const res = await mhd.post(replacement);
    expect(res.status).toBe(200);
    expect(res.json.entry!.map((e) => e.response!.status)).toEqual([
      '201 Created',
      '201 Created',
      '201 Created',
      '200 OK',
    ]);
    expect(res.json.entry![3]!.response!.location).toBe(firstId);
    const done = await mhd.gw.waitFor(idOf(res.json), (s) => s.status === 'deposited');
    const oldUid = (original.entry[1]!.resource as Doc).masterIdentifier.value.slice(8);
    expect(done.documents[0]).toMatchObject({ versionNumber: 2, replaces: oldUid });
    const sandbox = mhd.gw.sandbox!.documents();
    expect(sandbox.find((d) => d.uniqueId === oldUid)!.status).toMatch(/Deprecated$/);
    const newDoc = sandbox.find((d) => d.uniqueId === doc.masterIdentifier.value.slice(8))!;
    expect(newDoc.confidentialityCodes.map((c) => c.code)).toEqual(['N', 'INVISIBLE_PATIENT']);

    const query = `patient.identifier=${encodeURIComponent(`${TEST_INS.system}|${TEST_INS.value}`)}`;
    const all = await mhd.get(`/fhir/DocumentReference?${query}`);
    expect(all.status).toBe(200);
    expect(all.json.type).toBe('searchset');
    const byId = new Map(
      all.json.entry!.map((e) => [
        e.resource!.id,
        e.resource as unknown as {
          status: string;
          relatesTo?: { target: { reference?: string } }[];
          securityLabel: { coding: { code: string }[] }[];
          subject: unknown;
          content: { attachment: { hash: string } }[];
        },
      ]),
    );
    const oldView = byId.get(firstId.split('/')[1]);
    const newView = byId.get(res.json.entry![1]!.response!.location!.split('/')[1]);
    expect(oldView?.status).toBe('superseded');
    expect(newView?.status).toBe('current');
    expect(newView?.relatesTo?.[0]?.target.reference).toBe(firstId);
    expect(newView?.securityLabel.map((l) => l.coding[0]!.code)).toEqual(['N', 'INVISIBLE_PATIENT']);
    expect(newView?.subject).toEqual({ identifier: TEST_INS });
    expect(newView?.content[0]?.attachment.hash).toBe(
      (replacement.entry[1]!.resource as { content: { attachment: { hash: string } }[] }).content[0]!
        .attachment.hash,
    );

    const current = await mhd.get(`/fhir/DocumentReference?${query}&status=current&_count=5`);
    const ids = current.json.entry!.filter((e) => e.search?.mode === 'match').map((e) => e.resource!.id);
    expect(ids).toContain(newView && res.json.entry![1]!.response!.location!.split('/')[1]);
    expect(ids).not.toContain(firstId.split('/')[1]);
    expect(current.json.entry!.find((e) => e.search?.mode === 'outcome')).toBeDefined(); // _count is not supported: said so

    const one = await mhd.get(`/fhir/DocumentReference?_id=${firstId.split('/')[1]}`);
    expect(one.json.entry!.map((e) => e.resource!.id)).toEqual([firstId.split('/')[1]]);
    expect(
      (await mhd.get(`/${firstId.replace('DocumentReference', 'fhir/DocumentReference')}`)).json.id,
    ).toBe(firstId.split('/')[1]);
  });

  it('a replacement of a document the gateway does not know is refused with the path of relatesTo', async () => {
    const bundle = mhdBundle();
    (bundle.entry[1]!.resource as Doc).relatesTo = [
      { code: 'replaces', target: { reference: 'DocumentReference/doc-old' } },
    ];
    const res = await mhd.post(bundle);
    expect(res.status).toBe(422);
    expect(res.json.issue.flatMap((i) => i.expression ?? [])).toContain(
      'Bundle.entry[1].resource.relatesTo[0].target',
    );
  });

  it('ITI-67: other patients see nothing; bad queries are 400; an unknown id is 404', async () => {
    const other = await mhd.get(
      `/fhir/DocumentReference?patient.identifier=${encodeURIComponent('urn:oid:1.2.250.1.213.1.4.10|190017512345612')}`,
    );
    expect(other.status).toBe(200);
    expect(other.json.total).toBe(0);
    expect((await mhd.get('/fhir/DocumentReference?status=current')).status).toBe(400);
    expect((await mhd.get('/fhir/DocumentReference?patient.identifier=urn:oid:1.2.3|x')).status).toBe(400);
    expect((await mhd.get('/fhir/DocumentReference/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('keeps the INS out of Redis keys', async () => {
    const keys = await mhd.store.redis.keys(`${mhd.gw.config.redis.prefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => k.includes(TEST_INS.value))).toEqual([]);
    expect(keys.some((k) => /:fhir:patient:[0-9a-f]{64}$/.test(k))).toBe(true);
  });
});
