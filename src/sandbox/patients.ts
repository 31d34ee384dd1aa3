/**
 * The sandbox DMP's patient directory: which INS have an open, closed or no
 * DMP (seeded by configuration and the admin API), and the CX form of the
 * INS used in XDS metadata and the VIHF (`matricule^^^&<oid>&ISO^NH`,
 * ITI TF-3 §4.2.3.1.7 CX; DOMAIN.md §3).
 */
import { INS_OIDS } from '../model/vocabulary.ts';
import type { DmpState, InsId, PatientSeed, SeededPatient } from './types.ts';

/** A parsed CX identifier. */
export interface Cx {
  readonly extension: string;
  readonly root: string;
  readonly type: string;
}

const OID = /^[0-2](\.(0|[1-9]\d*))+$/;

/** Parses `id^^^&oid&ISO^type` (the assigning authority must be an ISO OID); undefined when malformed. */
export function parseCx(value: string): Cx | undefined {
  const parts = value.split('^');
  const [extension, , , authority, type] = parts;
  if (parts.length > 5 && parts.slice(5).some((p) => p !== '')) return undefined;
  const [namespace, root, kind] = (authority ?? '').split('&');
  if (!extension || namespace === undefined || !root || !OID.test(root) || kind !== 'ISO') return undefined;
  return { extension, root, type: type ?? '' };
}

/** The INS of an `^NH` CX whose root is an INS OID, else undefined. */
export function insOfCx(value: string): InsId | undefined {
  const cx = parseCx(value);
  if (cx?.type !== 'NH' || !INS_OIDS.includes(cx.root)) return undefined;
  return { root: cx.root, extension: cx.extension };
}

/** `matricule^^^&oid&ISO^NH` */
export function insCx(ins: InsId): string {
  return `${ins.extension}^^^&${ins.root}&ISO^NH`;
}

export function sameIns(a: InsId, b: InsId): boolean {
  return a.root === b.root && a.extension === b.extension;
}

const MATRICULE = /^[0-9A-Za-z]{1,20}$/;

/** Normalises a seed; throws with a message naming the problem (never the INS) when invalid. */
export function normaliseSeed(input: PatientSeed): SeededPatient {
  const seed = (typeof input === 'object' && input !== null ? input : {}) as Partial<PatientSeed>;
  const ins = typeof seed.ins === 'string' ? insOfCx(seed.ins) : seed.ins;
  if (
    typeof ins !== 'object' ||
    ins === null ||
    !INS_OIDS.includes(ins.root) ||
    typeof ins.extension !== 'string' ||
    !MATRICULE.test(ins.extension)
  ) {
    throw new Error(
      'ins must be an INS: "<matricule>^^^&<INS OID>&ISO^NH" or { root: <INS OID>, extension }',
    );
  }
  const dmp = seed.dmp;
  if (dmp !== 'active' && dmp !== 'closed' && dmp !== 'absent')
    throw new Error('dmp must be active, closed or absent');
  return { root: ins.root, extension: ins.extension, dmp };
}

/** Seeded patients by INS; an unknown INS has no DMP. */
export class PatientDirectory {
  readonly #patients = new Map<string, SeededPatient>();

  constructor(seeds: readonly PatientSeed[] = []) {
    this.reset(seeds);
  }

  /** Forgets every patient, then seeds `seeds`. */
  reset(seeds: readonly PatientSeed[]): void {
    const patients = seeds.map(normaliseSeed);
    this.#patients.clear();
    for (const p of patients) this.#patients.set(`${p.root}|${p.extension}`, p);
  }

  seed(seed: PatientSeed): SeededPatient {
    const patient = normaliseSeed(seed);
    this.#patients.set(`${patient.root}|${patient.extension}`, patient);
    return patient;
  }

  dmpOf(ins: InsId): DmpState {
    return this.#patients.get(`${ins.root}|${ins.extension}`)?.dmp ?? 'absent';
  }

  list(): SeededPatient[] {
    return [...this.#patients.values()];
  }
}
