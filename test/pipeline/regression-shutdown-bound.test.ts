/**
 * Regression (found in review): the worker's close() is meant to wait at most
 * `queue.shutdownGraceMs` for in-flight jobs, then force-close. BullMQ's
 * `Worker.close(force)` returns the pending `closing` promise of the first,
 * non-forced call, so `worker.close(true)` in src/queue/worker.ts is a no-op:
 * shutdown waits for every in-flight DMP call, however long it takes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueueDeposit } from '../../src/queue/deposit-queue.ts';
import { startDepositWorker } from '../../src/queue/worker.ts';
import { blockingRedis } from '../../src/redis.ts';
import { type Harness, harness, scriptedDmp, silent, until } from '../support/harness.ts';
import { REDIS_URL } from '../support/redis.ts';

let h: Harness;
beforeAll(async () => {
  h = await harness({ shutdownGraceMs: 300, attempts: 1 });
});
afterAll(async () => {
  await h?.close();
});

it('worker close() returns within the grace period even when a DMP call does not end', async () => {
  let release: () => void = () => {};
  const dmp = scriptedDmp(
    () =>
      new Promise((resolve) => {
        release = () => resolve({ kind: 'success', response: {} });
      }),
  );
  const workerRedis = blockingRedis(REDIS_URL, silent, 'review');
  const worker = startDepositWorker(
    workerRedis,
    h.config,
    { store: h.store, dmp, depositEnv: h.depositEnv, log: silent },
    silent,
  );
  const { id } = await h.stored();
  await enqueueDeposit(h.queue, h.store, h.config, id);
  await until(() => dmp.calls.iti41 === 1);

  const started = Date.now();
  const closing = worker.close().then(() => 'closed' as const);
  const outcome = await Promise.race([
    closing,
    new Promise<'still waiting'>((r) => setTimeout(() => r('still waiting'), 4_000)),
  ]);
  const elapsed = Date.now() - started;
  release(); // let the stuck call end so the worker can close
  await closing;
  await workerRedis.quit();
  expect(outcome, `close() took more than ${elapsed} ms with a grace of 300 ms`).toBe('closed');
}, 30_000);
