/**
 * What the endpoint handlers of the sandbox DMP share: the registry, the
 * patient directory, the trust settings and the clock; and what a handler
 * returns (the response body and what the trace records of it).
 */
import type { XmlElement } from '../xml/tree.ts';
import type { PatientDirectory } from './patients.ts';
import type { RegistryStore } from './registry-store.ts';

export interface SandboxState {
  readonly store: RegistryStore;
  readonly patients: PatientDirectory;
  readonly trustedCertsPem: readonly string[];
  readonly checkSignatures: boolean;
  readonly now: () => Date;
}

/** A handled request: the Body child of the answer and what the trace keeps of it. */
export interface EndpointResult {
  readonly body: XmlElement;
  readonly outcome: 'success' | 'failure';
  readonly errorCodes: readonly string[];
  readonly storedUniqueIds?: readonly string[];
  /** ITI-41: uniqueIds of the documents of a successful request, stored now or already held (identical resend). */
  readonly acceptedUniqueIds?: readonly string[];
}
