/**
 * FHIR intake: `POST /fhir/DocumentReference` (the shape `dmp-gateway
 * translate` accepts). 202 + Location once stored; 200 for a document already
 * received; 409 when the same document id arrives with other content; 422
 * with an OperationOutcome naming every bad path; 503 when the store is down.
 */
import type { DocumentReference } from '@medplum/fhirtypes';
import { type Request, type Response, Router } from 'express';
import type { Config } from '../config/schema.ts';
import { GatewayError } from '../errors/catalogue.ts';
import { documentReferenceToSubmission, type FhirMapContext } from '../inbound/fhir/document-reference.ts';
import { acceptSubmission, type IntakeDeps } from '../intake/accept.ts';
import { mapSubmission, typedDocumentReference } from '../intake/mapping.ts';
import { fhirFacts } from '../intake/source-facts.ts';
import { randomIds, uuidToOid } from '../model/ids.ts';
import type { Submission } from '../model/types.ts';
import { canonicalJson, sha256Hex } from '../store/identity.ts';
import { sentDocument } from '../store/sent-version.ts';
import { malformedInput, outcome, outcomeOf, statusOf } from './operation-outcome.ts';
import { storeCall } from './store-errors.ts';

export interface FhirRouteDeps extends IntakeDeps {
  readonly fullConfig: Config;
}

function relatedUniqueId(doc: DocumentReference): string | undefined {
  const value = doc.relatesTo?.find((r) => r.code === 'replaces')?.target?.identifier?.value;
  if (!value) return undefined;
  if (value.startsWith('urn:oid:')) return value.slice(8);
  return value.startsWith('urn:uuid:') ? uuidToOid(value) : undefined;
}

/** Predecessor facts known locally (a document this gateway submitted). */
async function predecessorOf(
  deps: FhirRouteDeps,
  doc: DocumentReference,
): Promise<FhirMapContext['predecessor']> {
  const uniqueId = relatedUniqueId(doc);
  if (!uniqueId) return undefined;
  const id = await deps.store.byDocumentUniqueId(uniqueId);
  const stored = id ? await deps.store.get(id) : undefined;
  const prev = stored && sentDocument(stored, uniqueId);
  return prev
    ? { setId: prev.setId, versionNumber: prev.versionNumber, entryUUID: prev.entryUUID }
    : undefined;
}

export function fhirRoutes(deps: FhirRouteDeps): Router {
  const router = Router();
  router.post('/fhir/DocumentReference', async (req: Request, res: Response) => {
    const body = req.body as DocumentReference;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      res
        .status(400)
        .type('application/fhir+json')
        .json(outcome('error', 'structure', 'the body must be a FHIR DocumentReference in JSON'));
      return;
    }
    const now = new Date();
    const predecessor = await storeCall(() => predecessorOf(deps, body));
    let submission: Submission;
    const typed = typedDocumentReference(deps.mappings, body);
    try {
      submission = documentReferenceToSubmission(typed.doc, {
        config: deps.fullConfig,
        ids: randomIds,
        now,
        predecessor,
      });
    } catch (thrown) {
      const failed = malformedInput(thrown, 'DocumentReference');
      // A local type the mapping does not know: say so, beside what the FHIR checks found.
      const err = typed.issues.length
        ? new GatewayError(failed.code, [...typed.issues, ...failed.issues])
        : failed;
      res.status(statusOf(err)).type('application/fhir+json').json(outcomeOf(err));
      return;
    }
    const contentHash = sha256Hex(canonicalJson(body));
    const identity = body.masterIdentifier?.value
      ? `fhir:${submission.documents[0]!.id.root}`
      : `fhir-content:${contentHash}`;
    const facts = fhirFacts(body, {}, submission);
    const mapped = mapSubmission(deps.mappings, submission, [facts], deps.fullConfig.establishment);
    const result = await storeCall(() =>
      acceptSubmission(deps, { source: 'fhir', ...mapped, identity, contentHash }, now),
    );
    const location = `/api/submissions/${result.id}`;
    res.set('Location', location).type('application/fhir+json');
    if (result.kind === 'conflict') {
      res
        .status(409)
        .json(
          outcome(
            'error',
            'duplicate',
            `a different document with this masterIdentifier was already received (submission ${result.id})`,
            'DocumentReference.masterIdentifier',
          ),
        );
      return;
    }
    const created = result.kind === 'created';
    res
      .status(created ? 202 : 200)
      .json(
        outcome(
          'information',
          'informational',
          `${created ? 'accepted' : 'already received'} as submission ${result.id}`,
        ),
      );
  });
  return router;
}
