/**
 * VIHF attributes of the establishment's automated feeding (DOMAIN.md §5;
 * VOLET-HL7 mapping.md "Mapping VIHF pour le DMP"): the same for every DMP
 * transaction of one patient (ITI-41, ITI-18, ITI-57, TD0.2), only the
 * resource-id (the patient's INS) changes. Each request gets its own signed
 * assertion built from these (src/signature/vihf.ts).
 */
import type { Config } from '../config/schema.ts';
import type { Patient, Submission } from '../model/types.ts';
import type { VihfParams } from '../signature/vihf.ts';
import { cx } from '../xds/hl7-types.ts';

export interface VihfEnv {
  readonly config: Pick<Config, 'establishment' | 'software' | 'vihf'>;
  /** Issuer of the VIHF: the subject DN of the signing certificate. */
  readonly signerDn: string;
}

/**
 * VIHF parameters for a request about `patient`, sent by the gateway as an automaton, for the
 * geographic `site` the deposit is attributed to (default: the configured establishment).
 */
export function patientVihfParams(
  patient: Pick<Patient, 'ins'>,
  env: VihfEnv,
  site?: Submission['site'],
): VihfParams {
  const { establishment, software, vihf } = env.config;
  return {
    version: vihf.version,
    issuer: env.signerDn,
    nameId: software.name,
    structureId: site?.structureId ?? `1${establishment.finess}`,
    facilityType: site?.secteurActivite ?? establishment.facilityType,
    subjectId: software.name,
    role: { code: 'AUTOMATE', codeSystem: '1.2.250.1.213.1.1.4.6', displayName: 'Automate' },
    resourceId: cx(patient.ins, 'NH'),
    purposeOfUse: { code: 'normal', codeSystem: '1.2.250.1.213.1.1.4.248', displayName: 'Accès normal' },
    lps: { name: software.name, version: software.version, homologation: software.homologation },
    validitySeconds: vihf.validitySeconds,
  };
}
