/**
 * Settling the doubt on a newer version that ended `failed` after a request
 * that may have landed (src/queue/settle-landed.ts), against a scripted DMP:
 * compare-and-set on the record read (a replay in flight keeps its doubt; of
 * two versions settling it at once, one records it), and a version found in
 * the DMP hidden from the patient whose payload has expired says on its
 * record that its release could not be built.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LifecycleDeps } from '../../src/lifecycle/schedule.ts';
import { STATUS } from '../../src/model/vocabulary.ts';
import type { DmpPort, ProcessorDeps } from '../../src/queue/processor.ts';
import { settleMaybeLanded } from '../../src/queue/settle-landed.ts';
import { LifecycleState } from '../../src/store/lifecycle-state.ts';
import { type Harness, harness, lifecycleDeps, silent } from '../support/harness.ts';

let h: Harness;
let lifecycle: LifecycleDeps;
beforeAll(async () => {
  h = await harness();
  lifecycle = lifecycleDeps(h);
});
afterAll(async () => {
  await h?.close();
});

/** A stored record that ended `failed` after a request that may have landed, sent hidden from the patient. */
async function failedMaybeLanded() {
  const { id, submission } = await h.stored();
  const doc = submission.documents[0]!;
  await new LifecycleState(h.store).setSent(id, [
    {
      uniqueId: doc.id.root,
      flags: {
        hiddenFromPatient: true,
        hiddenFromLegalRepresentatives: false,
        maskedFromProfessionals: false,
      },
      secretConnection: false,
      releaseAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
      versionNumber: doc.versionNumber,
      entryUUID: doc.entryUUID,
    },
  ]);
  await h.store.markLanding(id);
  await h.store.transition(
    id,
    'failed',
    { type: 'failed', outcome: 'timeout' },
    { outcome: { reason: 'x' } },
  );
  const stored = await h.store.get(id);
  expect([stored?.status, stored?.mayHaveLanded]).toEqual(['failed', true]);
  return { id, submission, uid: doc.id.root };
}

function depsWith(findByUniqueId: DmpPort['findByUniqueId']): ProcessorDeps {
  return {
    store: h.store,
    dmp: {
      provideAndRegister: async () => ({ kind: 'success', response: {} }) as never,
      findByUniqueId,
      deleteDocument: async () => ({ kind: 'success', response: {} }) as never,
    },
    depositEnv: h.depositEnv,
    log: silent,
    lifecycle,
  };
}

it("an 'absent' answer does not wipe the landing flag of the rival's replay request now in flight", async () => {
  const { id, submission } = await failedMaybeLanded();
  // While this ITI-18 is on its way, an operator replays the rival (POST /replay): its job looks it up
  // (absent too), clears the doubt, and sends it again: markLanding, ITI-41 in flight.
  const deps = depsWith(async () => {
    const before = await h.store.get(id);
    const claim = await h.store.claimJob(id, {
      expectedJobId: before?.jobId,
      allowed: ['failed'],
      jobId: `${id}-r%n`,
      event: { type: 'replayed' },
      counter: 'replays',
    });
    expect(claim.ok).toBe(true);
    await h.store.transition(id, 'sending', { type: 'attempt', attempt: 1 });
    await h.store.clearLanding(id);
    await h.store.markLanding(id); // the replay's own ITI-41 is now unanswered
    return { outcome: { kind: 'success', response: {} } as never, documents: [] };
  });
  await settleMaybeLanded(deps, id, submission.patient);
  const after = await h.store.get(id);
  // The replay's request may land: its flag must survive (else a timeout, then a failed lookup, resends
  // it without ITI-18, or lets another version take the document over while it may be in the DMP).
  expect({ status: after?.status, mayHaveLanded: after?.mayHaveLanded }).toEqual({
    status: 'sending',
    mayHaveLanded: true,
  });
});

it('two versions settling the same rival at once record it deposited once (one recovered, one wake-up)', async () => {
  const { id, submission, uid } = await failedMaybeLanded();
  let gate!: () => void;
  const both = new Promise<void>((r) => {
    gate = r;
  });
  let waiting = 0;
  const deps = depsWith(async () => {
    if (++waiting === 2) gate();
    await both; // both waiters are past the status check before either transitions
    return {
      outcome: { kind: 'success', response: {} } as never,
      documents: [{ uniqueId: uid, entryUUID: 'urn:uuid:x', status: STATUS.approved }],
    };
  });
  const results = await Promise.all([
    settleMaybeLanded(deps, id, submission.patient),
    settleMaybeLanded(deps, id, submission.patient),
  ]);
  expect(results).toEqual(['landed', 'landed']);
  const after = await h.store.get(id);
  const recovered = after!.timeline.filter((e) => e.type === 'recovered').length;
  expect({ status: after?.status, recovered }).toEqual({ status: 'deposited', recovered: 1 });
});

it('a rival found in the DMP hidden from the patient, whose payload expired, does not silently lose its release', async () => {
  const { id, submission, uid } = await failedMaybeLanded();
  await h.redis.del(`${h.store.prefix}:payload:${id}`); // retention period over
  const deps = depsWith(async () => ({
    outcome: { kind: 'success', response: {} } as never,
    documents: [{ uniqueId: uid, entryUUID: 'urn:uuid:x', status: STATUS.approved }],
  }));
  const landing = await settleMaybeLanded(deps, id, submission.patient);
  const after = await h.store.get(id);
  const releaseScheduled = (await h.redis.get(`${h.store.prefix}:idem:release:${uid}`)) !== null;
  const flagged = after!.timeline.some((e) => /release/i.test(`${e.outcome ?? ''} ${e.detail ?? ''}`));
  // It is in the DMP with INVISIBLE_PATIENT: either its release is scheduled, or the record says that it
  // could not be (an operator must act), rather than a plain "deposited" and a document hidden for good.
  expect(
    { landing, status: after?.status, releaseScheduledOrFlagged: releaseScheduled || flagged },
    JSON.stringify(after!.timeline),
  ).toEqual({ landing: 'landed', status: 'deposited', releaseScheduledOrFlagged: true });
});
