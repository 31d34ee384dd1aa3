/**
 * ITI-18 Registry Stored Query: the two queries the gateway sends (DMP TD3.1,
 * DOMAIN.md §1) and the reader of their answer.
 *
 * Requests [IHE ITI TF-2a §3.18.4.1.2]: `query:AdhocQueryRequest` with a
 * `ResponseOption` (`LeafClass`: full metadata, `ObjectRef`: ids only) and an
 * `rim:AdhocQuery` whose id is the stored query UUID and whose slots are the
 * parameters, coded per §3.18.4.1.2.3.5: a string value in single quotes, a
 * list as `('a','b')`, a quote inside a value doubled (as OEHF IPF does).
 *
 * Response [ITI TF-2a §3.18.4.1.3; ebRS 3.0 query.xsd]: `query:AdhocQueryResponse`
 * with a status, an optional RegistryErrorList and a RegistryObjectList of
 * ExtrinsicObjects (LeafClass) or ObjectRefs.
 */
import { GatewayError } from '../errors/catalogue.ts';
import { NS, QUERY_PARAM, RESPONSE_STATUS, STORED_QUERY, XDS } from '../model/vocabulary.ts';
import { asArray, attr, parseXml, textOf, type XmlObject } from '../xml/parse.ts';
import { el, type XmlElement } from '../xml/tree.ts';
import { NO_ERROR_GIVEN, type RegistryErrorEntry, type RegistryStatus } from './registry-response.ts';

export type ReturnType = 'LeafClass' | 'ObjectRef';

