/**
 * A newer version that ended `failed` after a request that may have reached
 * the DMP holds its document (src/lifecycle/facts.ts): nothing goes over it
 * until it is known. The version that meets it looks it up by ITI-18 (the
 * same patient), and never sends it again on its own: found, it is recorded
 * `deposited` (`recovered`), its releases scheduled, its sender told; absent,
 * its doubt is cleared and it stays `failed`, and the document is free.
 */
import { scheduleReleases } from '../lifecycle/schedule.ts';
import type { Patient } from '../model/types.ts';
import { STATUS } from '../model/vocabulary.ts';
import { submissionAsSent } from '../store/sent-version.ts';
import { type ProcessorDeps, settle } from './attempt.ts';

export type Landing = 'landed' | 'absent' | 'unknown';

/** Settles the doubt on the failed record `id` for a later version about the same `patient`. */
export async function settleMaybeLanded(deps: ProcessorDeps, id: string, patient: Patient): Promise<Landing> {
  const rival = await deps.store.get(id);
  if (rival?.status !== 'failed' || !rival.mayHaveLanded) return 'absent';
  for (const doc of rival.record.documents) {
    const found = await deps.dmp.findByUniqueId(patient, doc.uniqueId);
    if (found.outcome.kind !== 'success') return 'unknown';
    if (!found.documents.some((d) => d.uniqueId === doc.uniqueId && d.status === STATUS.approved)) {
      await deps.store.clearLanding(id);
      return 'absent';
    }
  }
  const payload = await deps.store.payload(id);
  if (deps.lifecycle && rival.sent && payload && !('kind' in payload))
    await scheduleReleases(
      { ...deps.lifecycle, store: deps.store, log: deps.log },
      { id, source: rival.record.source, submission: submissionAsSent(payload, rival.sent) },
      rival.sent,
    );
  await deps.store.transition(
    id,
    'deposited',
    { type: 'recovered', outcome: 'found in the DMP (ITI-18) when a later version came' },
    { outcome: {}, force: true },
  );
  await settle(deps, id);
  return 'landed';
}
