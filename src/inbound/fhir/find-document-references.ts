/**
 * IHE MHD ITI-67 Find Document References over what this gateway submitted
 * (MHD 4.2 §2:3.67.4.1: `GET [base]/DocumentReference?patient.identifier=
 * <system>|<value>&status=...`, `_id`), answered as a `searchset` Bundle.
 * Parameters the gateway does not support are ignored and named in an
 * OperationOutcome entry (search.mode `outcome`, FHIR R4 §3.1.1.4). Status:
 * a deposited or in-flight document is `current`, `superseded` once a
 * deposited submission replaced it, `entered-in-error` when it never reached
 * the DMP (rejected, failed, skipped) or was deleted there.
 */
import type { Bundle, BundleEntry, OperationOutcome } from '@medplum/fhirtypes';
import type { Config } from '../../config/schema.ts';
import { GatewayError } from '../../errors/catalogue.ts';
import { systemToOid } from '../../model/code-systems.ts';
import type { InstanceId, Submission } from '../../model/types.ts';
import { INS_OIDS } from '../../model/vocabulary.ts';
import type { StoredSubmission, SubmissionStatus } from '../../store/records.ts';
import { documentReferenceView, type ViewStatus } from './document-reference-view.ts';

/** What the search reads: the store and the FHIR index. */
export interface SearchSource {
  get(id: string): Promise<StoredSubmission | undefined>;
  payload(id: string): Promise<Submission | undefined>;
  byPatient(ins: InstanceId, limit: number): Promise<string[]>;
  byDocumentId(id: string): Promise<string | undefined>;
  byUniqueId(uniqueId: string): Promise<string | undefined>;
  replacedBy(uniqueId: string): Promise<string | undefined>;
}

export interface SearchQuery {
  readonly ins?: InstanceId & { readonly extension: string };
  readonly ids?: readonly string[];
  readonly statuses?: readonly ViewStatus[];
  readonly ignored: readonly string[];
}

const STATUSES: readonly ViewStatus[] = ['current', 'superseded', 'entered-in-error'];
/** Most submissions one search reads. */
export const SEARCH_LIMIT = 100;

function invalid(param: string, message: string): GatewayError {
  return new GatewayError('INVALID_INPUT', [{ code: 'INVALID_INPUT', path: param, message }]);
}

/** Reads the query string; throws GatewayError for a malformed or insufficient query. */
export function parseSearch(params: URLSearchParams): SearchQuery {
  let ins: SearchQuery['ins'];
  let ids: string[] | undefined;
  let statuses: ViewStatus[] | undefined;
  const ignored: string[] = [];
  for (const [name, value] of params) {
    if (name === 'patient.identifier') {
      const [system, matricule] = value.split('|');
      const oid = systemToOid(system);
      if (!oid || !INS_OIDS.includes(oid) || !matricule)
        throw invalid(name, 'must be urn:oid:<INS OID>|<matricule> (an INS)');
      ins = { root: oid, extension: matricule };
    } else if (name === '_id') {
      ids = value.split(',').filter(Boolean);
    } else if (name === 'status') {
      statuses = value.split(',') as ViewStatus[];
      const bad = statuses.find((s) => !STATUSES.includes(s));
      if (bad !== undefined) throw invalid(name, `unknown status ${bad} (${STATUSES.join(', ')})`);
    } else ignored.push(name);
  }
  if (!ins && !ids) throw invalid('patient.identifier', 'patient.identifier or _id is required');
  return { ins, ids, statuses, ignored };
}

function viewStatus(status: SubmissionStatus, replacedBy?: SubmissionStatus): ViewStatus {
  if (['rejected', 'failed', 'skipped', 'deleted'].includes(status)) return 'entered-in-error';
  return replacedBy === 'deposited' ? 'superseded' : 'current';
}

/** The FHIR id (entryUUID) of a document uniqueId this gateway submitted. */
async function documentIdOf(source: SearchSource, uniqueId: string): Promise<string | undefined> {
  const recordId = await source.byUniqueId(uniqueId);
  const stored = recordId ? await source.get(recordId) : undefined;
  const entryUUID = stored?.record.documents.find((d) => d.uniqueId === uniqueId)?.entryUUID;
  return entryUUID?.replace(/^urn:uuid:/i, '');
}

/** Runs the search; `baseUrl` is the server's FHIR base (for fullUrl and the self link). */
export async function findDocumentReferences(
  source: SearchSource,
  query: SearchQuery,
  config: { readonly fhir: Pick<Config['fhir'], 'creationTimeFrom'> },
  baseUrl: string,
  selfUrl: string,
): Promise<Bundle> {
  const recordIds = query.ins
    ? await source.byPatient(query.ins, SEARCH_LIMIT)
    : [
        ...new Set(
          (await Promise.all((query.ids ?? []).map((id) => source.byDocumentId(id)))).filter(
            (x): x is string => !!x,
          ),
        ),
      ];
  const entry: BundleEntry[] = [];
  for (const recordId of recordIds) {
    const stored = await source.get(recordId);
    if (stored?.record.kind !== 'deposit') continue;
    const submission = await source.payload(recordId);
    const ins = query.ins ?? submission?.patient.ins;
    if (
      query.ins &&
      submission &&
      (submission.patient.ins.root !== query.ins.root ||
        submission.patient.ins.extension !== query.ins.extension)
    )
      continue;
    for (const [index, doc] of stored.record.documents.entries()) {
      const id = doc.entryUUID.replace(/^urn:uuid:/i, '');
      if (query.ids && !query.ids.includes(id)) continue;
      const successor = await source.replacedBy(doc.uniqueId);
      const successorStatus =
        successor && successor !== recordId ? (await source.get(successor))?.status : undefined;
      const status = viewStatus(stored.status, successorStatus);
      if (query.statuses && !query.statuses.includes(status)) continue;
      const replaced = doc.replaces ? await documentIdOf(source, doc.replaces) : undefined;
      const resource = documentReferenceView({
        record: stored.record,
        index,
        gatewayStatus: stored.status,
        status,
        ins,
        submission: submission && 'documents' in submission ? submission : undefined,
        replacedId: replaced,
        config,
      });
      entry.push({ fullUrl: `${baseUrl}/DocumentReference/${id}`, resource, search: { mode: 'match' } });
    }
  }
  if (query.ignored.length > 0) {
    const outcome: OperationOutcome = {
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'warning',
          code: 'not-supported',
          details: { text: `ignored search parameters: ${query.ignored.join(', ')}` },
        },
      ],
    };
    entry.push({ resource: outcome, search: { mode: 'outcome' } });
  }
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: entry.filter((e) => e.search?.mode === 'match').length,
    link: [{ relation: 'self', url: selfUrl }],
    entry,
  };
}
