/**
 * ITI-18 Registry Stored Query on the sandbox DMP (TD3.1 reference lookup;
 * ITI TF-2a §3.18): FindDocuments (patient, status, and the type, class,
 * format, practice setting and facility type filters) and GetDocuments (by
 * uniqueId or entryUUID), answered as LeafClass ExtrinsicObjects or
 * ObjectRefs in a `query:AdhocQueryResponse`. As in the DMP, the VIHF
 * names the one patient whose documents may be seen.
 */
import { GatewayError } from '../errors/catalogue.ts';
import { NS, RESPONSE_STATUS, STORED_QUERY, XDS } from '../model/vocabulary.ts';
import { standaloneXml } from '../soap/envelope.ts';
import { insOfCx, sameIns } from '../xds/cx.ts';
import { classificationsIn, slotValues } from '../xds/ebrim-reader.ts';
import { RegistryErrors, XDS_ERROR } from '../xds/registry-errors.ts';
import { el } from '../xml/tree.ts';
import { extrinsicObjectXml, objectRefXml, registryErrorListXml } from './ebrim-out.ts';
import { type AdhocQuery, codedParam, paramValues, readAdhocQuery } from './iti18-query.ts';
import type { StoredEntry } from './registry-store.ts';
import { SoapFaultError, type SoapRequest } from './soap-endpoint.ts';
import type { EndpointResult, SandboxState } from './state.ts';
import type { VihfContext } from './vihf-check.ts';

const P = {
  patientId: '$XDSDocumentEntryPatientId',
  status: '$XDSDocumentEntryStatus',
  type: '$XDSDocumentEntryType',
  uniqueId: '$XDSDocumentEntryUniqueId',
  entryUUID: '$XDSDocumentEntryEntryUUID',
} as const;

/** FindDocuments coded filters: parameter → classification scheme (ITI TF-2a Table 3.18.4.1.2.3.7.1-1). */
const CODE_FILTERS: Readonly<Record<string, string>> = {
  $XDSDocumentEntryTypeCode: XDS.documentEntry.typeCode,
  $XDSDocumentEntryClassCode: XDS.documentEntry.classCode,
  $XDSDocumentEntryFormatCode: XDS.documentEntry.formatCode,
  $XDSDocumentEntryPracticeSettingCode: XDS.documentEntry.practiceSettingCode,
  $XDSDocumentEntryHealthcareFacilityTypeCode: XDS.documentEntry.healthcareFacilityTypeCode,
};

const IGNORED: ReadonlySet<string> = new Set(['$homeCommunityId', '$MetadataLevel']);

function single(query: AdhocQuery, name: string, errors: RegistryErrors): string | undefined {
  const values = paramValues(query.params.get(name));
  if (values.length === 0) errors.add(XDS_ERROR.storedQueryMissingParam, `${name} is required`, name);
  else if (values.length > 1)
    errors.add(XDS_ERROR.storedQueryParamNumber, `${name} takes a single value`, name);
  else return values[0];
  return undefined;
}

function unsupported(query: AdhocQuery, known: readonly string[], errors: RegistryErrors): void {
  for (const name of query.params.keys()) {
    if (!known.includes(name) && !IGNORED.has(name)) {
      errors.add(XDS_ERROR.registryError, `parameter ${name} is not supported by the sandbox DMP`, name);
    }
  }
}

function matchesCodes(
  entry: StoredEntry,
  scheme: string,
  wanted: readonly { code: string; scheme: string }[],
): boolean {
  return classificationsIn(entry.rim, scheme).some((c) =>
    wanted.some((w) => w.code === c.nodeRepresentation && w.scheme === slotValues(c, 'codingScheme')[0]),
  );
}

