/**
 * Crash recovery: a worker process is killed with SIGKILL while deposits are
 * in flight; a new worker process takes the jobs over once their locks lapse,
 * and every accepted document ends deposited exactly once in the sandbox DMP.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDocument, idFrom, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { startGatewayProcess, stopped } from '../support/processes.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ queue: { lockDurationMs: 1_500 } }, ['api', 'sandbox']);
});
afterAll(async () => {
  await gw?.close();
});

function workerConfig() {
  const e = gw.sandbox!.endpoints;
  return {
    ...gw.config,
    sandbox: { ...gw.config.sandbox, enabled: false },
    dmp: { ...gw.config.dmp, iti41Url: e.iti41, iti18Url: e.iti18, iti57Url: e.iti57, td02Url: e.td02 },
  };
}

it('SIGKILL of a worker with jobs in flight: every accepted document deposited exactly once', async () => {
  gw.sandbox!.setFaults({ latencyMs: 300 });
  const docs = Array.from({ length: 16 }, () => freshDocument());
  const ids: string[] = [];
  for (const doc of docs) {
    const res = await gw.post(doc);
    expect(res.status).toBe(202);
    ids.push(idFrom(res.location));
  }

  const first = startGatewayProcess(workerConfig(), 'worker');
  // wait until deposits are in flight in the sandbox, then kill the worker without warning
  const deadline = Date.now() + 20_000;
  while (gw.sandbox!.trace().filter((t) => t.endpoint === 'iti41').length < 3 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  first.kill('SIGKILL');
  await stopped(first);
  const statuses = await Promise.all(ids.map((id) => gw.status(id)));
  expect(statuses.filter((s) => s.status === 'deposited').length).toBeLessThan(ids.length); // work was left over

  const second = startGatewayProcess(workerConfig(), 'worker');
  try {
    for (const id of ids) await gw.waitFor(id, (s) => s.status === 'deposited', 45_000);
  } finally {
    second.kill('SIGTERM');
    await stopped(second);
  }
  const stored = gw.sandbox!.documents();
  const trace = gw.sandbox!.trace();
  for (const doc of docs) {
    const uniqueId = doc.masterIdentifier.value.slice(8);
    expect(stored.filter((d) => d.uniqueId === uniqueId)).toHaveLength(1);
    // and the gateway never sent it again after a success (the sandbox would hide an identical resend)
    expect(
      trace.filter((t) => t.endpoint === 'iti41' && t.acceptedUniqueIds?.includes(uniqueId)),
    ).toHaveLength(1);
  }
}, 90_000);
