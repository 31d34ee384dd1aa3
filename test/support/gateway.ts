/**
 * A whole gateway for integration tests: API, worker and sandbox DMP in this
 * process (src/main.ts `start`), on ephemeral loopback ports, with a Redis
 * key prefix and a development PKI of its own. Fast retries so failure
 * classes play out in seconds.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { OperationOutcome } from '@medplum/fhirtypes';
import pino from 'pino';
import { parseConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { type Running, start } from '../../src/main.ts';
import type { StoredSubmission, SubmissionRecord } from '../../src/store/records.ts';
import { dropPrefix, REDIS_URL, testPrefix, testRedis } from './redis.ts';

/** What `GET /api/submissions/:id` answers. */
export type SubmissionView = SubmissionRecord & Omit<StoredSubmission, 'record'>;

export interface TestGateway extends Running {
  readonly apiUrl: string;
  /** Port of the MLLP listener (0 when the api role or the listener is off). */
  readonly mllpPort: number;
  readonly config: Config;
  post(body: unknown): Promise<{ status: number; location: string | null; json: OperationOutcome }>;
  status(id: string): Promise<SubmissionView>;
  /** Polls the status until `done` holds (or throws after `timeoutMs`). */
  waitFor(id: string, done: (s: SubmissionView) => boolean, timeoutMs?: number): Promise<SubmissionView>;
  /** Stops everything and removes the run's Redis keys. */
  close(): Promise<void>;
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export const FIXTURE = (name = 'documentreference-pdf.json') =>
  JSON.parse(readFileSync(new URL(`../../fixtures/fhir/${name}`, import.meta.url), 'utf8'));

/** The fixture with its own document id, so each test deposits a new document. */
let sequence = 0;
/** The fixture with its own document OID, so each test deposits a new document. */
export function freshDocument(name?: string) {
  const doc = FIXTURE(name);
  doc.masterIdentifier.value = `urn:oid:1.2.250.1.999.1.3.${Date.now()}${process.pid}${++sequence}`;
  return doc;
}

export async function startTestGateway(
  overrides: DeepPartial<Config> = {},
  roles: ('api' | 'worker' | 'sandbox')[] = ['api', 'worker', 'sandbox'],
  options: { logLines?: string[] } = {},
): Promise<TestGateway> {
  const prefix = testPrefix();
  const base = {
    devPkiDir: mkdtempSync(join(tmpdir(), 'gw-pki-')),
    redis: { url: REDIS_URL, prefix },
    http: { port: 0 },
    sandbox: { port: 0, adminPort: 0 },
    hl7: { mllpPort: 0, notify: { attempts: 5, backoffMs: 100, maxBackoffMs: 400, timeoutMs: 2_000 } },
    dmp: { timeoutMs: 5_000 },
    // Transport and pipeline tests send documents as received; the feeding rules have their own tests.
    feeding: { policy: 'none' },
    mappings: { dir: mkdtempSync(join(tmpdir(), 'gw-mappings-')) },
    queue: {
      attempts: 4,
      backoffMs: 50,
      maxBackoffMs: 200,
      lockDurationMs: 2_000,
      reconcileEveryMs: 1_000,
      lifecycleRetryMs: 1_000,
      shutdownGraceMs: 2_000,
    },
  };
  const merged = {
    ...base,
    ...Object.fromEntries(
      Object.entries(overrides).map(([k, v]) => [
        k,
        typeof v === 'object' ? { ...(base as unknown as Record<string, object>)[k], ...v } : v,
      ]),
    ),
  };
  const config = parseConfig(merged);
  const lines = options.logLines;
  const log = lines
    ? pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) })
    : pino({ level: process.env.TEST_LOG ?? 'silent' });
  const running = await start(new Set(roles), config, { log });
  const apiUrl = running.apiUrl ?? '';
  const gw: TestGateway = {
    ...running,
    apiUrl,
    mllpPort: running.mllp?.port ?? 0,
    config,
    async post(body) {
      const res = await fetch(`${apiUrl}/fhir/DocumentReference`, {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return {
        status: res.status,
        location: res.headers.get('location'),
        json: (await res.json().catch(() => undefined)) as OperationOutcome,
      };
    },
    async status(id) {
      const res = await fetch(`${apiUrl}/api/submissions/${id}`);
      return (await res.json()) as SubmissionView;
    },
    async waitFor(id, done, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      let last: SubmissionView | undefined;
      while (Date.now() < deadline) {
        last = await gw.status(id);
        if (done(last)) return last;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(
        `submission ${id} did not reach the expected state; last: ${JSON.stringify(last?.status)} ${JSON.stringify(last?.timeline)}`,
      );
    },
    async close() {
      await running.stop();
      const redis = await testRedis();
      await dropPrefix(redis, prefix);
      redis.disconnect();
    },
  };
  return gw;
}

export function idFrom(location: string | null): string {
  if (!location) throw new Error('no Location header');
  return location.split('/').pop()!;
}

/** The example establishment's folder (mappings/chu-demo.yaml and its CME rules). */
export const EXAMPLE_MAPPINGS = resolve(import.meta.dirname, '../../mappings');

/** A gateway running the example establishment's mapping and CME feeding rules (as `npm start`). */
export function startExampleGateway(): Promise<TestGateway> {
  return startTestGateway({ feeding: { policy: 'rules' }, mappings: { dir: EXAMPLE_MAPPINGS } });
}
