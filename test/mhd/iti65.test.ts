/**
 * ITI-65 end to end (real Redis, BullMQ, the sandbox DMP): a PDSm bundle is
 * answered with a transaction-response in request order, deposited as one
 * submission set with the expected metadata, recognised when resent, and a
 * bundle with any problem stores nothing.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MhdGateway, startMhdGateway } from '../support/mhd-app.ts';
import { documentEntries, mhdBundle } from './bundles.ts';

let mhd: MhdGateway;
beforeAll(async () => {
  mhd = await startMhdGateway();
});
afterAll(async () => {
  await mhd?.close();
});

const submissionOf = (json: {
  entry?: { response?: { outcome?: { issue: { details?: { text?: string } }[] } } }[];
}) =>
  json.entry?.[0]?.response?.outcome?.issue[0]?.details?.text?.match(
    /submission ([0-9a-f-]{36})/,
  )?.[1] as string;

describe('POST /fhir ITI-65', () => {
  it('answers a transaction-response in request order, then deposits both documents in one submission set', async () => {
    const bundle = mhdBundle(2);
    const res = await mhd.post(bundle);
    expect(res.status).toBe(200);
    expect(res.json.resourceType).toBe('Bundle');
    expect(res.json.type).toBe('transaction-response');
    const responses = res.json.entry!.map((e) => e.response!);
    expect(responses.map((r) => r.status)).toEqual(Array(5).fill('201 Created'));
    expect(responses.map((r) => r.location?.split('/')[0])).toEqual([
      'List',
      'DocumentReference',
      'Binary',
      'DocumentReference',
      'Binary',
    ]);
    expect(responses[2]!.location!.split('/')[1]).toBe(responses[1]!.location!.split('/')[1]);
    const id = submissionOf(res.json);
    const done = await mhd.gw.waitFor(id, (s) => s.status === 'deposited');
    expect(done.documents.map((d) => `DocumentReference/${d.entryUUID.slice(9)}`)).toEqual([
      responses[1]!.location,
      responses[3]!.location,
    ]);
    const sandbox = mhd.gw
      .sandbox!.documents()
      .filter((d) => d.submissionSet.entryUUID === done.submissionSet.entryUUID && d.kind === 'document');
    expect(sandbox).toHaveLength(2);
    const list = bundle.entry[0]!.resource as { identifier: { value: string }[] };
    expect(done.submissionSet.uniqueId).toBe(list.identifier[0]!.value.slice(8));
    for (const [k, doc] of [bundle.entry[1]!, bundle.entry[3]!].entries()) {
      const ref = doc.resource as {
        masterIdentifier: { value: string };
        content: { attachment: { creation: string } }[];
      };
      const stored = sandbox.find((d) => d.uniqueId === ref.masterIdentifier.value.slice(8));
      expect(stored, `document ${k}`).toMatchObject({
        status: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved',
        patientId: '279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH',
        typeCode: { code: '11490-0', codeSystem: '2.16.840.1.113883.6.1' },
        classCode: { code: '10', codeSystem: '1.2.250.1.213.1.1.4.1' },
        formatCode: { code: 'urn:ihe:iti:xds-sd:pdf:2008', codeSystem: '1.3.6.1.4.1.19376.1.2.3' },
        healthcareFacilityTypeCode: { code: 'SA01', codeSystem: '1.2.250.1.71.4.2.4' },
        practiceSettingCode: { code: 'ETABLISSEMENT', codeSystem: '1.2.250.1.213.1.1.4.9' },
        title: 'Lettre de sortie',
      });
      // creationTime from content.attachment.creation (fhir.creationTimeFrom default)
      expect(stored!.creationTime).toBe(
        new Date(ref.content[0]!.attachment.creation)
          .toISOString()
          .replace(/[-:T]|\.\d+Z$/g, '')
          .slice(0, 14),
      );
    }
  });

  it('no INS, name or birth date in the log lines of the MHD door', async () => {
    const res = await mhd.post(mhdBundle());
    expect(res.status).toBe(200);
    const text = mhd.logLines.join('\n');
    expect(text).toContain('submission received');
    for (const secret of ['279035121518989', 'ANDRE', 'MARIE', '1979-03-21', 'IPP-000123'])
      expect(text).not.toContain(secret);
  });

  it('a resend of the same bundle is answered with the same locations and deposits nothing more', async () => {
    const bundle = mhdBundle();
    const first = await mhd.post(bundle);
    const again = await mhd.post(JSON.stringify(bundle, null, 2));
    expect(again.status).toBe(200);
    expect(again.json.entry!.map((e) => e.response?.location)).toEqual(
      first.json.entry!.map((e) => e.response?.location),
    );
    const id = submissionOf(first.json);
    expect(submissionOf(again.json)).toBe(id);
    await mhd.gw.waitFor(id, (s) => s.status === 'deposited');
    const uid = (
      bundle.entry[1]!.resource as { masterIdentifier: { value: string } }
    ).masterIdentifier.value.slice(8);
    expect(mhd.gw.sandbox!.documents().filter((d) => d.uniqueId === uid)).toHaveLength(1);
  });

  it('one bad document → 422 naming every problem, and nothing of the bundle is stored', async () => {
    const bundle = mhdBundle(2);
    const bad = bundle.entry[3]!.resource as {
      content: { attachment: { hash: string; size: number } }[];
      custodian?: unknown;
    };
    bad.content[0]!.attachment.hash = createHash('sha1').update('other').digest('base64');
    delete bad.custodian;
    const res = await mhd.post(bundle);
    expect(res.status).toBe(422);
    expect(res.json.resourceType).toBe('OperationOutcome');
    const paths = res.json.issue.flatMap((i) => i.expression ?? []);
    expect(paths).toEqual(
      expect.arrayContaining([
        'Bundle.entry[3].resource.content[0].attachment.hash',
        'Bundle.entry[3].resource.custodian',
      ]),
    );
    const good = (
      bundle.entry[1]!.resource as { masterIdentifier: { value: string } }
    ).masterIdentifier.value.slice(8);
    expect(await mhd.store.byDocumentUniqueId(good)).toBeUndefined();
  });

  it('a document whose Binary is missing, and a Binary nobody points to, are both reported', async () => {
    const bundle = mhdBundle();
    const [, orphan] = documentEntries();
    bundle.entry.push(orphan);
    (bundle.entry[1]!.resource as { content: { attachment: { url: string } }[] }).content[0]!.attachment.url =
      'urn:uuid:00000000-0000-4000-8000-00000000dead';
    const res = await mhd.post(bundle);
    expect(res.status).toBe(422);
    const paths = res.json.issue.flatMap((i) => i.expression ?? []);
    expect(paths).toEqual(
      expect.arrayContaining([
        'Bundle.entry[1].resource.content[0].attachment.url',
        'Bundle.entry[2].resource',
        'Bundle.entry[3].resource',
      ]),
    );
  });
});
