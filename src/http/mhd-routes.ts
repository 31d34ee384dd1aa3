/**
 * IHE MHD doors (PDSm 3.1.1): `POST /fhir` ITI-65 Provide Document Bundle and
 * `GET /fhir/DocumentReference` ITI-67 Find Document References.
 *
 * ITI-65 is all or nothing: the whole bundle is validated first (every
 * problem → 400/422 OperationOutcome), then stored as ONE submission (one
 * record, its encrypted payload and its identity claim written by one atomic
 * Redis script) and queued; the DMP receives it as one ITI-41, which it also
 * accepts or refuses whole. If the store fails, nothing was written: 503. A
 * resend of the same bundle is recognised (identity + content hash) and
 * answered with the first outcome, so a sender that got no answer can safely
 * send again. The FHIR index (patient, ids) is written after the record and
 * again on every resend, so a failed index write heals on the next try.
 *
 * The router reads its own body (size limit → 413 before reading,
 * Content-Type → 415, JSON depth and size → 400/413 before parsing); mount it
 * before `express.json()`. It answers only FHIR: every failure is an
 * OperationOutcome.
 */
import type { Bundle } from '@medplum/fhirtypes';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { Config } from '../config/schema.ts';
import { GatewayError } from '../errors/catalogue.ts';
import {
  bundleToSubmission,
  type MhdSubmission,
  preloadProfiles,
  replacementTargets,
} from '../inbound/fhir/bundle.ts';
import type { PredecessorFacts } from '../inbound/fhir/document-entry.ts';
import { findDocumentReferences, parseSearch } from '../inbound/fhir/find-document-references.ts';
import { jsonShape } from '../inbound/fhir/json-limits.ts';
import { transactionResponse } from '../inbound/fhir/transaction-response.ts';
import { acceptSubmission, type IntakeDeps } from '../intake/accept.ts';
import { unmapped } from '../intake/mapping.ts';
import { randomIds } from '../model/ids.ts';
import type { Submission } from '../model/types.ts';
import { patientIndexKey } from '../patients/facts.ts';
import { loadPayloadKey } from '../store/crypto.ts';
import { FhirIndex } from '../store/fhir-index.ts';
import { canonicalJson, sha256Hex } from '../store/identity.ts';
import { asSent } from '../store/sent-version.ts';
import { malformedInput, outcome, outcomeOf } from './operation-outcome.ts';
import { StoreUnavailable, storeCall } from './store-errors.ts';

export interface MhdRouteDeps extends IntakeDeps {
  readonly fullConfig: Config;
}

const FHIR_JSON = 'application/fhir+json';
const ACCEPTED_TYPES = [FHIR_JSON, 'application/json'];

function fail(
  res: Response,
  status: number,
  code: Parameters<typeof outcome>[1],
  text: string,
  path?: string,
): void {
  res
    .status(status)
    .type(FHIR_JSON)
    .json(outcome('error', code, text, path));
}

