/**
 * The XDS error codes the sandbox DMP answers with, and a collector of
 * RegistryErrors. Codes from IHE ITI TF-3 Table 4.2.4.1-2 "Error Codes"
 * (XDS.b registry/repository, stored queries) and ITI TF-2b §3.57 (metadata
 * update); `UnresolvedReferenceException` is the ebRS 3.0 code IHE reuses.
 */
import type { RegistryErrorEntry } from '../xds/registry-response.ts';

export const XDS_ERROR = {
  registryMetadataError: 'XDSRegistryMetadataError',
  repositoryMetadataError: 'XDSRepositoryMetadataError',
  missingDocument: 'XDSMissingDocument',
  missingDocumentMetadata: 'XDSMissingDocumentMetadata',
  nonIdenticalHash: 'XDSNonIdenticalHash',
  duplicateUniqueIdInMessage: 'XDSRegistryDuplicateUniqueIdInMessage',
  unknownPatientId: 'XDSUnknownPatientId',
  patientIdDoesNotMatch: 'XDSPatientIdDoesNotMatch',
  registryBusy: 'XDSRegistryBusy',
  registryError: 'XDSRegistryError',
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
