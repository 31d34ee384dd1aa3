/**
 * XDS error codes a DMP (or any XDS.b registry/repository) may return in a
 * RegistryErrorList, with the retry class the gateway gives each one:
 * `transient` when the same request may succeed later unchanged (the
 * registry was busy, short of resources, unreachable, or failed
 * internally), `permanent` when only a changed request can succeed.
 *
 * Sources:
 * - [TF3] IHE ITI TF-3 Table 4.2.4.1-2 "Error Codes" (XDS.b, XCA, XDR codes);
 * - [TF2b-57] IHE ITI TF-2b §3.57.4.1.3.5 "Metadata Update error codes" (ITI-57);
 * - [TF2a-18] IHE ITI TF-2a §3.18.4.1.3 (stored query errors);
 * the same list as OEHF IPF `ErrorCode.java` (commons/ihe/xds/core/responses).
 * No DMP-specific XDS error code could be verified in the public sources
 * (DRIMbox, ANS sample code, PDSm4DMP): an unknown code is `permanent`, so a
 * human looks at it before anything is resent (see {@link xdsErrorClass}).
 */

export type RetryClass = 'transient' | 'permanent';

export interface XdsErrorCodeInfo {
  readonly retry: RetryClass;
  readonly source: 'TF3' | 'TF2b-57' | 'TF2a-18';
  readonly meaning: string;
}

const T = 'transient' as const;
const P = 'permanent' as const;

/** Every XDS error code the gateway knows, by code. */
export const XDS_ERROR_CODES: Readonly<Record<string, XdsErrorCodeInfo>> = {
  XDSRegistryBusy: { retry: T, source: 'TF3', meaning: 'too much activity in the registry' },
  XDSRepositoryBusy: { retry: T, source: 'TF3', meaning: 'too much activity in the repository' },
  XDSRegistryOutOfResources: { retry: T, source: 'TF3', meaning: 'registry resources too low' },
  XDSRepositoryOutOfResources: { retry: T, source: 'TF3', meaning: 'repository resources too low' },
  XDSRegistryNotAvailable: {
    retry: T,
    source: 'TF3',
    meaning: 'the repository could not reach the registry',
  },
  XDSRegistryError: { retry: T, source: 'TF3', meaning: 'internal registry error' },
  XDSRepositoryError: { retry: T, source: 'TF3', meaning: 'internal repository error' },
  XDSUnavailableCommunity: {
    retry: T,
    source: 'TF3',
    meaning: 'a community to be contacted was not available',
  },
  XDSMissingDocument: { retry: P, source: 'TF3', meaning: 'a document entry has no attached document' },
  XDSMissingDocumentMetadata: { retry: P, source: 'TF3', meaning: 'a MIME part has no document entry' },
  XDSRegistryDuplicateUniqueIdInMessage: {
    retry: P,
    source: 'TF3',
    meaning: 'a uniqueId is repeated in the request (registry)',
  },
  XDSRepositoryDuplicateUniqueIdInMessage: {
    retry: P,
    source: 'TF3',
    meaning: 'a uniqueId is repeated in the request (repository)',
  },
  XDSDuplicateUniqueIdInRegistry: {
    retry: P,
    source: 'TF3',
    meaning: 'submission set or folder uniqueId already used',
  },
  XDSNonIdenticalHash: {
    retry: P,
    source: 'TF3',
    meaning: 'document uniqueId already registered with another hash',
  },
  XDSNonIdenticalSize: {
    retry: P,
    source: 'TF3',
    meaning: 'document uniqueId already registered with another size',
  },
  XDSRegistryMetadataError: { retry: P, source: 'TF3', meaning: 'metadata error found by the registry' },
  XDSRepositoryMetadataError: { retry: P, source: 'TF3', meaning: 'metadata error found by the repository' },
  XDSUnknownPatientId: { retry: P, source: 'TF3', meaning: 'patient id unknown to the registry' },
  XDSPatientIdDoesNotMatch: { retry: P, source: 'TF3', meaning: 'patient ids of the request do not match' },
  XDSRegistryDeprecatedDocumentError: {
    retry: P,
    source: 'TF3',
    meaning: 'association to a deprecated document',
  },
  XDSUnknownRepositoryId: { retry: P, source: 'TF3', meaning: 'repository uniqueId unknown' },
  XDSDocumentUniqueIdError: { retry: P, source: 'TF3', meaning: 'the requested document is not available' },
  XDSExtraMetadataNotSaved: { retry: P, source: 'TF3', meaning: 'extra metadata not saved (a warning)' },
  XDSUnknownCommunity: { retry: P, source: 'TF3', meaning: 'homeCommunityId not recognised' },
  XDSMissingHomeCommunityId: { retry: P, source: 'TF3', meaning: 'homeCommunityId required but absent' },
  PartialFolderContentNotProcessed: {
    retry: P,
    source: 'TF3',
    meaning: 'XDR: folder semantics not processed',
  },
  PartialReplaceContentNotProcessed: {
    retry: P,
    source: 'TF3',
    meaning: 'XDR: replacement semantics not processed',
  },
  PartialTransformNotProcessed: {
    retry: P,
    source: 'TF3',
    meaning: 'XDR: transform semantics not processed',
  },
  PartialAppendContentNotProcessed: {
    retry: P,
    source: 'TF3',
    meaning: 'XDR: append semantics not processed',
  },
  PartialTransformReplaceNotProcessed: {
    retry: P,
    source: 'TF3',
    meaning: 'XDR: transform-replace not processed',
  },
  XDSTooManyResults: { retry: P, source: 'TF2a-18', meaning: 'the query matches too many results' },
  XDSUnknownStoredQuery: { retry: P, source: 'TF2a-18', meaning: 'stored query id not recognised' },
  XDSStoredQueryMissingParam: {
    retry: P,
    source: 'TF2a-18',
    meaning: 'a required query parameter is missing',
  },
  XDSStoredQueryParamNumber: {
    retry: P,
    source: 'TF2a-18',
    meaning: 'a single-valued parameter has several values',
  },
  XDSResultNotSinglePatient: { retry: P, source: 'TF2a-18', meaning: 'the result spans several patients' },
  XDSMetadataUpdateError: { retry: P, source: 'TF2b-57', meaning: 'general metadata update error' },
  XDSMetadataUpdateOperationError: {
    retry: P,
    source: 'TF2b-57',
    meaning: 'the update request cannot be decoded',
  },
  XDSMetadataVersionError: {
    retry: P,
    source: 'TF2b-57',
    meaning: 'version of the update does not match the object',
  },
  XDSPatientIDReconciliationError: {
    retry: P,
    source: 'TF2b-57',
    meaning: 'patient ids do not match in the update',
  },
  UnresolvedReferenceException: {
    retry: P,
    source: 'TF2b-57',
    meaning: 'an entryUUID of the request does not exist',
  },
};

/** The retry class of an error code; codes outside {@link XDS_ERROR_CODES} are `permanent`. */
export function xdsErrorClass(code: string): RetryClass {
  return XDS_ERROR_CODES[code]?.retry ?? 'permanent';
}
