/**
 * A ready-made CDA (N3) keeps its bytes, so its versionNumber is the
 * sender's: when the version it replaces went to the DMP with a higher
 * number (it followed the gateway's release), an N3 numbered at or below the
 * version the DMP holds is not deposited (900, its sender must renumber it).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cdaN3 } from '../../fixtures/hl7v2/cda.ts';
import type { LifecycleDeps } from '../../src/lifecycle/schedule.ts';
import type { Submission } from '../../src/model/types.ts';
import { type ProcessorDeps, processJob } from '../../src/queue/processor.ts';
import { recordOf } from '../../src/store/identity.ts';
import { LifecycleState } from '../../src/store/lifecycle-state.ts';
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

it('a ready-made CDA numbered at or below the version the DMP holds is not deposited', async () => {
  // The sender's v2 (record versionNumber 2) went as version 3: it followed the gateway's release (v2).
  const { submission: base } = await h.stored();
  const v2Doc = { ...base.documents[0]!, versionNumber: 2 };
  const v2: Submission = { ...base, documents: [v2Doc] };
  const v2Id = randomUUID();
  await h.store.create(recordOf(v2Id, 'hl7v2', v2, `hl7v2:${v2Id}`, 'h2', new Date()), v2, new Date());
  await h.store.transition(v2Id, 'deposited');
  await new LifecycleState(h.store).setSent(v2Id, [
    {
      uniqueId: v2Doc.id.root,
      flags: {
        hiddenFromPatient: false,
        hiddenFromLegalRepresentatives: false,
        maskedFromProfessionals: false,
      },
      secretConnection: false,
      versionNumber: 3,
      entryUUID: v2Doc.entryUUID,
      replaces: { uniqueId: '1.2.250.1.999.8.1', entryUUID: `urn:uuid:${randomUUID()}` },
    },
  ]);

  // The sender's next version, a ready-made CDA numbered from its own v2: versionNumber 3.
  const uid = `1.2.250.1.999.8.${Date.now()}`;
  const bytes = cdaN3({ id: uid, setId: v2Doc.setId.root, version: 3, replaces: v2Doc.id.root });
  const n3: Submission = {
    ...base,
    documents: [
      {
        ...v2Doc,
        id: { root: uid },
        entryUUID: `urn:uuid:${randomUUID()}`,
        versionNumber: 3,
        replaces: { uniqueId: v2Doc.id.root, cdaId: { root: v2Doc.id.root } },
        content: { kind: 'cda', bytes },
      },
    ],
  };
  const n3Id = randomUUID();
  await h.store.create(recordOf(n3Id, 'hl7v2', n3, `hl7v2:${n3Id}`, 'h3', new Date()), n3, new Date());

  const dmp = scriptedDmp(async () => ({ kind: 'success', response: {} }) as never);
  const deps: ProcessorDeps = {
    store: h.store,
    dmp: {
      ...dmp,
      provideAndRegister: (d) => dmp.provideAndRegister(d),
    },
    depositEnv: h.depositEnv,
    log: silent,
    lifecycle,
  };
  const result = await processJob(n3Id, { number: 1, max: 1 }, deps).catch((err: Error) => err.message);
  const stored = await h.store.get(n3Id);
  // Either not sent at all, or sent above version 3 (impossible for bytes the gateway does not rewrite).
  expect(
    { iti41: dmp.calls.iti41, status: stored?.status },
    `result ${String(result)}; recorded as sent: versionNumber ${stored?.sent?.[0]?.versionNumber} over a version 3`,
  ).toEqual({ iti41: 0, status: 'rejected' });
});
