/**
 * A worker takes a reloaded rules file without a restart (SIGHUP calls the
 * same reload in each process); a broken file leaves the previous version in
 * use and lists its errors.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDocument, idFrom, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { rulesFile } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'gw-reload-'));
const rules = (action: string) => rulesFile('reload', '999000019', action);
let gw: TestGateway;
beforeAll(async () => {
  writeFileSync(join(dir, 'rules.yaml'), rules('feed'));
  gw = await startTestGateway({ feeding: { policy: 'rules' }, mappings: { dir } });
});
afterAll(async () => {
  await gw?.close();
});

const outcome = async () => {
  const res = await gw.post(freshDocument());
  const done = await gw.waitFor(idFrom(res.location), (s) => ['deposited', 'skipped'].includes(s.status));
  return done.status;
};

it('the worker decides with the reloaded rules; a broken file keeps the previous ones', async () => {
  expect(await outcome()).toBe('deposited');

  writeFileSync(join(dir, 'rules.yaml'), rules('skip'));
  const reloaded = gw.reloadMappings!();
  expect(reloaded.ok).toBe(true);
  expect(await outcome()).toBe('skipped');

  writeFileSync(join(dir, 'rules.yaml'), rules('perhaps'));
  const broken = gw.reloadMappings!();
  expect({ ok: broken.ok, version: broken.version }).toEqual({ ok: false, version: reloaded.version });
  expect(broken.errors.join('\n')).toMatch(/rules\.yaml:5: default/);
  expect(await outcome()).toBe('skipped');
});
