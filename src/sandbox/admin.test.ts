/**
 * The admin JSON API of the sandbox DMP over plain HTTP on loopback:
 * documents, one document with its bytes, trace, faults, patients, reset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACTIVE,
  fixtureDeposit,
  post,
  startTestSandbox,
  type TestSandbox,
} from '../../test/support/sandbox-client.ts';
import { td02 } from '../../test/support/sandbox-requests.ts';
import type { SandboxDocument, SeededPatient, TraceEntry } from './types.ts';

let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t.sandbox.close();
});

async function admin<T>(
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; json: T }> {
  const res = await fetch(`${t.sandbox.adminUrl}${path}`, {
    method: init.method ?? 'GET',
    ...(init.body !== undefined && {
      body: JSON.stringify(init.body),
      headers: { 'content-type': 'application/json' },
    }),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as T };
}

describe('admin API', () => {
  it('listens on loopback, apart from the mutual-TLS endpoints', () => {
    expect(t.sandbox.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(t.sandbox.adminPort).not.toBe(t.sandbox.port);
    expect(t.sandbox.endpoints.iti41).toBe(`${t.sandbox.url}/dmp/iti41`);
  });

  it('shows stored documents, one document with its bytes, and the trace', async () => {
    const d = fixtureDeposit(t);
    await post(t, 'iti41', d.http);
    const list = await admin<SandboxDocument[]>('/admin/documents');
    expect(list.json.map((x) => x.uniqueId)).toContain('1.2.250.1.999.1.3.1001');
    const one = await admin<SandboxDocument>('/admin/documents/1.2.250.1.999.1.3.1001?content=1');
    expect(Buffer.from(one.json.contentBase64!, 'base64').equals(Buffer.from(d.parts[0]!.bytes))).toBe(true);
    expect((await admin('/admin/documents/1.2.3.4')).status).toBe(404);
    const trace = await admin<TraceEntry[]>('/admin/trace');
    expect(trace.json.at(-1)).toMatchObject({ endpoint: 'iti41', outcome: 'success' });
  });

  it('reads and replaces the fault settings; refuses bad ones', async () => {
    const put = await admin('/admin/faults', {
      method: 'PUT',
      body: { failNext: [{ kind: 'http500', count: 1 }] },
    });
    expect(put.status).toBe(200);
    expect((await admin('/admin/faults')).json).toMatchObject({ failNext: [{ kind: 'http500', count: 1 }] });
    expect((await post(t, 'td02', td02({ ...t, ins: ACTIVE }))).status).toBe(500);
    expect((await admin('/admin/faults', { method: 'PUT', body: { dropPercent: 'lots' } })).status).toBe(400);
  });

  it('seeds patients in CX or object form; refuses a non-INS', async () => {
    const seeded = await admin<SeededPatient>('/admin/patients', {
      method: 'POST',
      body: { ins: '277107512345678^^^&1.2.250.1.213.1.4.10&ISO^NH', dmp: 'closed' },
    });
    expect(seeded).toEqual({
      status: 201,
      json: { root: '1.2.250.1.213.1.4.10', extension: '277107512345678', dmp: 'closed' },
    });
    const bad = await admin<{ error: string }>('/admin/patients', {
      method: 'POST',
      body: { ins: { root: '1.2.3', extension: 'x' }, dmp: 'active' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/INS/);
    expect((await admin<SeededPatient[]>('/admin/patients')).json).toContainEqual(seeded.json);
  });

  it('reset forgets documents and trace, and restores the start patients and faults', async () => {
    expect((await admin('/admin/reset', { method: 'POST' })).status).toBe(204);
    expect((await admin('/admin/documents')).json).toEqual([]);
    expect((await admin('/admin/trace')).json).toEqual([]);
    expect((await admin<SeededPatient[]>('/admin/patients')).json.map((p) => p.extension)).not.toContain(
      '277107512345678',
    );
    expect((await admin('/admin/faults')).json).toEqual({ failNext: [] });
  });
});