/** Content-Type check, then the raw body (limit), then JSON shape limits, then JSON.parse. */
function fhirBody(config: Config) {
  const raw = express.raw({ type: () => true, limit: config.http.maxBodyBytes });
  return [
    (req: Request, res: Response, next: NextFunction) => {
      const [type, ...params] = (req.headers['content-type'] ?? '')
        .split(';')
        .map((p) => p.trim().toLowerCase());
      const charset = params
        .find((p) => p.startsWith('charset='))
        ?.slice(8)
        .replace(/"/g, '');
      if (!ACCEPTED_TYPES.includes(type ?? '') || (charset && charset !== 'utf-8'))
        return fail(
          res,
          415,
          'not-supported',
          `Content-Type must be ${FHIR_JSON} (or application/json), UTF-8`,
        );
      next();
    },
    raw,
    (req: Request, res: Response, next: NextFunction) => {
      if (!Buffer.isBuffer(req.body)) {
        // An app-level JSON parser ran first: its limits applied; check the shape of what it built.
        const text = JSON.stringify(req.body ?? null);
        req.body = { text };
      } else req.body = { text: decodeUtf8(req.body) };
      const { text } = req.body as { text?: string };
      if (text === undefined) return fail(res, 400, 'structure', 'the body is not valid UTF-8');
      const { maxJsonDepth, maxJsonValues } = config.fhir;
      const shape = jsonShape(text, { maxDepth: maxJsonDepth, maxValues: maxJsonValues });
      if (shape.depth > maxJsonDepth)
        return fail(res, 400, 'structure', `the JSON nests deeper than ${maxJsonDepth} levels`);
      if (shape.values > maxJsonValues)
        return fail(res, 413, 'too-costly', `the JSON has more than ${maxJsonValues} values`);
      try {
        req.body = { json: JSON.parse(text) as unknown };
      } catch {
        return fail(res, 400, 'structure', 'the body is not valid JSON');
      }
      next();
    },
  ];
}

function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Facts of the replaced documents, by the entry index of the replacing DocumentReference. */
async function predecessors(deps: MhdRouteDeps, index: FhirIndex, body: unknown) {
  const found = new Map<number, PredecessorFacts>();
  for (const target of replacementTargets(body)) {
    const id = target.reference?.match(/^DocumentReference\/([A-Za-z0-9\-.]{1,64})$/)?.[1];
    const recordId = id
      ? await index.byDocumentId(id)
      : target.uniqueId &&
        ((await index.byUniqueId(target.uniqueId)) ?? (await deps.store.byDocumentUniqueId(target.uniqueId)));
    const stored = recordId ? await deps.store.get(recordId) : undefined;
    const recorded = stored?.record.documents.find((d) =>
      id ? d.entryUUID.replace(/^urn:uuid:/i, '') === id : d.uniqueId === target.uniqueId,
    );
    // The version the DMP holds, which may be higher than the record's (it followed the gateway's own).
    const doc = stored && recorded && asSent(stored, recorded);
    if (doc)
      found.set(target.index, {
        setId: doc.setId,
        versionNumber: doc.versionNumber,
        entryUUID: doc.entryUUID,
        uniqueId: doc.uniqueId,
      });
  }
  return found;
}

/** A document uniqueId already held by another submission that did not end rejected or failed. */
async function uniqueIdTaken(deps: MhdRouteDeps, index: FhirIndex, mapped: MhdSubmission, identity: string) {
  for (const [k, doc] of mapped.submission.documents.entries()) {
    const owner = (await index.byUniqueId(doc.id.root)) ?? (await deps.store.byDocumentUniqueId(doc.id.root));
    const stored = owner ? await deps.store.get(owner) : undefined;
    if (stored && stored.record.identity !== identity && !['rejected', 'failed'].includes(stored.status))
      return {
        path: `Bundle.entry[${mapped.parts.documents[k]?.index}].resource.masterIdentifier`,
        id: stored.record.id,
      };
  }
  return undefined;
}

export function mhdRoutes(deps: MhdRouteDeps): Router {
  const config = deps.fullConfig;
  const key = patientIndexKey(loadPayloadKey(config.storage.encryptionKeyFile, config.devPkiDir));
  const index = new FhirIndex(deps.store.redis, deps.store.prefix, key);
  preloadProfiles();
  const router = Router();

  router.post(['/fhir', '/fhir/'], ...fhirBody(config), async (req: Request, res: Response) => {
    const body = (req.body as { json: unknown }).json;
    const now = new Date();
    const facts = await storeCall(() => predecessors(deps, index, body));
    let mapped: MhdSubmission;
    try {
      mapped = bundleToSubmission(body, { config, ids: randomIds, now, predecessors: facts });
    } catch (thrown) {
      const err = malformedInput(thrown, 'Bundle');
      const notABundle = err.issues.some((i) => i.path === 'Bundle.resourceType' || i.path === 'Bundle.type');
      res
        .status(notABundle ? 400 : 422)
        .type(FHIR_JSON)
        .json(outcomeOf(err));
      return;
    }
    const contentHash = sha256Hex(canonicalJson(body));
    const identity = mapped.senderUniqueId
      ? `mhd:${mapped.submission.uniqueId}`
      : `mhd-content:${contentHash}`;
    const taken = await storeCall(() => uniqueIdTaken(deps, index, mapped, identity));
    if (taken)
      return fail(
        res,
        409,
        'duplicate',
        `a document with this uniqueId was already received (submission ${taken.id})`,
        taken.path,
      );
    const result = await storeCall(() =>
      acceptSubmission(deps, { source: 'fhir', ...unmapped(mapped.submission), identity, contentHash }, now),
    );
    if (result.kind === 'conflict')
      return fail(
        res,
        409,
        'duplicate',
        `another bundle with this SubmissionSet uniqueId was already received (submission ${result.id})`,
        `Bundle.entry[${mapped.parts.submissionSet?.index}].resource.identifier`,
      );
    const stored = await storeCall(async () => {
      const found = await deps.store.get(result.id);
      const submission = result.kind === 'created' ? mapped.submission : await deps.store.payload(result.id);
      if (found && submission && 'documents' in submission)
        await index.add(result.id, submission as Submission, new Date(found.record.createdAt));
      return found;
    });
    if (!stored || stored.record.documents.length !== mapped.parts.documents.length)
      return fail(
        res,
        409,
        'duplicate',
        `this bundle was already received as submission ${result.id} with other documents`,
      );
    const statusUrl = `/api/submissions/${result.id}`;
    res
      .status(200)
      .type(FHIR_JSON)
      .json(transactionResponse(mapped.parts, stored.record, statusUrl));
  });

  const search = async (req: Request, res: Response, params: URLSearchParams) => {
    let query: ReturnType<typeof parseSearch>;
    try {
      query = parseSearch(params);
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
      res.status(400).type(FHIR_JSON).json(outcomeOf(err));
      return undefined;
    }
    const base = `${req.protocol}://${req.get('host')}/fhir`;
    const source = {
      get: (id: string) => deps.store.get(id),
      payload: async (id: string) => {
        const p = await deps.store.payload(id);
        return p && 'documents' in p ? p : undefined;
      },
      byPatient: (ins: Parameters<FhirIndex['byPatient']>[0], limit: number) => index.byPatient(ins, limit),
      byDocumentId: (id: string) => index.byDocumentId(id),
      byUniqueId: (uid: string) => index.byUniqueId(uid),
      replacedBy: (uid: string) => index.replacedBy(uid),
    };
    return storeCall(() =>
      findDocumentReferences(source, query, config, base, `${base}${req.originalUrl.slice(5)}`),
    );
  };

  router.get('/fhir/DocumentReference', async (req: Request, res: Response) => {
    const found = await search(req, res, new URL(req.originalUrl, 'http://gateway').searchParams);
    if (found) res.status(200).type(FHIR_JSON).json(found);
  });
  router.get('/fhir/DocumentReference/:id', async (req: Request, res: Response) => {
    const found: Bundle | undefined = await search(
      req,
      res,
      new URLSearchParams({ _id: String(req.params.id) }),
    );
    const resource = found?.entry?.find((e) => e.search?.mode === 'match')?.resource;
    if (!found) return;
    if (!resource)
      return fail(res, 404, 'not-found', 'no document with this id was submitted through this gateway');
    res.status(200).type(FHIR_JSON).json(resource);
  });

  router.use(
    ['/fhir', '/fhir/'],
    (err: Error & { type?: string; status?: number }, _req: Request, res: Response, next: NextFunction) => {
      if (err instanceof StoreUnavailable) {
        deps.log.warn({ err: err.cause.message }, 'store unavailable');
        res.set('Retry-After', '5');
        return fail(
          res,
          503,
          'transient',
          'the submission store is unavailable; retry later (a resend of the same bundle is recognised and answered once)',
        );
      }
      if (err.type === 'entity.too.large')
        return fail(res, 413, 'too-costly', `the body exceeds ${config.http.maxBodyBytes} bytes`);
      if (err.type === 'encoding.unsupported')
        return fail(res, 415, 'not-supported', 'the body must be UTF-8');
      if (typeof err.status === 'number' && err.status >= 400 && err.status < 500)
        return fail(res, err.status, 'invalid', 'the request could not be read');
      next(err);
    },
  );
  return router;
}
