/**
 * HL7 v2 intake, whatever the transport (MLLP or `POST /hl7`) [VOLET-HL7
 * "Transmission de document(s) CDA en HL7v2"; IHE PAM-FR ZFA; DOMAIN.md §7]:
 * translate the message, store what it carries (documents and deletions as
 * submissions, patient facts from ADT), and only then answer AA. Every
 * failure is answered: AE with one ERR per problem for a message in error,
 * AR (207) when the gateway cannot store it now (the sender resends; the
 * documents' identities make a resend harmless).
 *
 * A message resent with the same MSH-10 gets the ACK it got the first time,
 * byte for byte, and stores nothing twice.
 */
import type { Config } from '../config/schema.ts';
import type { Td02Cache } from '../dmp/td02-cache.ts';
import { GatewayError, type Issue } from '../errors/catalogue.ts';
import { StoreUnavailable, storeCall } from '../http/store-errors.ts';
import { readHl7Header } from '../inbound/hl7v2/header.ts';
import { type PredecessorFacts, translateHl7 } from '../inbound/hl7v2/translate.ts';
import type { MllpHandler } from '../inbound/hl7v2/transport/mllp-server.ts';
import type { Hl7Document, Hl7Header, Hl7Intake, RoutingFlags } from '../inbound/hl7v2/types.ts';
import type { SourceFacts } from '../mappings/facts.ts';
import { seededIds } from '../model/ids.ts';
import type { Deletion } from '../model/types.ts';
import { wantsBusinessAck } from '../notify/senders.ts';
import type { PatientFactsStore } from '../patients/facts.ts';
import { canonicalJson, sha256Hex } from '../store/identity.ts';
import type { CreateResult, ReplyChannel } from '../store/records.ts';
import { sentDocument } from '../store/sent-version.ts';
import { acceptSubmission, type Inbound, type IntakeDeps } from './accept.ts';
import {
  type AckMemory,
  ackBytes,
  fingerprint,
  issuesOf,
  oversizeAck,
  rejectAck,
  unavailableAck,
} from './hl7-acks.ts';
import { localTypes, mapSubmission } from './mapping.ts';
import { hl7Facts } from './source-facts.ts';

export interface Hl7IntakeDeps extends Omit<IntakeDeps, 'config'> {
  readonly config: Config;
  readonly patients: PatientFactsStore;
  readonly acks: AckMemory;
  /** The TD0.2 cache: an ADT whose DMP status (PAM-FR ZFA-1) disagrees with it makes the next deposit ask again. */
  readonly td02?: Pick<Td02Cache, 'reconcile'>;
  /** Wakes the notifier for a record created terminal (DESTDMP=N); best effort, the outbox keeps it anyway. */
  readonly onTerminal?: (id: string) => Promise<void>;
}

/** Accepts one submission; a record created terminal (skipped) is handed to the notifier at once. */
async function accept(deps: Hl7IntakeDeps, inbound: Inbound, now: Date): Promise<CreateResult> {
  const result = await acceptSubmission(deps, inbound, now);
  if (result.kind === 'created' && inbound.skip && deps.onTerminal) {
    await deps
      .onTerminal(result.id)
      .catch((err: Error) =>
        deps.log.warn(
          { submission: result.id, err: err.message },
          'notifier not woken; the outbox keeps the record',
        ),
      );
  }
  return result;
}

/** Facts of documents this gateway deposited, for the new version of an unstructured document. */
async function predecessorFacts(
  deps: Hl7IntakeDeps,
  uniqueId: string,
): Promise<PredecessorFacts | undefined> {
  const id = await deps.store.byDocumentUniqueId(uniqueId);
  const stored = id ? await deps.store.get(id) : undefined;
  const doc = stored && sentDocument(stored, uniqueId);
  return doc && { setId: doc.setId, versionNumber: doc.versionNumber, entryUUID: doc.entryUUID };
}

/**
 * Translates; when the message replaces a document the translator needs facts
 * about (its setId and version), they are read from the store and the message
 * translated again with them (the translator is synchronous and pure).
 */
