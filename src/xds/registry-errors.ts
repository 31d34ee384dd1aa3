/**
 * The XDS error codes the gateway answers with (as the sandbox DMP and as
 * the ITI-41 Document Recipient), and a collector of RegistryErrors. Codes
 * from IHE ITI TF-3 Table 4.2.4.1-2 "Error Codes" (XDS.b registry and
 * repository, stored queries) and ITI TF-2b §3.57 (metadata update);
 * `UnresolvedReferenceException` is the ebRS 3.0 code IHE reuses. Shared by
 * src/sandbox and src/inbound/xds (moved from src/sandbox/xds-errors.ts).
 */
import type { RegistryErrorEntry } from './registry-response.ts';

export const XDS_ERROR = {
  registryMetadataError: 'XDSRegistryMetadataError',
  repositoryMetadataError: 'XDSRepositoryMetadataError',
  missingDocument: 'XDSMissingDocument',
  missingDocumentMetadata: 'XDSMissingDocumentMetadata',
  nonIdenticalHash: 'XDSNonIdenticalHash',
  duplicateUniqueIdInMessage: 'XDSRegistryDuplicateUniqueIdInMessage',
  /** A uniqueId repeated in one Provide and Register request, found by the repository side. */
  repositoryDuplicateUniqueIdInMessage: 'XDSRepositoryDuplicateUniqueIdInMessage',
  /** A submission set (or folder, document) uniqueId already used by an earlier submission. */
  duplicateUniqueIdInRegistry: 'XDSDuplicateUniqueIdInRegistry',
  unknownPatientId: 'XDSUnknownPatientId',
  patientIdDoesNotMatch: 'XDSPatientIdDoesNotMatch',
  registryBusy: 'XDSRegistryBusy',
  /** Too much activity in the repository: the same request may succeed later (transient). */
  repositoryBusy: 'XDSRepositoryBusy',
  registryError: 'XDSRegistryError',
  repositoryError: 'XDSRepositoryError',
  unknownStoredQuery: 'XDSUnknownStoredQuery',
  storedQueryMissingParam: 'XDSStoredQueryMissingParam',
  storedQueryParamNumber: 'XDSStoredQueryParamNumber',
  metadataUpdateError: 'XDSMetadataUpdateError',
  unresolvedReference: 'UnresolvedReferenceException',
} as const;

export type XdsErrorCode = (typeof XDS_ERROR)[keyof typeof XDS_ERROR];

/** Collects Error-severity RegistryErrors; a validator adds every problem, then the caller answers once. */
export class RegistryErrors {
  readonly list: RegistryErrorEntry[] = [];

  add(errorCode: XdsErrorCode, codeContext: string, location?: string): void {
    this.list.push({ errorCode, codeContext, location, severity: 'Error' });
  }

  get empty(): boolean {
    return this.list.length === 0;
  }
}

/** An ebRIM path naming an object (and a slot/part of it) for RegistryError `location`. */
export function rimLocation(kind: string, id: string | undefined, part?: string): string {
  const object = `${kind}[@id='${id ?? ''}']`;
  return part ? `${object}/${part}` : object;
}
