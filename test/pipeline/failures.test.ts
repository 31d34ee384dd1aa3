/**
 * Each failure class, driven by the sandbox DMP's fault injection over real
 * HTTPS: transient (HTTP 500, SOAP Fault, registry busy) → retried with
 * backoff; permanent (unknown patient) → rejected with the XDS codes;
 * ambiguous (committed then no answer, or connection dropped after sending)
 * → ITI-18 before resending; attempts exhausted → failed, kept, replayable.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshDocument, idFrom, startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ dmp: { timeoutMs: 1_500 } });
});
afterEach(() => gw.sandbox!.setFaults({}));
afterAll(async () => {
  await gw?.close();
});

const types = (s: { timeline: readonly { type: string }[] }) => s.timeline.map((e) => e.type);
/** Stored copies, and successful ITI-41 calls carrying the document: both must be 1 for "deposited once". */
const copies = (uniqueId: string) => {
  const stored = gw.sandbox!.documents().filter((d) => d.uniqueId === uniqueId).length;
  const accepted = gw
    .sandbox!.trace()
    .filter((t) => t.endpoint === 'iti41' && t.acceptedUniqueIds?.includes(uniqueId)).length;
  return Math.max(stored, accepted);
};
const uid = (doc: { masterIdentifier: { value: string } }) =>
  doc.masterIdentifier.value.slice('urn:oid:'.length);

async function send(doc = freshDocument()) {
  const res = await gw.post(doc);
  expect(res.status).toBe(202);
  return { id: idFrom(res.location), doc };
}

describe('transient failures are retried', () => {
  it.each(['http500', 'soapFault', 'registryBusy'] as const)(
    '%s twice, then deposited on the third attempt',
    async (kind) => {
      gw.sandbox!.setFaults({ failNext: [{ kind, count: 2, endpoint: 'iti41' }] });
      const { id, doc } = await send();
      const done = await gw.waitFor(id, (s) => s.status === 'deposited');
      expect(done.attempts).toBe(3);
      expect(types(done)).toEqual([
        'received',
        'queued',
        'attempt',
        'retry',
        'attempt',
        'retry',
        'attempt',
        'deposited',
      ]);
      if (kind === 'registryBusy') expect(done.timeline[3]?.codes).toEqual(['XDSRegistryBusy']);
      expect(copies(uid(doc))).toBe(1);
    },
  );
});

describe('permanent failures stop at once', () => {
  it('unknown patient → rejected with the XDS error; replay after the patient exists → deposited', async () => {
    const doc = freshDocument();
    doc.contained[0].identifier[0].value = '190017512345678'; // a patient the sandbox does not know
    const { id } = await send(doc);
    const rejected = await gw.waitFor(id, (s) => s.status === 'rejected');
    expect(rejected.attempts).toBe(1);
    expect(rejected.outcome?.errors?.map((e) => e.errorCode)).toContain('XDSUnknownPatientId');
    expect(JSON.stringify(rejected)).not.toContain('190017512345678'); // no INS in the operator view
    expect(copies(uid(doc))).toBe(0);

    gw.sandbox!.seedPatient({
      ins: { root: '1.2.250.1.213.1.4.10', extension: '190017512345678' },
      dmp: 'active',
    });
    const replay = await fetch(`${gw.apiUrl}/api/submissions/${id}/replay`, { method: 'POST' });
    expect(replay.status).toBe(202);
    const done = await gw.waitFor(id, (s) => s.status === 'deposited');
    expect(types(done)).toContain('replayed');
    expect(copies(uid(doc))).toBe(1);
  });

  it('replay of a submission that is not failed or rejected → 409', async () => {
    const { id } = await send();
    await gw.waitFor(id, (s) => s.status === 'deposited');
    expect((await fetch(`${gw.apiUrl}/api/submissions/${id}/replay`, { method: 'POST' })).status).toBe(409);
  });
});

describe('ambiguous failures ask the DMP before resending', () => {
  it('stored by the DMP but never answered → found by ITI-18, deposited once', async () => {
    gw.sandbox!.setFaults({ failNext: [{ kind: 'commitThenTimeout', count: 1, endpoint: 'iti41' }] });
    const { id, doc } = await send();
    const done = await gw.waitFor(id, (s) => s.status === 'deposited');
    expect(done.attempts).toBe(1);
    expect(done.timeline.at(-1)?.outcome).toMatch(/found in the DMP \(ITI-18\)/);
    expect(copies(uid(doc))).toBe(1);
    const queries = gw.sandbox!.trace().filter((t) => t.endpoint === 'iti18');
    expect(queries.length).toBeGreaterThan(0);
  });

  it('connection dropped after sending, nothing stored → ITI-18 finds nothing → resent', async () => {
    gw.sandbox!.setFaults({ failNext: [{ kind: 'drop', count: 1, endpoint: 'iti41' }] });
    const { id, doc } = await send();
    const done = await gw.waitFor(id, (s) => s.status === 'deposited');
    expect(done.attempts).toBe(2);
    expect(done.timeline.find((e) => e.type === 'retry')?.outcome).toMatch(/^ambiguous: .*not in the DMP/);
    expect(copies(uid(doc))).toBe(1);
  });
});

describe('attempts exhausted', () => {
  it('ends failed (never completed), kept for replay; replay deposits it', async () => {
    gw.sandbox!.setFaults({ http500Percent: 100, endpoints: ['iti41'] });
    const { id, doc } = await send();
    const failed = await gw.waitFor(id, (s) => s.status === 'failed');
    expect(failed.attempts).toBe(gw.config.queue.attempts);
    expect(types(failed).filter((t) => t === 'attempt')).toHaveLength(gw.config.queue.attempts);
    const { Queue } = await import('bullmq');
    const queue = new Queue('deposit', {
      connection: { url: gw.config.redis.url },
      prefix: `${gw.config.redis.prefix}:bull`,
    });
    expect(await (await queue.getJob(failed.jobId!))!.getState()).toBe('failed');
    await queue.close();

    gw.sandbox!.setFaults({});
    expect((await fetch(`${gw.apiUrl}/api/submissions/${id}/replay`, { method: 'POST' })).status).toBe(202);
    await gw.waitFor(id, (s) => s.status === 'deposited');
    expect(copies(uid(doc))).toBe(1);
  });
});