function findDocuments(
  query: AdhocQuery,
  vihf: VihfContext,
  state: SandboxState,
  errors: RegistryErrors,
): StoredEntry[] {
  unsupported(query, [P.patientId, P.status, P.type, ...Object.keys(CODE_FILTERS)], errors);
  const patientId = single(query, P.patientId, errors);
  const ins = patientId === undefined ? undefined : insOfCx(patientId);
  if (patientId !== undefined && !ins)
    errors.add(XDS_ERROR.registryError, `${P.patientId} must be an INS in ^NH form`, P.patientId);
  else if (ins && !sameIns(ins, vihf.ins))
    errors.add(XDS_ERROR.patientIdDoesNotMatch, `${P.patientId} is not the VIHF resource-id`, P.patientId);
  const statuses = paramValues(query.params.get(P.status));
  if (statuses.length === 0)
    errors.add(XDS_ERROR.storedQueryMissingParam, `${P.status} is required`, P.status);
  const types = paramValues(query.params.get(P.type));
  const filters = Object.entries(CODE_FILTERS).flatMap(([name, scheme]) => {
    const values = paramValues(query.params.get(name));
    if (values.length === 0) return [];
    const codes = values.map(codedParam);
    if (codes.some((c) => c === undefined))
      errors.add(XDS_ERROR.registryError, `${name} values must be code^^codingScheme`, name);
    return [{ scheme, codes: codes.flatMap((c) => c ?? []) }];
  });
  if (!errors.empty || !ins) return [];
  return state.store
    .list()
    .filter(
      (e) =>
        sameIns(e.ins, ins) &&
        statuses.includes(e.status) &&
        (types.length === 0 || types.includes(e.rim.objectType ?? '')) &&
        filters.every((f) => matchesCodes(e, f.scheme, f.codes)),
    );
}

function getDocuments(
  query: AdhocQuery,
  vihf: VihfContext,
  state: SandboxState,
  errors: RegistryErrors,
): StoredEntry[] {
  unsupported(query, [P.uniqueId, P.entryUUID], errors);
  const uniqueIds = paramValues(query.params.get(P.uniqueId));
  const entryUUIDs = paramValues(query.params.get(P.entryUUID));
  if (uniqueIds.length > 0 === entryUUIDs.length > 0) {
    errors.add(
      XDS_ERROR.storedQueryParamNumber,
      `exactly one of ${P.uniqueId} and ${P.entryUUID} is required`,
      P.uniqueId,
    );
    return [];
  }
  if (!errors.empty) return [];
  const found =
    uniqueIds.length > 0
      ? uniqueIds.map((u) => state.store.byUniqueId(u))
      : entryUUIDs.map((u) => state.store.byEntryUUID(u));
  return found.filter((e): e is StoredEntry => e !== undefined && sameIns(e.ins, vihf.ins));
}

function response(errors: RegistryErrors, objects: ReturnType<typeof extrinsicObjectXml>[]): EndpointResult {
  const failed = !errors.empty;
  const body = el(
    'query:AdhocQueryResponse',
    {
      'xmlns:query': NS.query,
      'xmlns:rim': NS.rim,
      'xmlns:rs': NS.rs,
      status: failed ? RESPONSE_STATUS.failure : RESPONSE_STATUS.success,
    },
    failed && registryErrorListXml(errors.list),
    el('rim:RegistryObjectList', {}, objects),
  );
  return {
    body,
    outcome: failed ? 'failure' : 'success',
    errorCodes: [...new Set(errors.list.map((e) => e.errorCode))],
  };
}

/** The answer of a busy registry (fault injection). */
export function queryBusy(): EndpointResult {
  const errors = new RegistryErrors();
  errors.add(XDS_ERROR.registryBusy, 'the registry is busy, try again later');
  return response(errors, []);
}

/** Handles one ITI-18 request whose envelope and VIHF were checked. */
export function handleIti18(request: SoapRequest, vihf: VihfContext, state: SandboxState): EndpointResult {
  const body = request.envelope.body;
  if (body?.namespace !== NS.query || body.localName !== 'AdhocQueryRequest') {
    throw new SoapFaultError('Sender', 'the Body must hold a query:AdhocQueryRequest');
  }
  const errors = new RegistryErrors();
  let query: AdhocQuery;
  try {
    query = readAdhocQuery(standaloneXml(body));
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    errors.add(XDS_ERROR.registryError, err.message, 'AdhocQueryRequest');
    return response(errors, []);
  }
  if (query.returnType !== 'LeafClass' && query.returnType !== 'ObjectRef') {
    errors.add(
      XDS_ERROR.registryError,
      'ResponseOption returnType must be LeafClass or ObjectRef',
      'ResponseOption',
    );
    return response(errors, []);
  }
  let found: StoredEntry[] = [];
  if (query.queryId === STORED_QUERY.findDocuments) found = findDocuments(query, vihf, state, errors);
  else if (query.queryId === STORED_QUERY.getDocuments) found = getDocuments(query, vihf, state, errors);
  else
    errors.add(
      XDS_ERROR.unknownStoredQuery,
      `stored query ${query.queryId} is not supported (FindDocuments, GetDocuments)`,
      'AdhocQuery',
    );
  if (!errors.empty) return response(errors, []);
  return response(errors, found.map(query.returnType === 'LeafClass' ? extrinsicObjectXml : objectRefXml));
}
