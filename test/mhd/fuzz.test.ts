/**
 * Random mutations of the corpus bundles (and of a valid bundle) thrown at
 * POST /fhir: never a crash, never a 5xx, always a protocol-correct answer —
 * an OperationOutcome with at least one issue, or, for a bundle that is still
 * valid, a transaction-response with one entry per request entry.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MhdGateway, startMhdGateway } from '../support/mhd-app.ts';
import { corpusFile } from '../support/xsd.ts';
import { mhdBundle } from './bundles.ts';

let mhd: MhdGateway;
beforeAll(async () => {
  mhd = await startMhdGateway();
});
afterAll(async () => {
  await mhd?.close();
});

const SEEDS: unknown[] = [
  ...[
    'ipf/test.json',
    'pdsm/Bundle-bundle-exemple-comprehensiveprovidedocument-replace.json',
    'pdsm4dmp/Bundle-example-td2-iti65-lot-soumission.json',
    'pdsm4dmp/Bundle-example-td2-1-remplacement.json',
  ].map((f) => JSON.parse(readFileSync(corpusFile(`mhd/${f}`), 'utf8'))),
  mhdBundle(2),
];

type Json = unknown;
/** Every path (list of keys) into `value`, depth first. */
function paths(
  value: Json,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(prefix);
  if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value))
      paths(v, [...prefix, Array.isArray(value) ? Number(k) : k], out);
  return out;
}

type Mutation = { at: number; op: 'delete' | 'replace' | 'duplicate' | 'stringify'; value: Json };

function mutate(seed: Json, mutations: Mutation[]): Json {
  const doc = structuredClone(seed) as Record<string, unknown>;
  for (const m of mutations) {
    const all = paths(doc).filter((p) => p.length > 0);
    const path = all[m.at % all.length];
    if (!path) continue;
    const parent = path
      .slice(0, -1)
      .reduce<Json>((o, k) => (o as Record<string | number, Json>)[k], doc) as Record<string | number, Json>;
    const key = path.at(-1) as string | number;
    if (m.op === 'delete') Array.isArray(parent) ? parent.splice(Number(key), 1) : delete parent[key];
    else if (m.op === 'replace') parent[key] = structuredClone(m.value);
    else if (m.op === 'duplicate' && Array.isArray(parent)) parent.push(structuredClone(parent[key]));
    else parent[key] = JSON.stringify(parent[key] ?? null);
  }
  return doc;
}

const mutation = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('delete', 'replace', 'duplicate', 'stringify'),
  value: fc.jsonValue({ maxDepth: 2 }),
}) as fc.Arbitrary<Mutation>;

const body = fc.oneof(
  fc
    .record({ seed: fc.nat(SEEDS.length - 1), mutations: fc.array(mutation, { minLength: 1, maxLength: 6 }) })
    .map(({ seed, mutations }) => JSON.stringify(mutate(SEEDS[seed], mutations))),
  fc
    .record({ seed: fc.nat(SEEDS.length - 1), cut: fc.nat(), insert: fc.string({ maxLength: 3 }) })
    .map(({ seed, cut, insert }) => {
      const text = JSON.stringify(SEEDS[seed]);
      const at = cut % text.length;
      return text.slice(0, at) + insert + text.slice(at + (cut % 3));
    }),
);

describe('fuzz POST /fhir', () => {
  it('answers every mutated bundle with a FHIR answer, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const res = await fetch(`${mhd.url}/fhir`, {
          method: 'POST',
          headers: { 'content-type': 'application/fhir+json' },
          body: text,
        });
        expect(res.status, `${res.status} for ${text.slice(0, 200)}…`).toBeLessThan(500);
        expect([200, 400, 409, 413, 415, 422]).toContain(res.status);
        expect(res.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
        const json = (await res.json()) as {
          resourceType: string;
          type?: string;
          entry?: unknown[];
          issue?: { severity?: string; code?: string }[];
        };
        if (res.status === 200) {
          expect(json.resourceType).toBe('Bundle');
          expect(json.type).toBe('transaction-response');
          expect(json.entry?.length).toBe((JSON.parse(text) as { entry: unknown[] }).entry.length);
        } else {
          expect(json.resourceType).toBe('OperationOutcome');
          expect(json.issue?.length).toBeGreaterThan(0);
          for (const issue of json.issue ?? []) expect(issue.severity && issue.code).toBeTruthy();
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150) },
    );
    expect(mhd.logLines.filter((l) => l.includes('"level":50'))).toEqual([]);
  }, 120_000);
});
