/**
 * HL7 v2 documents through the whole gateway (MLLP listener, intake, queue,
 * worker, sandbox DMP): an MDM^T02 with a real CDA N1 is acknowledged AA
 * once stored, then deposited with the metadata of the message; a resent
 * MSH-10 gets the very same ACK and stores nothing twice; DESTDMP=N is
 * stored skipped and never sent; a T04 deletes the deposited document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_PDF } from '../../fixtures/cda/sample.ts';
import { cdaN1, PATIENT } from '../../fixtures/hl7v2/cda.ts';
import { bytes, ed, message } from '../../fixtures/hl7v2/messages.ts';
import { STATUS } from '../../src/model/vocabulary.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { freshOid, mdmWithCda, postHl7, readAck, recordCount, sendMllp, submissionOf } from './support.ts';

const SENDER = 'hl7:DPI-DEMO|CHD';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

function sandboxEntry(uniqueId: string) {
  return gw.sandbox!.documents().find((d) => d.uniqueId === uniqueId);
}

describe('MDM^T02 with a CDA N1 over MLLP', () => {
  it('AA once stored, then deposited in the sandbox with the metadata of the message', async () => {
    const id = freshOid();
    const message = mdmWithCda(id, { controlId: 'CTRL-T02-1' });
    const ack = readAck(await sendMllp(gw, message));
    expect(ack.code).toBe('AA');
    expect(ack.acknowledged).toBe('CTRL-T02-1');
    expect(ack.errors).toEqual([]);
    // the ACK swaps sender and receiver (volet: MSH-3/4 of the ACK = MSH-5/6 of the message)
    expect(ack.msh.slice(2, 6)).toEqual(['DMP-GATEWAY', 'CHD', 'DPI-DEMO', 'CHD']);
    expect(ack.msh[8]).toBe('ACK^T02^ACK');

    const submission = await submissionOf(gw, `${SENDER}:${id}`);
    expect(submission).toBeDefined();
    const done = await gw.waitFor(submission!, (s) => s.status === 'deposited', 30_000);
    expect(done.source).toBe('hl7v2');
    expect(done.reply).toMatchObject({ controlId: 'CTRL-T02-1', messageType: 'MDM^T02', businessAck: false });
    const entry = gw.sandbox!.document(id, true);
    expect(entry).toMatchObject({
      uniqueId: id,
      kind: 'document',
      status: STATUS.approved,
      patientId: `${PATIENT.ins.extension}^^^&${PATIENT.ins.root}&ISO^NH`,
      mimeType: 'text/xml',
      title: 'Lettre de sortie',
      typeCode: { code: '11490-0', codeSystem: '2.16.840.1.113883.6.1' },
      classCode: { code: '10' },
      formatCode: { code: 'urn:ihe:iti:xds-sd:pdf:2008' },
      confidentialityCodes: [{ code: 'N' }],
      submissionSet: { sourceId: gw.config.ids.sourceId },
      depositorStructureId: '1999000019',
    });
    // the CDA of OBX-5 is deposited byte for byte
    expect(entry?.contentBase64).toBe(Buffer.from(cdaN1({ id })).toString('base64'));
  });

  it('the same MSH-10 again: the identical ACK bytes, one submission', async () => {
    const id = freshOid();
    const message = mdmWithCda(id, { controlId: 'CTRL-RESEND' });
    const first = await sendMllp(gw, message);
    const before = await recordCount(gw);
    const again = await sendMllp(gw, message);
    const overHttp = await postHl7(gw, message);
    expect(again.equals(first)).toBe(true);
    expect(overHttp.body.equals(first)).toBe(true);
    expect(await recordCount(gw)).toBe(before);
    // a different message reusing the MSH-10 is refused, not silently acknowledged
    const other = readAck(await sendMllp(gw, mdmWithCda(freshOid(), { controlId: 'CTRL-RESEND' })));
    expect(other.code).toBe('AE');
    expect(other.errors).toEqual(['MSH^1^10^1 207']);
    expect(other.text).toContain('DUPLICATE_CONTROL_ID');
  });

  it('DESTDMP=N: AA, stored skipped, nothing sent to the DMP', async () => {
    const id = freshOid();
    const ack = readAck(await sendMllp(gw, mdmWithCda(id, { flags: { DESTDMP: 'N' } })));
    expect(ack.code).toBe('AA');
    const submission = await submissionOf(gw, `${SENDER}:${id}`);
    const view = await gw.status(submission!);
    expect(view.status).toBe('skipped');
    expect(view.timeline.map((e) => [e.type, e.outcome])).toEqual([
      ['received', undefined],
      ['skipped', 'DESTDMP=N'],
    ]);
    await new Promise((r) => setTimeout(r, 300));
    expect(sandboxEntry(id)).toBeUndefined();
  });

  it('T04 after T02: the document is Deleted in the sandbox', async () => {
    const id = freshOid();
    expect(readAck(await sendMllp(gw, mdmWithCda(id, { controlId: 'DEL-1a' }))).code).toBe('AA');
    await gw.waitFor((await submissionOf(gw, `${SENDER}:${id}`))!, (s) => s.status === 'deposited', 30_000);
    const deletion = readAck(await sendMllp(gw, mdmWithCda(id, { event: 'T04', controlId: 'DEL-1b' })));
    expect(deletion.code).toBe('AA');
    const request = await submissionOf(gw, `${SENDER}:delete:${id}`);
    const done = await gw.waitFor(request!, (s) => s.status === 'deleted', 30_000);
    expect(done.kind).toBe('deletion');
    expect(sandboxEntry(id)?.status).toBe(STATUS.deleted);
  });

  it('POST /hl7: the same intake over HTTP, the ACK as the body', async () => {
    const id = freshOid();
    const res = await postHl7(gw, mdmWithCda(id, { controlId: 'HTTP-1' }));
    expect([res.status, res.type]).toEqual([200, 'x-application/hl7-v2+er7']);
    expect([readAck(res.body).code, readAck(res.body).acknowledged]).toEqual(['AA', 'HTTP-1']);
    await gw.waitFor((await submissionOf(gw, `${SENDER}:${id}`))!, (s) => s.status === 'deposited', 30_000);
    expect(sandboxEntry(id)?.status).toBe(STATUS.approved);
  });

  it('T10 replacing a PDF the gateway wrapped: the new version continues its setId and replaces it', async () => {
    const first = freshOid();
    const pdf = { ed: ed(TINY_PDF, 'application', 'pdf') };
    const t02 = bytes(message({ type: 'MDM', controlId: 'PDF-1', txa12: first, documents: [pdf] }));
    expect(readAck(await sendMllp(gw, t02)).code).toBe('AA');
    const v1 = await gw.waitFor(
      (await submissionOf(gw, `${SENDER}:${first}`))!,
      (s) => s.status === 'deposited',
    );

    const second = freshOid();
    const t10 = bytes(
      message({
        type: 'MDM',
        event: 'T10',
        controlId: 'PDF-2',
        txa12: second,
        txa13: first,
        documents: [pdf],
      }),
    );
    expect(readAck(await sendMllp(gw, t10)).code).toBe('AA');
    const v2 = await gw.waitFor(
      (await submissionOf(gw, `${SENDER}:${second}`))!,
      (s) => s.status === 'deposited',
    );
    expect(v2.documents[0]).toMatchObject({
      setId: v1.documents[0]!.setId,
      versionNumber: 2,
      replaces: first,
    });
    expect(sandboxEntry(second)?.replaces).toBe(v1.documents[0]!.entryUUID);
    expect(sandboxEntry(first)?.status).toBe(STATUS.deprecated);
  });
});
