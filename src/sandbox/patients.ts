/**
 * The sandbox DMP's patient directory: which INS have an open, closed or no
 * DMP (seeded by configuration and the admin API). The CX form of the INS
 * (`matricule^^^&<oid>&ISO^NH`) is read by src/xds/cx.ts.
 */
import { INS_OIDS } from '../model/vocabulary.ts';
import { insOfCx } from '../xds/cx.ts';
import type { DmpState, InsId, PatientSeed, SeededPatient } from './types.ts';

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