async function translate(bytes: Uint8Array, deps: Hl7IntakeDeps, now: Date): Promise<Hl7Intake> {
  const wanted = new Set<string>();
  // Ids minted for the message (a PDF wrapped without TXA-12, entryUUIDs) derive from the sender and MSH-10:
  // a resend (after an AR, a lost ACK) mints the same ones, so its document keeps one identity.
  const header = readHl7Header(bytes);
  const seed = header ? `${senderKey(header)}|${header.controlId}` : sha256Hex(bytes);
  const sender = header && { application: header.sender.application, facility: header.sender.facility };
  const base = {
    config: deps.config,
    get ids() {
      return seededIds(seed);
    },
    now,
    localTypes: sender && localTypes(deps.mappings, sender),
  };
  let first: Hl7Intake | undefined;
  let failure: unknown;
  try {
    first = translateHl7(bytes, { ...base, predecessor: (uid) => void wanted.add(uid) });
  } catch (err) {
    failure = err;
  }
  if (wanted.size === 0) {
    if (first) return first;
    throw failure;
  }
  const known = new Map<string, PredecessorFacts>();
  for (const uid of wanted) {
    const facts = await storeCall(() => predecessorFacts(deps, uid));
    if (facts) known.set(uid, facts);
  }
  return translateHl7(bytes, { ...base, predecessor: (uid) => known.get(uid) });
}

function senderKey(header: Hl7Header): string {
  return `${header.sender.application}|${header.sender.facility}`;
}

function replyOf(deps: Hl7IntakeDeps, header: Hl7Header, flags: RoutingFlags): ReplyChannel {
  return {
    channel: 'hl7v2',
    sender: header.sender,
    receiver: header.receiver,
    controlId: header.controlId,
    messageType: header.messageType,
    processingId: header.processingId,
    version: header.version,
    charset: header.charset,
    businessAck: wantsBusinessAck(
      deps.config,
      header.sender,
      flags.businessAck,
      flags.businessAckStated ?? false,
    ),
  };
}

/**
 * Carries the sender's CONNEXION_SECRETE (the VIHF of their deposit needs it) and MODIF_CONF_CODE (the
 * sender restates the confidentiality: a mask an operator set on an earlier version is not kept) onto
 * the documents.
 */
function withRoutingFlags(doc: Hl7Document): Hl7Document['submission'] {
  const { secretConnection, confidentialityChange } = doc.flags;
  if (!secretConnection && !confidentialityChange) return doc.submission;
  const documents = doc.submission.documents.map((d) => ({
    ...d,
    ...(secretConnection && { secretConnection: true }),
    ...(confidentialityChange && { confidentialityChange: true }),
  }));
  return { ...doc.submission, documents };
}

/**
 * Fingerprint of a document: its bytes, everything the message says about how to send it, and the facts
 * the mapping and the rules read (as sent, so a reload of mappings/ does not change it): a resend that
 * changes the unit, the site or the type is another document under the same id, not a duplicate.
 */
function documentHash(doc: Hl7Document, facts: SourceFacts): string {
  const entries = doc.submission.documents;
  const options = entries.map((d) => ({ confidentiality: d.confidentiality, visibility: d.visibility }));
  const read = [
    facts.application,
    facts.facility,
    facts.unit,
    facts.visitClass,
    facts.documentType,
    facts.localType,
    facts.structure,
  ].map((f) => f?.value ?? null);
  return sha256Hex(
    entries.map((d) => sha256Hex(d.content.bytes)).join('|') +
      canonicalJson({ flags: doc.flags, options, facts: read }),
  );
}

/** Stores what the message carries; returns the problems that make it AE (conflicting documents). */
async function store(intake: Hl7Intake, deps: Hl7IntakeDeps, now: Date): Promise<Issue[]> {
  const issues: Issue[] = [];
  const sender = senderKey(intake.header);
  switch (intake.kind) {
    case 'documents': {
      const msg = intake.message;
      for (const doc of intake.documents) {
        const uniqueId = doc.submission.documents[0]?.id.root ?? '';
        const facts = hl7Facts(msg, doc.submission, doc.location, {});
        const result = await accept(
          deps,
          {
            source: 'hl7v2',
            ...mapSubmission(deps.mappings, withRoutingFlags(doc), [facts], deps.config.establishment),
            identity: `hl7:${sender}:${uniqueId}`,
            contentHash: documentHash(doc, facts),
            reply: replyOf(deps, intake.header, doc.flags),
            ...(!doc.flags.toDmp && { skip: 'DESTDMP=N' }),
          },
          now,
        );
        if (result.kind === 'conflict')
          issues.push({
            code: 'DOCUMENT_CONFLICT',
            path: doc.location,
            message: `document ${uniqueId} was already received from this sender with other content (submission ${result.id})`,
          });
      }
      return issues;
    }
    case 'deletion':
      for (const uniqueId of intake.documentUniqueIds) {
        const deletion: Deletion = {
          kind: 'deletion',
          patient: intake.patient,
          documentUniqueId: uniqueId,
          contentTypeCode: intake.contentTypeCode,
          author: intake.author,
        };
        await accept(
          deps,
          {
            source: 'hl7v2',
            submission: deletion,
            identity: `hl7:${sender}:delete:${uniqueId}`,
            contentHash: sha256Hex(`delete|${uniqueId}`),
            reply: replyOf(deps, intake.header, intake.flags),
            ...(!intake.flags.toDmp && { skip: 'DESTDMP=N' }),
          },
          now,
        );
      }
      return issues;
    case 'patient': {
      // Only what the message states: no ZFA-1 keeps the known status, no ZFA-9 keeps a known opposition.
      const { facts } = intake;
      const ids = [facts.ins, facts.ipp].filter((id) => id !== undefined);
      const known = {
        ...(facts.dmpStatus !== undefined && { dmpStatus: facts.dmpStatus }),
        ...(facts.feedingInformation !== undefined && { opposedToFeeding: facts.opposedToFeeding }),
      };
      if (Object.keys(known).length > 0 && ids.length === 0) {
        // Facts that cannot be filed would be lost while the sender is told AA.
        issues.push({
          code: 'HL7_REQUIRED_FIELD',
          path: 'PID[1]-3',
          message: "no INS and no IPP (identifier type PI) to file the patient's DMP facts under",
        });
        return issues;
      }
      if (Object.keys(known).length === 0) return issues;
      await deps.patients.record(ids, known, now);
      if (facts.ins && facts.dmpStatus !== undefined)
        await deps.td02?.reconcile({ ins: facts.ins }, facts.dmpStatus);
      return issues;
    }
    default: {
      const never: never = intake;
      throw new Error(`unknown intake ${JSON.stringify(never)}`);
    }
  }
}

