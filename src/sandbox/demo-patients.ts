/**
 * Demonstration patients of the sandbox DMP (INS-NIR test identities, OID
 * 1.2.250.1.213.1.4.10): the patient of the FHIR fixtures with an open DMP,
 * one whose DMP is closed, one without a DMP. Seeded by `npm start` and the
 * standalone sandbox so that a first deposit can go through.
 */
import { OID } from '../model/vocabulary.ts';
import type { PatientSeed } from './types.ts';

export const DEMO_PATIENTS: readonly PatientSeed[] = [
  /** fixtures/fhir/*.json */
  { ins: { root: OID.insNirTest, extension: '279035121518989' }, dmp: 'active' },
  { ins: { root: OID.insNirTest, extension: '248097512345679' }, dmp: 'closed' },
  { ins: { root: OID.insNirTest, extension: '190017512345612' }, dmp: 'absent' },
];