/** A string parameter value: `'value'`, inner quotes doubled. */
export function quoted(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A list parameter value: `('a','b')`. */
export function quotedList(values: readonly string[]): string {
  return `(${values.map(quoted).join(',')})`;
}

function adhocQuery(
  queryId: string,
  returnType: ReturnType,
  params: readonly [string, string][],
): XmlElement {
  return el(
    'query:AdhocQueryRequest',
    { 'xmlns:query': NS.query, 'xmlns:rim': NS.rim },
    el('query:ResponseOption', { returnComposedObjects: 'true', returnType }),
    el(
      'rim:AdhocQuery',
      { id: queryId },
      params.map(([name, value]) =>
        el('rim:Slot', { name }, el('rim:ValueList', {}, el('rim:Value', {}, value))),
      ),
    ),
  );
}

/**
 * GetDocuments by uniqueId [ITI TF-2a §3.18.4.1.2.3.7.5]: every entry with one
 * of these uniqueIds, whatever its status (the DMP's own client uses it to
 * find an entryUUID from a uniqueId, ObjectRef; LeafClass adds hash and size).
 */
export function buildGetDocumentsByUniqueId(
  uniqueIds: readonly string[],
  returnType: ReturnType,
): XmlElement {
  if (uniqueIds.length === 0) throw new Error('GetDocuments needs at least one uniqueId');
  return adhocQuery(STORED_QUERY.getDocuments, returnType, [[QUERY_PARAM.uniqueId, quotedList(uniqueIds)]]);
}

/**
 * FindDocuments of one patient [ITI TF-2a §3.18.4.1.2.3.7.1]: patient id (CX,
 * the INS `^NH` form for the DMP) and the statuses wanted (at least one).
 * Always LeafClass: the caller wants the metadata of each entry.
 */
export function buildFindDocuments(patientCx: string, statuses: readonly string[]): XmlElement {
  if (statuses.length === 0) throw new Error('FindDocuments needs at least one status');
  return adhocQuery(STORED_QUERY.findDocuments, 'LeafClass', [
    [QUERY_PARAM.patientId, quoted(patientCx)],
    [QUERY_PARAM.status, quotedList(statuses)],
  ]);
}

/** One document entry of a LeafClass answer. */
export interface QueriedDocument {
  readonly entryUUID: string;
  readonly uniqueId: string;
  /** Availability status URN (`...StatusType:Approved`, `...:Deprecated`, `urn:asip:ci-sis:2010:StatusType:Deleted`). */
  readonly status: string;
  /** XDSDocumentEntry.patientId (CX). */
  readonly patientId?: string;
  /** SHA-1, lower-case hex as registered. */
  readonly hash?: string;
  readonly size?: number;
  readonly mimeType?: string;
  readonly creationTime?: string;
  readonly repositoryUniqueId?: string;
  readonly title?: string;
  readonly lid?: string;
  readonly version?: string;
}

export interface AdhocQueryResult {
  readonly status: RegistryStatus;
  readonly errors: readonly RegistryErrorEntry[];
  /** As for ITI-41 (registry-response.ts): a Success carrying an Error is read as Failure and flagged. */
  readonly anomaly?: 'SuccessWithError' | 'FailureWithoutError';
  readonly returnType: ReturnType;
  /** The document entries of a LeafClass answer. */
  readonly documents: readonly QueriedDocument[];
  /** The entryUUIDs of an ObjectRef answer. */
  readonly references: readonly string[];
}

const STATUS_BY_URN: Readonly<Record<string, RegistryStatus>> = {
  [RESPONSE_STATUS.success]: 'Success',
  [RESPONSE_STATUS.failure]: 'Failure',
  [RESPONSE_STATUS.partialSuccess]: 'PartialSuccess',
};

const ARRAYS = [
  'ExtrinsicObject',
  'ObjectRef',
  'RegistryError',
  'Slot',
  'Value',
  'ExternalIdentifier',
  'LocalizedString',
];

function invalid(path: string, message: string): GatewayError {
  return new GatewayError('INVALID_INPUT', [{ code: 'INVALID_INPUT', path, message }]);
}

function slotValue(node: XmlObject, name: string): string | undefined {
  const found = asArray(node.Slot).find((s) => attr(s, 'name') === name) as XmlObject | undefined;
  const value = asArray((found?.ValueList as XmlObject | undefined)?.Value)[0];
  return value === undefined ? undefined : (textOf(value) ?? '');
}

function externalId(node: XmlObject, scheme: string): string | undefined {
  return attr(
    asArray(node.ExternalIdentifier).find((e) => attr(e, 'identificationScheme') === scheme),
    'value',
  );
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** A document entry; id, uniqueId and status are required of every registry answer [ITI TF-3 Table 4.2.3.2-1]. */
function readExtrinsicObject(node: XmlObject, index: number): QueriedDocument {
  const path = `RegistryObjectList/ExtrinsicObject[${index + 1}]`;
  const entryUUID = attr(node, 'id');
  const uniqueId = externalId(node, XDS.documentEntry.uniqueId);
  const status = attr(node, 'status');
  if (!entryUUID) throw invalid(`${path}/@id`, 'missing id');
  if (!uniqueId) throw invalid(`${path}/ExternalIdentifier`, 'missing XDSDocumentEntry.uniqueId');
  if (!status) throw invalid(`${path}/@status`, 'missing status');
  const size = slotValue(node, 'size');
  const name = asArray((node.Name as XmlObject | undefined)?.LocalizedString)[0];
  return defined({
    entryUUID,
    uniqueId,
    status,
    patientId: externalId(node, XDS.documentEntry.patientId),
    hash: slotValue(node, 'hash')?.toLowerCase(),
    size: size !== undefined && /^\d+$/.test(size) ? Number(size) : undefined,
    mimeType: attr(node, 'mimeType'),
    creationTime: slotValue(node, 'creationTime'),
    repositoryUniqueId: slotValue(node, 'repositoryUniqueId'),
    title: attr(name, 'value'),
    lid: attr(node, 'lid'),
    version: attr(node.VersionInfo, 'versionName'),
  });
}

function readErrors(response: XmlObject): RegistryErrorEntry[] {
  const list = response.RegistryErrorList as XmlObject | undefined;
  return asArray(list?.RegistryError).map((e) => {
    const location = attr(e, 'location')?.trim();
    return {
      errorCode: attr(e, 'errorCode') ?? '',
      codeContext: attr(e, 'codeContext') ?? '',
      ...(location ? { location } : {}),
      severity: attr(e, 'severity') === RESPONSE_STATUS.warning ? 'Warning' : 'Error',
    };
  });
}

/**
 * Reads an AdhocQueryResponse, bare or as the first child of a SOAP 1.2 Body.
 * Throws INVALID_INPUT for anything else, an unknown status or a document
 * entry without id, uniqueId or status. The return type is `ObjectRef` when
 * the list holds ObjectRefs and no ExtrinsicObject.
 */
export function readAdhocQueryResponse(xml: string | Uint8Array): AdhocQueryResult {
  const root = parseXml(xml, { arrays: ARRAYS });
  const body = (root.Envelope as XmlObject | undefined)?.Body as XmlObject | undefined;
  const response = (body ?? root).AdhocQueryResponse as XmlObject | undefined;
  if (!response || typeof response !== 'object') throw invalid('/', 'no query:AdhocQueryResponse found');
  const reported = STATUS_BY_URN[attr(response, 'status') ?? ''];
  if (!reported) throw invalid('AdhocQueryResponse/@status', 'unknown AdhocQueryResponse status');
  const list = (response.RegistryObjectList as XmlObject | undefined) ?? {};
  const documents = asArray(list.ExtrinsicObject as XmlObject[] | undefined).map(readExtrinsicObject);
  const references = asArray(list.ObjectRef as XmlObject[] | undefined)
    .map((r) => attr(r, 'id'))
    .filter((id): id is string => id !== undefined);
  const returnType: ReturnType = documents.length === 0 && references.length > 0 ? 'ObjectRef' : 'LeafClass';
  const errors = readErrors(response);
  const hasError = errors.some((e) => e.severity === 'Error');
  if (reported === 'Success' && hasError) {
    return { status: 'Failure', errors, anomaly: 'SuccessWithError', returnType, documents, references };
  }
  if (reported === 'Failure' && !hasError) {
    const synthetic: RegistryErrorEntry = {
      errorCode: NO_ERROR_GIVEN,
      codeContext: 'the registry answered Failure without naming an error',
      severity: 'Error',
    };
    return {
      status: 'Failure',
      errors: [...errors, synthetic],
      anomaly: 'FailureWithoutError',
      returnType,
      documents,
      references,
    };
  }
  return { status: reported, errors, returnType, documents, references };
}
