/**
 * Regression (found in review): a submission the sender marked "not for the DMP"
 * (`Inbound.skip`, e.g. HL7 DESTDMP=N) is created `received` (open, no job)
 * and only then moved to `skipped` by a second write (src/intake/accept.ts).
 * If that second write fails (Redis blip) or the process dies in between,
 * the sender gets an error, yet the record stays `received` and
 * reconciliation enqueues it: the document goes to the DMP against the
 * sender's explicit instruction.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { acceptSubmission } from '../../src/intake/accept.ts';
import { reconcile } from '../../src/queue/reconcile.ts';
import { type Harness, harness, silent } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h?.close();
});

it('a skipped (DESTDMP=N) submission is stored terminal in one write: never open, never queued, in the outbox', async () => {
  const { submission } = await h.stored(); // only to get a valid canonical submission
  const accepted = await acceptSubmission(
    { store: h.store, queue: h.queue, config: h.config, log: silent },
    { source: 'hl7v2', submission, identity: `hl7v2:${Date.now()}`, contentHash: 'c', skip: 'DESTDMP=N' },
  );
  expect(accepted.kind).toBe('created');
  const stored = await h.store.get(accepted.id);
  expect(stored?.status).toBe('skipped');
  expect(stored?.timeline.map((e) => e.type)).toEqual(['received', 'skipped']);
  expect(await h.store.openIds(new Date(Date.now() + 60_000))).not.toContain(accepted.id);
  expect(await h.store.outbox()).toContain(accepted.id);

  await reconcile(h.queue, h.store, h.config, silent, new Date(Date.now() + 60_000));
  expect(await h.queue.getJob(accepted.id)).toBeUndefined();
  expect((await h.store.get(accepted.id))?.status).toBe('skipped');
});
