/**
 * Interface-engineer API of the running gateway: dry-run over HTTP with the
 * example configuration, and a reload of the mapping files that keeps the
 * previous version when the new one is wrong (errors with file and line).
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXAMPLE_MAPPINGS, FIXTURE, startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mappings-'));
  cpSync(EXAMPLE_MAPPINGS, dir, { recursive: true });
  gw = await startTestGateway({ mappings: { dir } }, ['api']);
});
afterAll(async () => {
  await gw?.close();
});

it('POST /api/dry-run shows the decision of the example rules and changes nothing', async () => {
  const res = await fetch(`${gw.apiUrl}/api/dry-run`, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify(FIXTURE()),
  });
  expect(res.status).toBe(200);
  const report = (await res.json()) as {
    format: string;
    documents: { decision: { action: string } }[];
    rules: unknown;
  };
  expect(report.format).toBe('fhir');
  expect(report.documents[0]?.decision.action).toBe('feed');
  expect(report.rules).toMatchObject({ file: expect.stringContaining('rules-chu-demo.yaml') });
});

it('POST /api/mappings/reload keeps the last good version and lists errors with file and line', async () => {
  const good = await (await fetch(`${gw.apiUrl}/api/mappings/reload`, { method: 'POST' })).json();
  expect(good).toMatchObject({ ok: true, errors: [] });
  writeFileSync(
    join(dir, 'rules-broken.yaml'),
    "kind: rules\nid: broken\nestablishment: X\nsites: ['12']\ndefault: sometimes\nrules: []\n",
  );
  const res = await fetch(`${gw.apiUrl}/api/mappings/reload`, { method: 'POST' });
  expect(res.status).toBe(422);
  const bad = (await res.json()) as { ok: boolean; version: string; errors: string[] };
  expect(bad.ok).toBe(false);
  expect(bad.version).toBe((good as { version: string }).version);
  expect(bad.errors.some((e) => /rules-broken\.yaml:\d+: /.test(e))).toBe(true);
});
