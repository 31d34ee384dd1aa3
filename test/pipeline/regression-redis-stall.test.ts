/**
 * Regression (found in review): the intake Redis client (src/redis.ts failFastRedis)
 * fails fast only when the connection is known to be down. A Redis that
 * stops answering on an open connection (stalled server, network partition
 * without RST, a long fork/AOF stall) makes every command wait forever: no
 * `commandTimeout`, so `POST /fhir/DocumentReference` and `GET /health` hang
 * instead of answering 503. Simulated with SIGSTOP on a private redis-server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDocument, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { freePort, stopped } from '../support/processes.ts';

let server: ChildProcess;
let gw: TestGateway;
let url: string;

beforeAll(async () => {
  const port = await freePort();
  url = `redis://127.0.0.1:${port}`;
  server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', ''], {
    stdio: 'ignore',
  });
  const probe = new Redis(url, { retryStrategy: () => 50 });
  probe.on('error', () => {});
  await probe.ping();
  probe.disconnect();
  gw = await startTestGateway({ redis: { url } }, ['api']);
}, 60_000);

afterAll(async () => {
  server?.kill('SIGCONT');
  await gw?.stop();
  server?.kill('SIGTERM');
  if (server) await stopped(server);
});

it('a stalled Redis gives 503 within a bounded time, not a hanging request', async () => {
  server.kill('SIGSTOP');
  const answer = await fetch(`${gw.apiUrl}/fhir/DocumentReference`, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify(freshDocument()),
    signal: AbortSignal.timeout(8_000),
  }).then(
    (res) => res.status,
    (err: Error) => `no answer after 8 s (${err.name})`,
  );
  server.kill('SIGCONT');
  expect(answer).toBe(503);
}, 30_000);
