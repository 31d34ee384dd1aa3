/**
 * Fault injection of the sandbox DMP, deterministic (failNext, seeded
 * random): HTTP 500, SOAP Fault, registry busy, dropped connection,
 * commit-then-timeout (stored, never answered, released on close or after
 * the hang timeout), latency.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ACTIVE,
  fixtureDeposit,
  post,
  readAnswer,
  startTestSandbox,
  type TestSandbox,
} from '../../test/support/sandbox-client.ts';
import { getDocuments, td02 } from '../../test/support/sandbox-requests.ts';
import { parseRegistryResponse } from '../xds/registry-response.ts';
import { FaultInjector, parseFaults, seededRandom } from './faults.ts';

let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t.sandbox.close();
});
beforeEach(() => {
  t.sandbox.reset();
});

const outcomes = () => t.sandbox.trace().map((e) => e.outcome);

describe('injected faults on ITI-41', () => {
  it('failNext http500 ×2: two plain HTTP 500, then the deposit goes through', async () => {
    t.sandbox.setFaults({ failNext: [{ kind: 'http500', count: 2 }] });
    const d = fixtureDeposit(t);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(t, 'iti41', d.http)).status);
    expect(statuses).toEqual([500, 500, 200]);
    expect(outcomes()).toEqual(['http500', 'http500', 'success']);
    expect(t.sandbox.faults().failNext).toEqual([]);
  });

  it('soapFault: a Receiver SOAP Fault, nothing stored', async () => {
    t.sandbox.setFaults({ failNext: [{ kind: 'soapFault', count: 1 }] });
    const answer = await post(t, 'iti41', fixtureDeposit(t).http);
    expect(answer.status).toBe(500);
    expect(readAnswer(answer).envelope.fault?.code).toBe('Receiver');
    expect(t.sandbox.documents()).toEqual([]);
  });

  it('registryBusy: RegistryResponse Failure XDSRegistryBusy, nothing stored', async () => {
    t.sandbox.setFaults({ registryBusyPercent: 100 });
    const result = parseRegistryResponse(readAnswer(await post(t, 'iti41', fixtureDeposit(t).http)).body);
    expect(result.errors.map((e) => e.errorCode)).toEqual(['XDSRegistryBusy']);
    expect(t.sandbox.documents()).toEqual([]);
  });

  it('registryBusy on TD0.2 is a Receiver SOAP Fault', async () => {
    t.sandbox.setFaults({ failNext: [{ kind: 'registryBusy', count: 1, endpoint: 'td02' }] });
    const { envelope } = readAnswer(await post(t, 'td02', td02({ ...t, ins: ACTIVE })));
    expect(envelope.fault?.code).toBe('Receiver');
  });

  it('drop: the connection is closed without an answer, nothing stored', async () => {
    t.sandbox.setFaults({ failNext: [{ kind: 'drop', count: 1 }] });
    await expect(post(t, 'iti41', fixtureDeposit(t).http)).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(t.sandbox.documents()).toEqual([]);
    expect(outcomes()).toEqual(['dropped']);
  });

  it('commitThenTimeout: stored, never answered; ITI-18 then finds the document', async () => {
    t.sandbox.setFaults({ failNext: [{ kind: 'commitThenTimeout', count: 1, endpoint: 'iti41' }] });
    const started = Date.now();
    await expect(post(t, 'iti41', fixtureDeposit(t).http, { timeoutMs: 400 })).rejects.toThrow(
      'client timeout',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(t.sandbox.document('1.2.250.1.999.1.3.1001')?.status).toBe(
      'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved',
    );
    expect(outcomes()).toEqual(['noAnswer']);
    const found = readAnswer(
      await post(
        t,
        'iti18',
        getDocuments(
          { ...t, ins: ACTIVE },
          { uniqueIds: ['1.2.250.1.999.1.3.1001'], returnType: 'ObjectRef' },
        ),
      ),
    );
    expect(found.body).toContain(t.sandbox.document('1.2.250.1.999.1.3.1001')!.entryUUID);
  });

  it('latency delays the answer', async () => {
    t.sandbox.setFaults({ latencyMs: 300 });
    const started = Date.now();
    expect((await post(t, 'td02', td02({ ...t, ins: ACTIVE }))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('percentages apply only to the listed endpoints', async () => {
    t.sandbox.setFaults({ http500Percent: 100, endpoints: ['iti41'] });
    expect((await post(t, 'td02', td02({ ...t, ins: ACTIVE }))).status).toBe(200);
    expect((await post(t, 'iti41', fixtureDeposit(t).http)).status).toBe(500);
  });
});

describe('commit-then-timeout does not leak sockets', () => {
  it('a hung request is closed by the sandbox after hangTimeoutMs', async () => {
    const s = await startTestSandbox(
      { hangTimeoutMs: 300, faults: { commitThenTimeoutPercent: 100 } },
      t.pki,
    );
    try {
      const started = Date.now();
      await expect(post(s, 'iti41', fixtureDeposit(s).http, { timeoutMs: 10_000 })).rejects.toThrow(
        /socket hang up|ECONNRESET/,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(s.sandbox.documents()).toHaveLength(2);
    } finally {
      await s.sandbox.close();
    }
  });

  it('close() releases hung requests at once', async () => {
    const s = await startTestSandbox({ faults: { commitThenTimeoutPercent: 100 } }, t.pki);
    const pending = post(s, 'iti41', fixtureDeposit(s).http, { timeoutMs: 10_000 }).then(
      () => 'answered',
      (e: Error) => e.message,
    );
    while (s.sandbox.trace().length === 0) await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    await s.sandbox.close();
    expect(await pending).toMatch(/socket hang up|ECONNRESET/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('FaultInjector', () => {
  it('is deterministic with a seeded random source', () => {
    const draws = (seed: number) => {
      const f = new FaultInjector({ http500Percent: 30, dropPercent: 10 }, seededRandom(seed));
      return Array.from({ length: 200 }, () => f.draw('iti41') ?? 'none');
    };
    expect(draws(7)).toEqual(draws(7));
    expect(draws(7)).not.toEqual(draws(8));
    const counts: Record<string, number> = {};
    for (const k of draws(7)) counts[k] = (counts[k] ?? 0) + 1;
    expect(counts.drop).toBeGreaterThan(5);
    expect(counts.http500).toBeGreaterThan(30);
    expect(counts.none).toBeGreaterThan(100);
  });

  it('consumes failNext entries in order, per endpoint', () => {
    const f = new FaultInjector(
      {
        failNext: [
          { kind: 'drop', count: 1, endpoint: 'iti18' },
          { kind: 'http500', count: 2 },
        ],
      },
      () => 0.99,
    );
    expect([f.draw('iti41'), f.draw('iti18'), f.draw('iti41'), f.draw('iti41')]).toEqual([
      'http500',
      'drop',
      'http500',
      undefined,
    ]);
  });

  it('refuses bad settings', () => {
    expect(() => parseFaults({ http500Percent: 120 })).toThrow(/http500Percent/);
    expect(() => parseFaults({ failNext: [{ kind: 'explode', count: 1 }] })).toThrow(/failNext/);
    expect(() => parseFaults({ typo: 1 })).toThrow();
  });
});
