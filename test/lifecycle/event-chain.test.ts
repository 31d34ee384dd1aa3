/**
 * Events over the version chain (src/lifecycle/chain.ts), on records A ← B ← C (each replacing the one
 * before): an event naming a middle version counts for it, every earlier and every later one, and wakes
 * the submissions waiting on any of them; one naming another document counts for none.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { earlierVersions, hasEventOnChain, waitOnChain } from '../../src/lifecycle/chain.ts';
import { receiveEvent } from '../../src/lifecycle/events.ts';
import type { LifecycleDeps } from '../../src/lifecycle/schedule.ts';
import type { Submission } from '../../src/model/types.ts';
import { recordOf } from '../../src/store/identity.ts';
import { type Harness, harness, lifecycleDeps } from '../support/harness.ts';

let h: Harness;
let deps: LifecycleDeps;
beforeAll(async () => {
  h = await harness();
  deps = lifecycleDeps(h);
});
afterAll(async () => {
  await h?.close();
});

/** Stores a version of a document (uniqueId `uid`) replacing `previous`; answers the record id. */
async function version(template: Submission, uid: string, previous?: string): Promise<string> {
  const doc = template.documents[0]!;
  const submission: Submission = {
    ...template,
    documents: [
      {
        ...doc,
        id: { root: uid },
        ...(previous && { replaces: { uniqueId: previous, cdaId: { root: previous } } }),
      },
    ],
  };
  const id = randomUUID();
  await h.store.create(
    recordOf(id, 'fhir', submission, `test:${id}`, 'h', new Date()),
    submission,
    new Date(),
  );
  return id;
}

it('an event naming a middle version counts for the whole chain and wakes its waiters', async () => {
  const { submission } = await h.stored();
  const base = `1.2.250.1.999.8.${Date.now()}`;
  const [a, b, c, other] = ['1', '2', '3', '4'].map((n) => `${base}.${n}`) as [
    string,
    string,
    string,
    string,
  ];
  await version(submission, a);
  await version(submission, b, a);
  const cId = await version(submission, c, b);
  expect(await earlierVersions(h.store, c)).toEqual([c, b, a]);

  // C is held (its job delayed), waiting for the announcement on its chain.
  await h.store.claimJob(cId, { allowed: ['received'], jobId: cId, event: { type: 'queued' } });
  await h.queue.add('deposit', { submissionId: cId }, { jobId: cId, delay: 600_000 });
  await waitOnChain(deps, 'event:announcement', c, cId);
  expect(await deps.facts.waiters('event:announcement', a)).toContain(cId);
  expect(await hasEventOnChain(deps, 'announcement', [c])).toBe(false);

  const result = await receiveEvent(deps, { type: 'announcement', documentUniqueId: b });
  expect(result).toEqual({ known: true, released: [cId] });
  expect(await (await h.queue.getJob(cId))?.getState()).not.toBe('delayed');
  for (const uid of [a, b, c]) expect(await hasEventOnChain(deps, 'announcement', [uid])).toBe(true);
  expect(await hasEventOnChain(deps, 'announcement', [other])).toBe(false);
  expect(await hasEventOnChain(deps, 'rcp-validated', [c])).toBe(false);
});
