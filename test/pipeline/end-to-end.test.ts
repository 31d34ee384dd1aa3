/**
 * The running gateway end to end (real Redis, real BullMQ, the sandbox DMP
 * over real HTTPS with mutual TLS): intake answers, deposit with the
 * expected metadata, idempotency, conflicts, invalid input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, freshDocument, idFrom, startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
const logLines: string[] = [];
beforeAll(async () => {
  gw = await startTestGateway({}, undefined, { logLines });
});
afterAll(async () => {
  await gw?.close();
});

describe('POST /fhir/DocumentReference → deposited in the sandbox DMP', () => {
  it('answers 202 with Location, then deposits with the expected metadata', async () => {
    const doc = freshDocument();
    const res = await gw.post(doc);
    expect(res.status).toBe(202);
    expect(res.location).toMatch(/^\/api\/submissions\/[0-9a-f-]{36}$/);
    const id = idFrom(res.location);
    const done = await gw.waitFor(id, (s) => s.status === 'deposited');
    expect(done.timeline.map((e: { type: string }) => e.type)).toEqual([
      'received',
      'queued',
      'attempt',
      'deposited',
    ]);
    expect(done.attempts).toBe(1);

    const uniqueId = doc.masterIdentifier.value.slice('urn:oid:'.length);
    const stored = gw.sandbox!.documents().find((d) => d.uniqueId === uniqueId);
    expect(stored).toMatchObject({
      status: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved',
      patientId: '279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH',
      typeCode: { code: '11490-0', codeSystem: '2.16.840.1.113883.6.1' },
      classCode: { code: '10' },
      formatCode: { code: 'urn:ihe:iti:xds-sd:pdf:2008' },
      healthcareFacilityTypeCode: { code: 'SA01' },
      practiceSettingCode: { code: 'ETABLISSEMENT' },
      depositorStructureId: `1${gw.config.establishment.finess}`,
    });
    expect(stored!.confidentialityCodes.map((c: { code: string }) => c.code)).toEqual(['N']);
    expect(stored!.entryUUID).toBe(done.documents[0]?.entryUUID);

    // the job carries the submission id and nothing else
    const { Queue } = await import('bullmq');
    const queue = new Queue('deposit', {
      connection: { url: gw.config.redis.url },
      prefix: `${gw.config.redis.prefix}:bull`,
    });
    const job = await queue.getJob(done.jobId!);
    expect(job?.data).toEqual({ submissionId: id });
    await queue.close();

    // the same view through the gateway's API
    const view = (await (await fetch(`${gw.apiUrl}/api/sandbox/documents`)).json()) as { uniqueId: string }[];
    expect(view.some((d) => d.uniqueId === uniqueId)).toBe(true);
  });

  it('same document again → same submission, one deposit; other content under the same id → 409', async () => {
    const doc = freshDocument();
    const first = await gw.post(doc);
    const again = await gw.post(JSON.stringify(doc, null, 4)); // same content, other formatting
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.location).toBe(first.location);
    await gw.waitFor(idFrom(first.location), (s) => s.status === 'deposited');
    const uniqueId = doc.masterIdentifier.value.slice(8);
    expect(gw.sandbox!.documents().filter((d) => d.uniqueId === uniqueId)).toHaveLength(1);

    const changed = structuredClone(doc);
    changed.content[0].attachment.title = 'Autre titre';
    const conflict = await gw.post(changed);
    expect(conflict.status).toBe(409);
    expect(conflict.json.issue[0]?.expression).toEqual(['DocumentReference.masterIdentifier']);
  });

  it('invalid input → 422 OperationOutcome naming every bad path; nothing stored', async () => {
    const res = await gw.post(FIXTURE('documentreference-invalid.json'));
    expect(res.status).toBe(422);
    expect(res.json.resourceType).toBe('OperationOutcome');
    const paths = res.json.issue.flatMap((i: { expression?: string[] }) => i.expression ?? []);
    expect(paths).toEqual(
      expect.arrayContaining([
        'DocumentReference.contained[0].identifier',
        'DocumentReference.content[0].attachment.data',
        'DocumentReference.type',
      ]),
    );
    expect(res.location).toBeNull();
  });

  it('malformed JSON → 400; wrong content type → 415; unknown submission → 404', async () => {
    const bad = await fetch(`${gw.apiUrl}/fhir/DocumentReference`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: '{"resourceType":',
    });
    expect(bad.status).toBe(400);
    const xml = await fetch(`${gw.apiUrl}/fhir/DocumentReference`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<x/>',
    });
    expect(xml.status).toBe(415);
    expect((await fetch(`${gw.apiUrl}/api/submissions/00000000-0000-0000-0000-000000000000`)).status).toBe(
      404,
    );
  });

  it('a replacement posted after its original is deposited → RPLC, the original deprecated', async () => {
    const original = freshDocument();
    const first = await gw.post(original);
    const firstDone = await gw.waitFor(idFrom(first.location), (s) => s.status === 'deposited');
    const replacement = freshDocument();
    replacement.relatesTo = [
      {
        code: 'replaces',
        target: { identifier: { system: 'urn:ietf:rfc:3986', value: original.masterIdentifier.value } },
      },
    ];
    const res = await gw.post(replacement);
    expect(res.status).toBe(202);
    const done = await gw.waitFor(idFrom(res.location), (s) => s.status === 'deposited');
    expect(done.documents[0]).toMatchObject({
      versionNumber: 2,
      setId: firstDone.documents[0]?.setId,
      replaces: original.masterIdentifier.value.slice(8),
    });
    const docs = gw.sandbox!.documents();
    expect(docs.find((d) => d.uniqueId === original.masterIdentifier.value.slice(8))!.status).toMatch(
      /Deprecated$/,
    );
    expect(docs.find((d) => d.uniqueId === replacement.masterIdentifier.value.slice(8))!.status).toMatch(
      /Approved$/,
    );
  });
});

describe('patient data stays out of logs and the operator view', () => {
  it('no INS, name or birth date in any log line or status answer', async () => {
    const res = await gw.post(freshDocument());
    const done = await gw.waitFor(idFrom(res.location), (s) => s.status === 'deposited');
    expect(logLines.length).toBeGreaterThan(0);
    const text = logLines.join('\n') + JSON.stringify(done);
    for (const secret of [
      '279035121518989',
      'ANDRE',
      'MARIE',
      'DUPONT',
      '19790321',
      '1979-03-21',
      'IPP-000123',
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('ITI-67 finds what any door submitted', () => {
  it('a document posted to /fhir/DocumentReference is found by patient identifier', async () => {
    const doc = freshDocument();
    const res = await gw.post(doc);
    await gw.waitFor(idFrom(res.location), (s) => s.status === 'deposited');
    const search = await fetch(
      `${gw.apiUrl}/fhir/DocumentReference?patient.identifier=${encodeURIComponent('urn:oid:1.2.250.1.213.1.4.10|279035121518989')}`,
    );
    expect(search.status).toBe(200);
    const bundle = (await search.json()) as {
      type: string;
      entry?: { resource: { masterIdentifier?: { value: string } } }[];
    };
    expect(bundle.type).toBe('searchset');
    expect(bundle.entry?.some((e) => e.resource.masterIdentifier?.value === doc.masterIdentifier.value)).toBe(
      true,
    );
  });
});
