/**
 * Redis down: intake answers 503 at once and acknowledges nothing; Redis back
 * (same data, append-only file): intake and deposits resume by themselves.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDocument, idFrom, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { type RedisServer, startRedisServer } from '../support/processes.ts';

let redis: RedisServer;
let gw: TestGateway;
beforeAll(async () => {
  redis = await startRedisServer();
  gw = await startTestGateway({ redis: { url: redis.url } });
});
afterAll(async () => {
  await gw?.stop();
  await redis?.stop();
});

async function healthy(): Promise<boolean> {
  return (await fetch(`${gw.apiUrl}/health`)).status === 200;
}

it('503 while Redis is down, nothing half-written; work resumes when it is back', async () => {
  const before = await gw.post(freshDocument());
  expect(before.status).toBe(202);
  await gw.waitFor(idFrom(before.location), (s) => s.status === 'deposited');

  await redis.stop();
  const during = await gw.post(freshDocument());
  expect(during.status).toBe(503);
  expect(during.location).toBeNull();
  expect(during.json).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'transient' }] });
  expect(await healthy()).toBe(false);

  await redis.start();
  const deadline = Date.now() + 15_000;
  while (!(await healthy()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(await healthy()).toBe(true);

  // the record accepted before the outage is still there, the refused one left nothing behind
  expect((await gw.status(idFrom(before.location))).status).toBe('deposited');
  const { Redis } = await import('ioredis');
  const probe = new Redis(redis.url);
  const records = (await probe.keys(`${gw.config.redis.prefix}:sub:*`)).filter((k) => !k.endsWith(':events'));
  probe.disconnect();
  expect(records).toHaveLength(1);
  // and new work flows again
  const after = await gw.post(freshDocument());
  expect(after.status).toBe(202);
  await gw.waitFor(idFrom(after.location), (s) => s.status === 'deposited', 30_000);
}, 60_000);
