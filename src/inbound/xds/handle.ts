/**
 * The ITI-41 Document Recipient (IHE ITI TF-2b §3.41, as the XDS door of the
 * gateway): one HTTP request in, one SOAP answer out.
 * - Envelope-level problems → SOAP 1.2 Fault (./request.ts, ./faults.ts).
 * - Otherwise a RegistryResponse: Success once the whole submission is
 *   durably accepted (record + encrypted payload, one atomic store write:
 *   all documents or none), or Failure listing every XDS error found. A
 *   Redis outage or a closing gateway is `XDSRepositoryBusy` (transient: the
 *   source may resend unchanged); nothing was accepted then.
 * - A resend of an accepted request (same source, same submission set
 *   uniqueId, same content) is answered Success again without a second
 *   deposit; other content under that uniqueId is
 *   `XDSDuplicateUniqueIdInRegistry`.
 */
import type { Logger } from 'pino';
import type { Config } from '../../config/schema.ts';
import { GatewayError } from '../../errors/catalogue.ts';
import { acceptSubmission, type IntakeDeps } from '../../intake/accept.ts';
import { unmapped } from '../../intake/mapping.ts';
import { type IdSource, randomIds } from '../../model/ids.ts';
import { XDS } from '../../model/vocabulary.ts';
import { standaloneXml } from '../../soap/envelope.ts';
import { type RimSubmission, readProvideAndRegister } from '../../xds/ebrim-reader.ts';
import { RegistryErrors, rimLocation, XDS_ERROR } from '../../xds/registry-errors.ts';
import type { RegistryErrorEntry } from '../../xds/registry-response.ts';
import type { XdsConfig } from './config.ts';
import { senderFault, XdsFault } from './faults.ts';
import { knownDocuments, rememberEntries, resolvePredecessors } from './known-documents.ts';
import { checkIti41Envelope, readSoapRequest, type SoapRequest } from './request.ts';
import { faultReply, registryReply, type SoapReply } from './response.ts';
import { replacementTargets } from './structure.ts';
import { rimToSubmission } from './to-submission.ts';

export interface XdsIntakeDeps extends IntakeDeps {
  readonly config: Pick<Config, 'establishment' | 'ids' | 'queue'>;
  readonly xds: XdsConfig;
  /** Whether intake is open (closed during shutdown). */
  readonly accepting: () => boolean;
  readonly log: Logger;
  readonly ids?: IdSource;
}

/** A store/queue call failed: nothing was accepted, the source may resend later. */
class Busy extends Error {}

async function storeStep<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new Busy((err as Error).message);
  }
}

function busy(): RegistryErrorEntry[] {
  const errors = new RegistryErrors();
  errors.add(XDS_ERROR.repositoryBusy, 'the gateway cannot store documents right now; resend later');
  return errors.list;
}

function metadataErrors(err: GatewayError): RegistryErrorEntry[] {
  const errors = new RegistryErrors();
  for (const i of err.issues) errors.add(XDS_ERROR.registryMetadataError, i.message, i.path || undefined);
  if (errors.empty) errors.add(XDS_ERROR.registryMetadataError, err.message);
  return errors.list;
}

/** The RegistryErrors of an acceptable request, or [] once it is durably accepted. */
async function accept(
  rim: RimSubmission,
  request: SoapRequest,
  deps: XdsIntakeDeps,
): Promise<RegistryErrorEntry[]> {
  const now = new Date();
  const targets = replacementTargets(rim).values();
  const predecessors = await storeStep(() => resolvePredecessors(deps.store, targets));
  const mapped = rimToSubmission(rim, request.parts, {
    config: deps.config,
    sources: deps.xds.sources,
    ids: deps.ids ?? randomIds,
    now,
    predecessors,
  });
  if (!mapped.ok) return [...mapped.errors];
  const { submission, identity, contentHash, requestIds } = mapped;
  const known = await storeStep(() => knownDocuments(deps.store, submission, identity));
  const errors = new RegistryErrors();
  for (const uniqueId of known.different) {
    const where = rimLocation('ExtrinsicObject', requestIds.entries.get(uniqueId));
    errors.add(
      XDS_ERROR.nonIdenticalHash,
      `uniqueId ${uniqueId} was accepted earlier with other content`,
      where,
    );
  }
  if (!errors.empty) return errors.list;
  if (known.acceptedIn && known.identical.length === submission.documents.length) {
    deps.log.info({ submission: known.acceptedIn, source: 'xds' }, 'documents already accepted');
    return [];
  }
  const result = await storeStep(() =>
    acceptSubmission(deps, { source: 'xds', ...unmapped(submission), identity, contentHash }, now),
  );
  if (result.kind === 'conflict') {
    const where = rimLocation(
      'RegistryPackage',
      requestIds.submissionSet,
      `ExternalIdentifier[@identificationScheme='${XDS.submissionSet.uniqueId}']`,
    );
    errors.add(
      XDS_ERROR.duplicateUniqueIdInRegistry,
      `the submission set uniqueId was used by an earlier request with other content (submission ${result.id})`,
      where,
    );
    return errors.list;
  }
  try {
    await rememberEntries(deps.store, result.id, submission);
  } catch (err) {
    deps.log.warn({ submission: result.id, err: (err as Error).message }, 'entryUUID index not written');
  }
  return [];
}

/** Answers one ITI-41 HTTP request; never throws. */
export async function handleIti41(
  contentType: string | undefined,
  body: Buffer,
  deps: XdsIntakeDeps,
): Promise<SoapReply> {
  let messageId: string | undefined;
  try {
    const limits = { ...deps.xds, maxBytes: deps.xds.maxBodyBytes };
    const request = readSoapRequest(contentType, body, limits);
    messageId = request.envelope.messageId;
    const bodyXml = checkIti41Envelope(request.envelope);
    const reply = { messageId: messageId as string, mtom: request.mtom };
    if (!deps.accepting()) return registryReply(busy(), reply);
    let rim: RimSubmission;
    try {
      rim = readProvideAndRegister(standaloneXml(bodyXml));
    } catch (err) {
      if (err instanceof GatewayError) return registryReply(metadataErrors(err), reply);
      throw err;
    }
    try {
      return registryReply(await accept(rim, request, deps), reply);
    } catch (err) {
      if (!(err instanceof Busy)) throw err;
      deps.log.warn({ err: err.message }, 'store unavailable: ITI-41 answered XDSRepositoryBusy');
      return registryReply(busy(), reply);
    }
  } catch (err) {
    if (err instanceof XdsFault) return faultReply(err, messageId);
    deps.log.error({ err: (err as Error).message, stack: (err as Error).stack }, 'ITI-41: unexpected error');
    return faultReply(new XdsFault('Receiver', 'internal error; the request was not accepted'), messageId);
  }
}

/** The fault of a body larger than the limit, refused before it is read (HTTP 413). */
export function tooLargeReply(limit: number): SoapReply {
  return faultReply(senderFault(`the message exceeds ${limit} bytes`, undefined, 413));
}
