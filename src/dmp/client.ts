/**
 * The DMP client: the four transactions the establishment's gateway may
 * use (DOMAIN.md §1) over mutual TLS, each answer classified
 * (./classify.ts): TD2.1 feed (ITI-41, the deposit's MTOM bytes sent
 * unchanged), TD3.1 lookup (ITI-18), TD3.3c deletion (ITI-57), TD0.2
 * existence test. Every ITI-18/ITI-57/TD0.2 call carries a fresh VIHF signed
 * for its patient. Queries change nothing in the DMP, so an ambiguous query
 * (timeout after sending...) is reported as transient: it can simply be
 * sent again.
 */
import type { Config } from '../config/schema.ts';
import type { Deposit } from '../deposit/build-deposit.ts';
import { type IdSource, newEntryUUID, newOid, randomIds } from '../model/ids.ts';
import type { Author, Code, Patient, Submission } from '../model/types.ts';
import { SOAP_ACTION, STATUS } from '../model/vocabulary.ts';
import type { SigningKey } from '../signature/signer.ts';
import { cx } from '../xds/hl7-types.ts';
import { parseRegistryResponse, type RegistryResult } from '../xds/registry-response.ts';
import {
  type AdhocQueryResult,
  buildFindDocuments,
  buildGetDocumentsByUniqueId,
  type QueriedDocument,
  readAdhocQueryResponse,
} from '../xds/stored-query.ts';
import { buildUpdateAvailabilityStatus } from '../xds/update-status.ts';
import type { XmlElement } from '../xml/tree.ts';
import {
  classifyRegistryResult,
  classifyResponse,
  classifyTransportError,
  type DmpFailure,
  type DmpOutcome,
  type ResponseReader,
} from './classify.ts';
import { buildSoapRequest } from './soap-request.ts';
import {
  buildTd02Request,
  type DmpState,
  readTd02Response,
  type Td02Answer,
  type Td02Result,
} from './td02.ts';
import { createDmpAgent, post, type TlsOptions } from './transport.ts';

export interface DmpClientOptions {
  readonly endpoints: {
    readonly iti41: string;
    readonly iti18: string;
    readonly iti57: string;
    readonly td02: string;
  };
  readonly tls: TlsOptions;
  /** Time allowed for one call, from connection to the end of the answer. */
  readonly timeoutMs: number;
  readonly signing: { readonly key: SigningKey; readonly subjectDn: string };
  readonly config: Pick<Config, 'establishment' | 'software' | 'ids' | 'vihf' | 'dmp'>;
  /** Largest answer read (default 16 MiB); a larger one is abandoned (ambiguous for a write). */
  readonly maxResponseBytes?: number;
  /** Id source and clock (injected by tests). */
  readonly ids?: IdSource;
  readonly now?: () => Date;
}

export interface QueryAnswer {
  readonly outcome: DmpOutcome<AdhocQueryResult>;
  /** The entries found (empty unless the outcome is success). */
  readonly documents: readonly QueriedDocument[];
}

export interface DeletionRequest {
  /** entryUUID of the document entry to delete (found with ITI-18). */
  readonly entryUUID: string;
  /** Activity of the deletion's submission set (usually that of the deposit). */
  readonly contentTypeCode: Code;
  /** Author of the submission set; default: the gateway as a software author of the establishment. */
  readonly author?: Author;
  /** Current status of the entry (default Approved). */
  readonly from?: string;
  /** The site that deposited the document: only its structure may delete it (default: the establishment). */
  readonly site?: Submission['site'];
}

export interface DmpClient {
  /** TD2.1: sends the deposit's MTOM request as built (ITI-41). */
  provideAndRegister(deposit: Deposit): Promise<DmpOutcome<RegistryResult>>;
  /** TD3.1: the entries with this uniqueId, any status (ITI-18 GetDocuments, LeafClass). */
  findByUniqueId(patient: Patient, uniqueId: string): Promise<QueryAnswer>;
  /** TD3.1: the patient's entries with these statuses (ITI-18 FindDocuments). */
  findDocuments(patient: Patient, statuses: readonly string[]): Promise<QueryAnswer>;
  /** TD3.3c: sets an entry's status to the DMP's Deleted (ITI-57). */
  deleteDocument(patient: Patient, request: DeletionRequest): Promise<DmpOutcome<RegistryResult>>;
  /** TD0.2: whether the patient has an active DMP. */
  checkPatient(patient: Patient): Promise<DmpState | DmpFailure>;
  /** Closes the kept-alive connections. */
  close(): void;
}

const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

