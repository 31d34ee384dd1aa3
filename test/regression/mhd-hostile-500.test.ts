/**
 * Regression (found in review): ITI-65 bundles with one wrongly-typed value answer
 * HTTP 500 "internal error" instead of a 4xx OperationOutcome naming the
 * path (issue 5 "no crash, no 500, always a protocol-correct error").
 * src/inbound/fhir/bundle.ts `guarded()` swallows a mapper's TypeError only
 * for an entry the structure validation already flagged; the PDSm/MHD
 * validation lets these shapes through, so the TypeError (or, for a List
 * without a usable `source`, the internal "a bundle without problems has ...
 * its author" Error) escapes to the express error handler. The random fuzz
 * test (test/mhd/fuzz.test.ts) never hits them: found by a one-value sweep.
 * POST /fhir/DocumentReference (src/http/fhir-routes.ts) has no structure
 * validation at all and rethrows every non-GatewayError: same 500s.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mhdBundle } from '../mhd/bundles.ts';
import { freshDocument, startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({}, ['api']);
});
afterAll(async () => {
  await gw?.close();
});

type Edit = (b: ReturnType<typeof mhdBundle>) => void;
// biome-ignore lint/suspicious/noExplicitAny: hostile shapes on purpose
const res = (b: ReturnType<typeof mhdBundle>, i: number) => b.entry[i]!.resource as any;

const CASES: Record<string, Edit> = {
  'List.identifier[0].value = []': (b) => {
    res(b, 0).identifier[0].value = [];
  },
  'List.code.coding = ""': (b) => {
    res(b, 0).code.coding = '';
  },
  'List.subject.reference = []': (b) => {
    res(b, 0).subject.reference = [];
  },
  'List.source = 0': (b) => {
    res(b, 0).source = 0;
  },
  'DocumentReference.securityLabel[0].coding = ""': (b) => {
    res(b, 1).securityLabel[0].coding = '';
  },
  'DocumentReference.contained[0].birthDate = []': (b) => {
    res(b, 1).contained[0].birthDate = [];
  },
};

it.each(Object.keys(CASES))('%s → 4xx OperationOutcome, not 500', async (name) => {
  const bundle = mhdBundle(1);
  CASES[name]!(bundle);
  const answer = await fetch(`${gw.apiUrl}/fhir`, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify(bundle),
  });
  const json = (await answer.json()) as { resourceType?: string; issue?: { expression?: string[] }[] };
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  expect(json.resourceType).toBe('OperationOutcome');
});

// biome-ignore lint/suspicious/noExplicitAny: hostile shapes on purpose
const DR_CASES: Record<string, (d: any) => void> = {
  'masterIdentifier.value = true': (d) => {
    d.masterIdentifier.value = true;
  },
  'contained = [null]': (d) => {
    d.contained = [null];
  },
  'content[0].attachment.data = true': (d) => {
    d.content[0].attachment.data = true;
  },
  // Read by the mapping step (src/intake/source-facts.ts) before the FHIR checks.
  'type.coding[0].system = 123': (d) => {
    d.type.coding[0].system = 123;
  },
  'type.coding[0].code = {}': (d) => {
    d.type.coding[0].code = {};
  },
  'context.practiceSetting.coding[0].system = {}': (d) => {
    d.context.practiceSetting.coding[0].system = {};
  },
};

it.each(Object.keys(DR_CASES))('POST /fhir/DocumentReference with %s → 4xx, not 500', async (name) => {
  const doc = freshDocument();
  DR_CASES[name]!(doc);
  const answer = await gw.post(doc);
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  expect(answer.json?.resourceType).toBe('OperationOutcome');
});
