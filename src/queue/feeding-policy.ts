/**
 * The worker's {@link FeedingPolicy} from the running gateway's parts: the
 * rules file of the establishment's site (mapping registry, reloadable),
 * the PAM-FR patient facts, and TD0.2 through its cache.
 */

import type { Logger } from 'pino';
import type { Td02Cache } from '../dmp/td02-cache.ts';
import { GatewayError } from '../errors/catalogue.ts';
import type { MappingRegistry, ReloadResult } from '../mappings/registry.ts';
import type { Patient } from '../model/types.ts';
import type { PatientFactsStore } from '../patients/facts.ts';
import type { FeedingPolicy } from './decision-step.ts';

export function feedingPolicy(parts: {
  readonly registry: MappingRegistry;
  /** FINESS of the establishment: its rules apply to a document whose site is not known. */
  readonly finess: string;
  readonly patients: PatientFactsStore;
  readonly td02: Td02Cache;
}): FeedingPolicy {
  return {
    // A site no rules file governs (a structure the sender names that is none of the mapping's sites)
    // is decided by the establishment's rules: naming another structure never escapes the CME's rules.
    rules: (finess) =>
      (finess === undefined ? undefined : parts.registry.rulesFor(finess)) ??
      parts.registry.rulesFor(parts.finess),
    async patientFacts(patient: Patient) {
      // Facts may have been filed under the IPP (provisional identity) and the INS separately: an
      // opposition recorded under either counts, whatever the other says.
      const known = (
        await Promise.all(
          [patient.ins, patient.ipp]
            .filter((id) => id !== undefined)
            .map((id) => parts.patients.patientFacts(id)),
        )
      ).filter((f) => f !== undefined);
      if (known.length === 0) return undefined;
      const stated = known.filter((f) => f.opposedToFeeding !== undefined);
      return stated.length === 0 ? {} : { opposedToFeeding: stated.some((f) => f.opposedToFeeding === true) };
    },
    dmpStatus: (patient: Patient) => parts.td02.status(patient),
  };
}

/** Re-reads the folder (SIGHUP): the new version in use, or every error logged and the previous one kept. */
export function reloadRegistry(registry: MappingRegistry, log: Logger): ReloadResult {
  const result = registry.reload();
  if (result.ok) log.info({ version: result.version }, 'mappings and rules reloaded');
  else log.error({ errors: result.errors, version: result.version }, 'mappings not reloaded: kept in use');
  return result;
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