const writeReader: ResponseReader<RegistryResult> = {
  read: parseRegistryResponse,
  judge: (r) => classifyRegistryResult(r, 'ambiguous'),
};

const queryReader: ResponseReader<AdhocQueryResult> = {
  read: readAdhocQueryResponse,
  judge: (r) => classifyRegistryResult(r, 'success'),
};

const td02Reader: ResponseReader<Td02Result, Td02Answer> = {
  read: readTd02Response,
  judge: (r) =>
    r.kind === 'answer'
      ? { kind: 'success', response: r }
      : {
          kind: 'permanent',
          reason: `the DMP refused the TD0.2 query (acknowledgement ${r.ack || 'none'}, query response ${r.queryResponseCode ?? 'none'})`,
          errors: r.details.map((d) => ({ errorCode: d.code, codeContext: d.text })),
        },
};

/** A query changes nothing: an ambiguous query outcome is a transient one. */
function forQuery<R>(outcome: DmpOutcome<R>): DmpOutcome<R> {
  return outcome.kind === 'ambiguous'
    ? { kind: 'transient', reason: `${outcome.reason} (a query, safe to send again)`, codes: [] }
    : outcome;
}

/** Creates a client; call `close()` when done. */
export function createDmpClient(options: DmpClientOptions): DmpClient {
  const agent = createDmpAgent(options.tls);
  const ids = options.ids ?? randomIds;
  const now = options.now ?? (() => new Date());
  const { config, endpoints } = options;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  async function exchange<R, S>(
    url: string,
    request: { readonly contentType: string; readonly body: Buffer; readonly messageId: string },
    reader: ResponseReader<R, S>,
  ): Promise<DmpOutcome<S>> {
    const result = await post(agent, url, {
      contentType: request.contentType,
      body: request.body,
      timeoutMs: options.timeoutMs,
      maxResponseBytes,
    });
    if (result.kind === 'error') return classifyTransportError(result.error, result.phase);
    return classifyResponse(result, reader, request.messageId);
  }

  function signed(
    action: string,
    url: string,
    body: XmlElement,
    patient: Patient,
    site?: Submission['site'],
  ) {
    return buildSoapRequest(action, url, body, patient, {
      config,
      signing: options.signing,
      ids,
      now: now(),
      site,
    });
  }

  async function query(patient: Patient, body: XmlElement): Promise<QueryAnswer> {
    const outcome = forQuery(
      await exchange(endpoints.iti18, signed(SOAP_ACTION.iti18, endpoints.iti18, body, patient), queryReader),
    );
    return { outcome, documents: outcome.kind === 'success' ? outcome.response.documents : [] };
  }

  function gatewayAuthor(): Author {
    const organisation = { id: `1${config.establishment.finess}`, name: config.establishment.name };
    const { name, version } = config.software;
    return { kind: 'system', id: `${organisation.id}/${name}`, name, model: version, organisation };
  }

  return {
    provideAndRegister: (deposit) =>
      exchange(endpoints.iti41, { ...deposit.http, messageId: deposit.messageId }, writeReader),

    findByUniqueId: async (patient, uniqueId) =>
      query(patient, buildGetDocumentsByUniqueId([uniqueId], 'LeafClass')),

    findDocuments: async (patient, statuses) =>
      query(patient, buildFindDocuments(cx(patient.ins, 'NH'), statuses)),

    async deleteDocument(patient, request) {
      const body = buildUpdateAvailabilityStatus({
        entryUUID: newEntryUUID(ids),
        uniqueId: newOid(ids, config.ids.oidRoot),
        sourceId: config.ids.sourceId,
        submissionTime: now().toISOString(),
        author: request.author ?? gatewayAuthor(),
        patientCx: cx(patient.ins, 'NH'),
        contentTypeCode: request.contentTypeCode,
        target: { entryUUID: request.entryUUID, from: request.from ?? STATUS.approved, to: STATUS.deleted },
      });
      return exchange(
        endpoints.iti57,
        signed(SOAP_ACTION.iti57, endpoints.iti57, body, patient, request.site),
        writeReader,
      );
    },

    async checkPatient(patient) {
      const body = buildTd02Request({
        ins: patient.ins,
        messageId: ids.uuid(),
        queryId: ids.uuid(),
        now: now(),
        senderOid: config.ids.sourceId,
        softwareName: config.software.name,
      });
      const outcome = forQuery(
        await exchange(endpoints.td02, signed(SOAP_ACTION.td02, endpoints.td02, body, patient), td02Reader),
      );
      return outcome.kind === 'success' ? outcome.response.dmp : outcome;
    },

    close: () => agent.destroy(),
  };
}
