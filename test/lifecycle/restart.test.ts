/**
 * Held submissions survive a restart (issue 6): their jobs wait in BullMQ's
 * delayed set, reconciliation leaves them alone (a delayed job is live),
 * and after the restart the event still releases the one waiting for it and
 * the other can still be cancelled.
 */
import { Queue } from 'bullmq';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Running, start } from '../../src/main.ts';
import { reconcile } from '../../src/queue/reconcile.ts';
import { loadPayloadKey, payloadCipher } from '../../src/store/crypto.ts';
import { SubmissionStore } from '../../src/store/records.ts';
import type { SubmissionView, TestGateway } from '../support/gateway.ts';
import { dropPrefix, testRedis } from '../support/redis.ts';
import { document, lifecycleGateway, post, uidOf } from './support.ts';

let gw: TestGateway;
let again: Running | undefined;
beforeAll(async () => {
  gw = await lifecycleGateway();
});
afterAll(async () => {
  await again?.stop();
  const redis = await testRedis();
  await dropPrefix(redis, gw.config.redis.prefix);
  redis.disconnect();
});

it('held and event-waiting submissions are still there after a restart, and still work', async () => {
  const lab = document('lab');
  const rcp = document('rcp');
  const labId = await post(gw, lab);
  const rcpId = await post(gw, rcp);
  const labHeld = await gw.waitFor(labId, (s) => s.status === 'held');
  await gw.waitFor(rcpId, (s) => s.status === 'held');
  await gw.stop();

  again = await start(new Set(['api', 'worker', 'sandbox']), gw.config, { log: pino({ level: 'silent' }) });
  const api = again.apiUrl!;
  const view = async (id: string) =>
    (await (await fetch(`${api}/api/submissions/${id}`)).json()) as SubmissionView;
  const redis = await testRedis();
  const store = new SubmissionStore(
    redis,
    gw.config.redis.prefix,
    payloadCipher(loadPayloadKey(undefined, gw.config.devPkiDir)),
  );
  const queue = new Queue('deposit', { connection: redis, prefix: `${gw.config.redis.prefix}:bull` });
  expect(
    await reconcile(queue, store, gw.config, pino({ level: 'silent' }), new Date(Date.now() + 60_000)),
  ).toBe(0);
  const after = await view(labId);
  expect(after.status).toBe('held');
  expect(after.holdUntil).toBe(labHeld.holdUntil);
  expect(after.jobId).toBe(labHeld.jobId);
  expect(await (await queue.getJob(after.jobId!))?.getState()).toBe('delayed');

  const event = await fetch(`${api}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'rcp-validated', documentUniqueId: uidOf(rcp) }),
  });
  expect(((await event.json()) as { released: string[] }).released).toEqual([rcpId]);
  const deadline = Date.now() + 10_000;
  while ((await view(rcpId)).status !== 'deposited' && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  expect((await view(rcpId)).status).toBe('deposited');
  expect(again.sandbox!.document(uidOf(rcp))).toBeDefined();

  const cancel = await fetch(`${api}/api/submissions/${labId}/cancel`, { method: 'POST' });
  expect(cancel.status).toBe(200);
  expect((await view(labId)).status).toBe('cancelled');
  await queue.close();
  redis.disconnect();
});
