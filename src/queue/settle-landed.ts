/**
 * A newer version that ended `failed` after a request that may have reached
 * the DMP holds its document (src/lifecycle/facts.ts): nothing goes over it
 * until it is known. The version that meets it looks it up by ITI-18 (the
 * same patient), and never sends it again on its own: found, it is recorded
 * `deposited` (`recovered`), its releases scheduled, its sender told; absent,
 * its doubt is cleared and it stays `failed`, and the document is free. Both
 * only while it is still the record read (src/store/scripts.ts
 * SETTLE_LANDING): a replay started meanwhile keeps its own doubt, and of two
 * versions settling it at once one does.
 */
import { scheduleReleases } from '../lifecycle/schedule.ts';
import type { Patient } from '../model/types.ts';
import { STATUS } from '../model/vocabulary.ts';
import { LifecycleState } from '../store/lifecycle-state.ts';
import type { StoredSubmission } from '../store/records.ts';
import { submissionAsSent } from '../store/sent-version.ts';
import { type ProcessorDeps, settle } from './attempt.ts';

export type Landing = 'landed' | 'absent' | 'unknown';

/** Whether every document of the record is in the DMP; undefined when ITI-18 could not say. */
async function found(
  deps: ProcessorDeps,
  rival: StoredSubmission,
  patient: Patient,
): Promise<boolean | undefined> {
  for (const doc of rival.record.documents) {
    const answer = await deps.dmp.findByUniqueId(patient, doc.uniqueId);
    if (answer.outcome.kind !== 'success') return undefined;
    if (!answer.documents.some((d) => d.uniqueId === doc.uniqueId && d.status === STATUS.approved))
      return false;
  }
  return true;
}

/** Schedules the releases of a rival found in the DMP, or says on its record why it cannot. */
async function releasesOf(deps: ProcessorDeps, id: string, rival: StoredSubmission): Promise<void> {
  if (!deps.lifecycle || !rival.sent) return;
  const payload = await deps.store.payload(id);
  if (payload && !('kind' in payload)) {
    await scheduleReleases(
      { ...deps.lifecycle, store: deps.store, log: deps.log },
      { id, source: rival.record.source, submission: submissionAsSent(payload, rival.sent) },
      rival.sent,
    );
    return;
  }
  if (!rival.sent.some((s) => s.flags.hiddenFromPatient)) return;
  const detail =
    'no release: the document is no longer kept (retention over); its sender must send a new version without INVISIBLE_PATIENT';
  deps.log.warn({ submission: id }, detail);
  await deps.store.appendEvent(id, { type: 'scheduled', detail });
}

/** Settles the doubt on the failed record `id` for a later version about the same `patient`. */
export async function settleMaybeLanded(deps: ProcessorDeps, id: string, patient: Patient): Promise<Landing> {
  const rival = await deps.store.get(id);
  if (rival?.status !== 'failed' || !rival.mayHaveLanded) return 'absent';
  const state = new LifecycleState(deps.store);
  const landed = await found(deps, rival, patient);
  if (landed === undefined) return 'unknown';
  if (!landed) {
    await state.settleLanding(id, rival.jobId, 'absent', { type: 'reconciled' });
    return 'absent';
  }
  await releasesOf(deps, id, rival);
  const won = await state.settleLanding(id, rival.jobId, 'landed', {
    type: 'recovered',
    outcome: 'found in the DMP (ITI-18) when a later version came',
  });
  if (won) await settle(deps, id);
  return 'landed';
}
