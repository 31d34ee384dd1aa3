/**
 * Predecessors the gateway does not hold, and documents it cannot re-version
 * (one processor attempt against a scripted DMP, real Redis):
 * - a replacement whose predecessor is unknown locally gets its entryUUID
 *   from ITI-18 (the RPLC association names it); absent from the DMP → 900;
 * - a ready-made CDA (N3) cannot be re-versioned by the gateway: a
 *   visibility change is refused and a due release ends
 *   `release-needs-sender` (its sender must send the new version).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Deposit } from '../../src/deposit/build-deposit.ts';
import { changeVisibility } from '../../src/lifecycle/change.ts';
import { createReplacement, type LifecycleDeps } from '../../src/lifecycle/schedule.ts';
import type { Submission } from '../../src/model/types.ts';
import { STATUS } from '../../src/model/vocabulary.ts';
import { type ProcessorDeps, processJob } from '../../src/queue/processor.ts';
import { encodeSubmission } from '../../src/store/codec.ts';
import { recordOf } from '../../src/store/identity.ts';
import { type Harness, harness, lifecycleDeps, scriptedDmp, silent } from '../support/harness.ts';

let h: Harness;
let lifecycle: LifecycleDeps;
beforeAll(async () => {
  h = await harness();
  lifecycle = lifecycleDeps(h);
});
afterAll(async () => {
  await h?.close();
});

const FOUND = { uniqueId: '', entryUUID: `urn:uuid:${randomUUID()}`, status: STATUS.approved };

async function attempt(id: string, found: readonly (typeof FOUND)[]) {
  let sent: Deposit | undefined;
  const dmp = scriptedDmp(
    async () => ({ kind: 'success', response: {} }) as never,
    () => found,
  );
  const deps: ProcessorDeps = {
    store: h.store,
    dmp: {
      ...dmp,
      provideAndRegister: (d) => {
        sent = d;
        return dmp.provideAndRegister(d);
      },
    },
    depositEnv: h.depositEnv,
    log: silent,
    lifecycle,
  };
  const result = await processJob(id, { number: 1, max: 1 }, deps).catch((err: Error) => err.message);
  return { result, sent, calls: dmp.calls };
}

/** A stored replacement of `uniqueId`, a document this gateway never saw. */
async function storedReplacementOf(uniqueId: string): Promise<string> {
  const { submission } = await h.stored();
  const doc = submission.documents[0]!;
  const replacing: Submission = {
    ...submission,
    documents: [{ ...doc, versionNumber: 2, replaces: { uniqueId, cdaId: { root: uniqueId } } }],
  };
  const id = randomUUID();
  await h.store.create(
    recordOf(id, 'hl7v2', replacing, `hl7v2:${id}`, 'h', new Date()),
    replacing,
    new Date(),
  );
  return id;
}

it('an unknown predecessor found by ITI-18: the RPLC association names its entryUUID', async () => {
  const uid = `1.2.250.1.999.9.${Date.now()}`;
  const id = await storedReplacementOf(uid);
  const found = { ...FOUND, uniqueId: uid };
  const { result, sent } = await attempt(id, [found]);
  expect(result).toBe('deposited');
  expect(sent!.envelope).toMatch(
    new RegExp(
      `associationType="urn:ihe:iti:2007:AssociationType:RPLC"[^>]*targetObject="${found.entryUUID}"|targetObject="${found.entryUUID}"[^>]*associationType="urn:ihe:iti:2007:AssociationType:RPLC"`,
    ),
  );
});

it('an unknown predecessor absent from the DMP: rejected with 900, nothing sent', async () => {
  const id = await storedReplacementOf(`1.2.250.1.999.9.${Date.now()}1`);
  const { result, calls } = await attempt(id, []);
  expect(result).toMatch(/rejected: 900/);
  expect(calls.iti41).toBe(0);
  expect((await h.store.get(id))?.outcome?.errors?.[0]?.errorCode).toBe('900');
});

it('a ready-made CDA: visibility change refused, a due release ends release-needs-sender', async () => {
  const { id, submission } = await h.stored();
  await h.store.transition(id, 'deposited');
  const n3: Submission = {
    ...submission,
    documents: [
      { ...submission.documents[0]!, content: { kind: 'cda', bytes: new TextEncoder().encode('<x/>') } },
    ],
  };
  await h.redis.set(`${h.store.prefix}:payload:${id}`, h.store.cipher.encrypt(encodeSubmission(n3), id));
  const uid = n3.documents[0]!.id.root;
  const change = await changeVisibility(lifecycle, id, {
    flags: (current) => ({ ...current, maskedFromProfessionals: true }),
  });
  expect(change).toEqual(
    expect.objectContaining({ kind: 'refused', status: 409, code: 'release-needs-sender' }),
  );

  const release = await createReplacement(lifecycle, {
    tag: { kind: 'release', replaces: uid, holdUntil: new Date(Date.now() - 1000).toISOString() },
    originalId: id,
    source: 'fhir',
    original: n3,
    entryUUID: n3.documents[0]!.entryUUID,
    visibility: {
      hiddenFromPatient: false,
      hiddenFromLegalRepresentatives: false,
      maskedFromProfessionals: false,
    },
  });
  expect(release?.kind).toBe('created');
  const { result, calls } = await attempt(release!.id, []);
  expect(result).toMatch(/rejected: release-needs-sender/);
  expect(calls.iti41).toBe(0);
});