/** Answers one message: translate, store, ACK (see the module comment). Never throws. */
export async function handleHl7(bytes: Uint8Array, given: Hl7IntakeDeps, now = new Date()): Promise<Buffer> {
  // One mappings/ snapshot for the whole message: a reload meanwhile cannot translate it with one
  // version and record it with another.
  const deps = given.mappings ? { ...given, mappings: { current: given.mappings.current } } : given;
  const { log } = deps;
  let intake: Hl7Intake;
  try {
    intake = await translate(bytes, deps, now);
  } catch (err) {
    if (err instanceof StoreUnavailable) return unavailable(bytes, err, deps, now);
    if (!(err instanceof GatewayError)) log.error({ err: (err as Error).message }, 'HL7 translation failed');
    const issues = issuesOf(err);
    log.info({ paths: issues.map((i) => i.path), codes: issues.map((i) => i.code) }, 'HL7 message refused');
    return rejectAck(bytes, issues, now);
  }
  const { header } = intake;
  try {
    const print = fingerprint(bytes);
    const seen = await deps.acks.recall(header);
    if (seen) return resent(bytes, seen, print, header, deps, now);
    const issues = await store(intake, deps, now);
    if (issues.length > 0) {
      log.info({ type: header.messageType, codes: issues.map((i) => i.code) }, 'HL7 message refused');
      return ackBytes(header, 'AE', now, issues);
    }
    const kept = await deps.acks.keep(header, print, ackBytes(header, 'AA', now));
    log.info({ type: header.messageType, kind: intake.kind }, 'HL7 message accepted');
    return kept.ack;
  } catch (err) {
    return unavailable(bytes, err as Error, deps, now);
  }
}

function resent(
  bytes: Uint8Array,
  seen: { fingerprint: string; ack: Buffer },
  print: string,
  header: Hl7Header,
  deps: Hl7IntakeDeps,
  now: Date,
): Buffer {
  if (seen.fingerprint === print) {
    deps.log.info({ type: header.messageType }, 'HL7 message resent: original ACK returned');
    return seen.ack;
  }
  deps.log.warn({ type: header.messageType }, 'HL7 message control id reused by another message');
  const issue: Issue = {
    code: 'DUPLICATE_CONTROL_ID',
    path: 'MSH[1]-10',
    message:
      'this message control id was already used by another message of this sender: give each message its own',
  };
  return rejectAck(bytes, [issue], now, header);
}

function unavailable(bytes: Uint8Array, err: Error, deps: Hl7IntakeDeps, now: Date): Buffer {
  const cause = err instanceof StoreUnavailable ? err.cause : err;
  deps.log.warn({ err: cause.message }, 'HL7 message not stored: store unavailable');
  return unavailableAck(bytes, 'temporarily unavailable, resend', now);
}

/** The MLLP listener's handler: {@link handleHl7}, and the answers to a failure or an oversized message. */
export function mllpHandler(deps: Hl7IntakeDeps): MllpHandler {
  return {
    message: (bytes) => handleHl7(bytes, deps),
    failure: (bytes, reason) => unavailableAck(bytes, reason, new Date()),
    oversize: (head, limit) => oversizeAck(head, limit, new Date()),
  };
}
