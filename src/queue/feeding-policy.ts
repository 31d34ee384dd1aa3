/**
 * The worker's {@link FeedingPolicy} from the running gateway's parts: the
 * rules file of the establishment's site (mapping registry, reloadable),
 * the PAM-FR patient facts, and TD0.2 through its cache.
 */

import type { Td02Cache } from '../dmp/td02-cache.ts';
import { GatewayError } from '../errors/catalogue.ts';
import type { MappingRegistry } from '../mappings/registry.ts';
import type { Patient } from '../model/types.ts';
import type { PatientFactsStore } from '../patients/facts.ts';
import type { FeedingPolicy } from './decision-step.ts';

export function feedingPolicy(parts: {
  readonly registry: MappingRegistry;
  /** FINESS of the geographic site whose rules apply. */
  readonly finess: string;
  readonly patients: PatientFactsStore;
  readonly td02: Td02Cache;
}): FeedingPolicy {
  return {
    rules: () => parts.registry.rulesFor(parts.finess),
    async patientFacts(patient: Patient) {
      const byIns = await parts.patients.patientFacts(patient.ins);
      return byIns ?? (patient.ipp ? parts.patients.patientFacts(patient.ipp) : undefined);
    },
    dmpStatus: (patient: Patient) => parts.td02.status(patient),
  };
}

/** Loads the mappings and rules folder once at start; refuses to start listing every error (file:line). */
export function loadRegistry(registry: MappingRegistry): MappingRegistry {
  const result = registry.reload();
  if (!result.ok) {
    throw new GatewayError(
      'CONFIG_INVALID',
      result.errors.map((message) => ({ code: 'CONFIG_INVALID', path: registry.dir, message })),
    );
  }
  return registry;
}
