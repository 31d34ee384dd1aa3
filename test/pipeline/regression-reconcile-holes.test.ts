/**
 * Regression (found in review): a BullMQ job and its record disagree, and
 * reconciliation (src/queue/reconcile.ts) resolves it the wrong way.
 * 1. The payload is gone (or unreadable): processJob throws
 *    UnrecoverableError before any transition, the job is `failed` after one
 *    attempt while the record stays `queued`; reconciliation sees a failed
 *    job with attempts left and re-enqueues it, forever.
 * 2. The last attempt deposits the document but the `deposited` write fails
 *    (Redis blip; the worker's store uses the fail-fast client): the job
 *    fails with attempts exhausted, the record says `sending`, and
 *    reconciliation marks it `failed` without asking the DMP, which holds it.
 */
import { afterEach, expect, it } from 'vitest';
import { enqueueDeposit } from '../../src/queue/deposit-queue.ts';
import { reconcile } from '../../src/queue/reconcile.ts';
import { type DepositWorker, startDepositWorker } from '../../src/queue/worker.ts';
import { blockingRedis } from '../../src/redis.ts';
import { SubmissionStore, TERMINAL } from '../../src/store/records.ts';
import { type Harness, harness, scriptedDmp, silent, until } from '../support/harness.ts';
import { REDIS_URL } from '../support/redis.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function worker(h: Harness, store: SubmissionStore, dmp: ReturnType<typeof scriptedDmp>): DepositWorker {
  const connection = blockingRedis(REDIS_URL, silent, 'review');
  const w = startDepositWorker(
    connection,
    h.config,
    { store, dmp, depositEnv: h.depositEnv, log: silent },
    silent,
  );
  cleanups.push(async () => {
    await w.close();
    await connection.quit();
  });
  return w;
}

async function jobFailed(h: Harness, jobId: string): Promise<void> {
  await until(async () => (await (await h.queue.getJob(jobId))?.getState()) === 'failed', 15_000);
}

it('a record whose payload is missing ends terminal; reconciliation does not re-enqueue it', async () => {
  const h = await harness({ attempts: 3 });
  cleanups.push(() => h.close());
  const dmp = scriptedDmp(async () => ({ kind: 'success', response: {} }));
  worker(h, h.store, dmp);
  const { id } = await h.stored();
  await h.redis.del(`${h.store.prefix}:payload:${id}`);
  await enqueueDeposit(h.queue, h.store, h.config, id, { allowed: ['received'] });
  await jobFailed(h, id);

  await h.age(id);
  const requeued = await reconcile(h.queue, h.store, h.config, silent);
  const status = (await h.store.get(id))!.status;
  expect({ terminal: TERMINAL.has(status), requeued }).toEqual({ terminal: true, requeued: 0 });
}, 30_000);

/** The `deposited` write fails once, as it does during a Redis connection blip. */
class BlipOnDeposited extends SubmissionStore {
  blipped = false;
  override async transition(...args: Parameters<SubmissionStore['transition']>): Promise<boolean> {
    if (args[1] === 'deposited' && !this.blipped) {
      this.blipped = true;
      throw new Error("Stream isn't writeable and enableOfflineQueue options is false");
    }
    return super.transition(...args);
  }
}

it('last attempt deposited but not recorded: reconciliation does not call it failed', async () => {
  const h = await harness({ attempts: 1 });
  cleanups.push(() => h.close());
  const { id, submission } = await h.stored();
  const uniqueId = submission.documents[0]!.id.root;
  let inDmp = false;
  const dmp = scriptedDmp(
    async () => {
      inDmp = true;
      return { kind: 'success', response: {} };
    },
    () =>
      inDmp
        ? [
            {
              uniqueId,
              entryUUID: 'urn:uuid:1',
              status: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved',
            },
          ]
        : [],
  );
  const store = new BlipOnDeposited(h.redis, h.store.prefix, h.store.cipher);
  worker(h, store, dmp);
  await enqueueDeposit(h.queue, h.store, h.config, id, { allowed: ['received'] });
  await jobFailed(h, id);
  expect(inDmp).toBe(true);

  await h.age(id);
  await reconcile(h.queue, h.store, h.config, silent);
  const after = await h.store.get(id);
  expect(after!.status, 'the DMP holds the document, the record says failed').not.toBe('failed');
}, 30_000);
