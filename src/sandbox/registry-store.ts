/**
 * The sandbox DMP's registry and repository, in memory: document entries
 * with their ebRIM metadata (as registered, ids resolved to UUIDs), their
 * bytes, availability status and replacement links (ITI TF-3 §4.2.2.2.3
 * RPLC: the replaced entry becomes Deprecated; ITI-57: the DMP's Deleted).
 */
import { SLOT, XDS } from '../model/vocabulary.ts';
import {
  classificationsIn,
  type RimClassification,
  type RimObject,
  slotValues,
} from '../xds/ebrim-reader.ts';
import type { CodeView, InsId, SandboxDocument } from './types.ts';

/** The submission set an entry was registered with. */
export interface StoredSubmissionSet {
  readonly entryUUID: string;
  readonly uniqueId: string;
  readonly sourceId?: string;
  readonly submissionTime?: string;
}

/** One registered entry (document or signature) and its bytes. */
export interface StoredEntry {
  readonly entryUUID: string;
  readonly uniqueId: string;
  readonly kind: 'document' | 'signature';
  readonly patientId: string;
  readonly ins: InsId;
  /** The ExtrinsicObject as registered (ids are UUIDs), without status. */
  readonly rim: RimObject;
  readonly hash: string;
  readonly size: number;
  readonly content: Buffer;
  readonly submissionSet: StoredSubmissionSet;
  readonly depositorStructureId: string;
  readonly storedAt: string;
  status: string;
  updatedAt: string;
  replaces?: string;
  replacedBy?: string;
}

function code(c: RimClassification | undefined): CodeView | undefined {
  if (!c?.nodeRepresentation) return undefined;
  return { code: c.nodeRepresentation, codeSystem: slotValues(c, SLOT.codingScheme)[0], displayName: c.name };
}

function codeIn(rim: RimObject, scheme: string): CodeView | undefined {
  return code(classificationsIn(rim, scheme)[0]);
}

/** The admin view of an entry (metadata; the bytes only with `withContent`). */
export function documentView(entry: StoredEntry, withContent = false): SandboxDocument {
  const s = XDS.documentEntry;
  const { rim } = entry;
  return {
    entryUUID: entry.entryUUID,
    uniqueId: entry.uniqueId,
    kind: entry.kind,
    patientId: entry.patientId,
    status: entry.status,
    mimeType: rim.mimeType,
    title: rim.name,
    typeCode: codeIn(rim, s.typeCode),
    classCode: codeIn(rim, s.classCode),
    formatCode: codeIn(rim, s.formatCode),
    healthcareFacilityTypeCode: codeIn(rim, s.healthcareFacilityTypeCode),
    practiceSettingCode: codeIn(rim, s.practiceSettingCode),
    confidentialityCodes: classificationsIn(rim, s.confidentialityCode).flatMap((c) => code(c) ?? []),
    creationTime: slotValues(rim, SLOT.creationTime)[0],
    hash: entry.hash,
    size: entry.size,
    submissionSet: entry.submissionSet,
    depositorStructureId: entry.depositorStructureId,
    storedAt: entry.storedAt,
    updatedAt: entry.updatedAt,
    ...(entry.replaces && { replaces: entry.replaces }),
    ...(entry.replacedBy && { replacedBy: entry.replacedBy }),
    ...(withContent && { contentBase64: entry.content.toString('base64') }),
  };
}

export class RegistryStore {
  readonly #byEntryUUID = new Map<string, StoredEntry>();
  readonly #byUniqueId = new Map<string, StoredEntry>();
  readonly #submissionSets = new Set<string>();

  byEntryUUID(entryUUID: string): StoredEntry | undefined {
    return this.#byEntryUUID.get(entryUUID);
  }

  byUniqueId(uniqueId: string): StoredEntry | undefined {
    return this.#byUniqueId.get(uniqueId);
  }

  hasSubmissionSet(uniqueId: string): boolean {
    return this.#submissionSets.has(uniqueId);
  }

  list(): StoredEntry[] {
    return [...this.#byEntryUUID.values()];
  }

  /** Registers the entries of one submission set at once; ids must be free (checked by the caller). */
  add(entries: readonly StoredEntry[]): void {
    for (const entry of entries) {
      if (this.#byEntryUUID.has(entry.entryUUID) || this.#byUniqueId.has(entry.uniqueId)) {
        throw new Error('registry invariant: entryUUID and uniqueId must be new');
      }
    }
    for (const entry of entries) {
      this.#byEntryUUID.set(entry.entryUUID, entry);
      this.#byUniqueId.set(entry.uniqueId, entry);
      this.#submissionSets.add(entry.submissionSet.uniqueId);
    }
  }

  setStatus(entryUUID: string, status: string, at: string): void {
    const entry = this.#byEntryUUID.get(entryUUID);
    if (!entry) throw new Error('registry invariant: unknown entryUUID');
    entry.status = status;
    entry.updatedAt = at;
  }

  /** RPLC: links both entries; the caller deprecates the old one. */
  link(replacement: StoredEntry, replaced: StoredEntry, at: string): void {
    replacement.replaces = replaced.entryUUID;
    replaced.replacedBy = replacement.entryUUID;
    replaced.updatedAt = at;
  }

  clear(): void {
    this.#byEntryUUID.clear();
    this.#byUniqueId.clear();
    this.#submissionSets.clear();
  }
}
