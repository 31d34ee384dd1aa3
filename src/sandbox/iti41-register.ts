/**
 * Registration of a checked ITI-41 submission, with the registry rules of
 * the IHE reference registry (NIST XDS toolkit; ITI TF-3 Table 4.2.4.1-2):
 * a document whose uniqueId is already registered with the same hash is
 * accepted without a second copy, with another hash it is
 * `XDSNonIdenticalHash`; an RPLC target must exist and be Approved
 * (`XDSRegistryError`) and belong to the same patient; the replaced entry
 * becomes Deprecated (ITI TF-3 §4.2.2.2.3). Symbolic ids get UUIDs.
 */
import { randomUUID } from 'node:crypto';
import { STATUS, XDS } from '../model/vocabulary.ts';
import { sameIns } from '../xds/cx.ts';
import { externalId, type RimObject } from '../xds/ebrim-reader.ts';
import { type RegistryErrors, rimLocation, XDS_ERROR } from '../xds/registry-errors.ts';
import type { CheckedEntry, CheckedSubmission } from './iti41-checks.ts';
import type { RegistryStore, StoredEntry } from './registry-store.ts';

const UUID_ID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What to register: the new entries (duplicates left out) and the RPLC targets. */
export interface RegistrationPlan {
  readonly submission: CheckedSubmission;
  readonly entries: readonly CheckedEntry[];
  readonly replaced: ReadonlyMap<string, StoredEntry>;
}

/** Applies the registry rules; adds errors, or returns what to register (possibly nothing). */
export function planRegistration(
  submission: CheckedSubmission,
  store: RegistryStore,
  errors: RegistryErrors,
): RegistrationPlan | undefined {
  const fresh: CheckedEntry[] = [];
  for (const entry of submission.entries) {
    const existing = store.byUniqueId(entry.uniqueId);
    const where = rimLocation('ExtrinsicObject', entry.rim.id);
    if (!existing) fresh.push(entry);
    else if (existing.hash !== entry.hash) {
      errors.add(
        XDS_ERROR.nonIdenticalHash,
        `uniqueId ${entry.uniqueId} is registered with another hash`,
        where,
      );
    }
  }
  // A resent deposit: every document is already there, so its (new) signature entry is not kept either.
  const entries = fresh.some((e) => e.kind === 'document') ? fresh : [];
  const replaced = new Map<string, StoredEntry>();
  for (const entry of entries) {
    const where = rimLocation('ExtrinsicObject', entry.rim.id);
    const id = entry.rim.id as string;
    if (UUID_ID.test(id) && store.byEntryUUID(id)) {
      errors.add(XDS_ERROR.registryMetadataError, `entryUUID ${id} is already registered`, where);
    }
    const targetId = submission.replacements.get(id);
    if (targetId === undefined) continue;
    const target = store.byEntryUUID(targetId);
    if (target?.kind !== 'document') {
      errors.add(
        XDS_ERROR.registryError,
        `RPLC: the replaced entry ${targetId} is not in the registry`,
        where,
      );
    } else if (target.status !== STATUS.approved) {
      errors.add(XDS_ERROR.registryError, `RPLC: the replaced entry ${targetId} is not Approved`, where);
    } else if (!sameIns(target.ins, submission.ins)) {
      errors.add(
        XDS_ERROR.patientIdDoesNotMatch,
        `RPLC: the replaced entry ${targetId} belongs to another patient`,
        where,
      );
    } else replaced.set(id, target);
  }
  const ssUniqueId = externalId(submission.submissionSet, XDS.submissionSet.uniqueId) ?? '';
  if (entries.length > 0 && store.hasSubmissionSet(ssUniqueId)) {
    errors.add(
      XDS_ERROR.registryMetadataError,
      `submission set uniqueId ${ssUniqueId} is already registered`,
      rimLocation('RegistryPackage', submission.submissionSet.id),
    );
  }
  return errors.empty ? { submission, entries, replaced } : undefined;
}

/** The object with its ids (and the ids it refers to) resolved through `ids`; symbolic part ids get UUIDs. */
function resolveIds(rim: RimObject, ids: ReadonlyMap<string, string>): RimObject {
  const resolve = (id: string | undefined) => (id === undefined ? undefined : (ids.get(id) ?? id));
  const part = (id: string | undefined) => (id && UUID_ID.test(id) ? id : `urn:uuid:${randomUUID()}`);
  return {
    ...rim,
    id: resolve(rim.id),
    classifications: rim.classifications.map((c) => ({
      ...c,
      id: part(c.id),
      classifiedObject: resolve(c.classifiedObject),
    })),
    externalIdentifiers: rim.externalIdentifiers.map((e) => ({
      ...e,
      id: part(e.id),
      registryObject: resolve(e.registryObject),
    })),
  };
}

/** Registers a plan: Approved entries, RPLC targets Deprecated and linked. Returns the stored entries. */
export function register(
  plan: RegistrationPlan,
  store: RegistryStore,
  depositorStructureId: string,
  at: string,
): StoredEntry[] {
  const { submission } = plan;
  const ids = new Map<string, string>();
  for (const id of [submission.submissionSet.id, ...plan.entries.map((e) => e.rim.id)]) {
    if (id && !UUID_ID.test(id)) ids.set(id, `urn:uuid:${randomUUID()}`);
  }
  const ss = submission.submissionSet;
  const submissionSet = {
    entryUUID: ids.get(ss.id as string) ?? (ss.id as string),
    uniqueId: externalId(ss, XDS.submissionSet.uniqueId) ?? '',
    sourceId: externalId(ss, XDS.submissionSet.sourceId),
    submissionTime: ss.slots.find((s) => s.name === 'submissionTime')?.values[0],
  };
  const stored = plan.entries.map((e): StoredEntry => {
    const rim = resolveIds(e.rim, ids);
    return {
      entryUUID: rim.id as string,
      uniqueId: e.uniqueId,
      kind: e.kind,
      patientId: submission.patientId,
      ins: submission.ins,
      rim,
      hash: e.hash,
      size: e.bytes.length,
      content: e.bytes,
      submissionSet,
      depositorStructureId,
      storedAt: at,
      status: STATUS.approved,
      updatedAt: at,
    };
  });
  store.add(stored);
  for (const [sourceId, target] of plan.replaced) {
    const replacement = stored.find((s) => s.entryUUID === (ids.get(sourceId) ?? sourceId));
    if (!replacement) continue;
    store.setStatus(target.entryUUID, STATUS.deprecated, at);
    store.link(replacement, target, at);
  }
  return stored;
}
