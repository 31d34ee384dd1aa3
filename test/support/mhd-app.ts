/**
 * The MHD router on a whole test gateway (test/support/gateway.ts: API,
 * worker and sandbox DMP in this process, real Redis): the router is mounted
 * on an express app of its own, with its own store and queue on the gateway's
 * Redis prefix, so the gateway's worker deposits what it accepts. This is the
 * composition src/http/app.ts gets once it mounts `mhdRoutes` (before
 * `express.json()`).
 */
import type { AddressInfo } from 'node:net';
import type { BundleEntry, BundleLink, OperationOutcomeIssue } from '@medplum/fhirtypes';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { Config } from '../../src/config/schema.ts';
import { mhdRoutes } from '../../src/http/mhd-routes.ts';
import { outcome } from '../../src/http/operation-outcome.ts';
import { createDepositQueue } from '../../src/queue/deposit-queue.ts';
import { loadPayloadKey, payloadCipher } from '../../src/store/crypto.ts';
import { SubmissionStore } from '../../src/store/records.ts';
import { startTestGateway, type TestGateway } from './gateway.ts';
import { REDIS_URL } from './redis.ts';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** A FHIR answer: a Bundle (transaction-response, searchset), an OperationOutcome, or a resource. */
export interface FhirAnswer {
  readonly resourceType: string;
  readonly id?: string;
  readonly type?: string;
  readonly total?: number;
  readonly link?: BundleLink[];
  readonly entry?: BundleEntry[];
  readonly issue: OperationOutcomeIssue[];
}

export interface MhdGateway {
  readonly gw: TestGateway;
  readonly url: string;
  readonly store: SubmissionStore;
  /** Log lines of the MHD app (pino JSON). */
  readonly logLines: string[];
  post(
    body: unknown,
    headers?: Record<string, string>,
    path?: string,
  ): Promise<{ status: number; json: FhirAnswer }>;
  get(path: string): Promise<{ status: number; json: FhirAnswer }>;
  close(): Promise<void>;
}

export async function startMhdGateway(overrides: DeepPartial<Config> = {}): Promise<MhdGateway> {
  const gw = await startTestGateway(overrides);
  const config = gw.config;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const queueRedis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  for (const r of [redis, queueRedis]) r.on('error', () => {});
  const cipher = payloadCipher(loadPayloadKey(config.storage.encryptionKeyFile, config.devPkiDir));
  const store = new SubmissionStore(redis, config.redis.prefix, cipher);
  const queue = createDepositQueue(queueRedis, config);
  queue.on('error', () => {});
  const logLines: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(mhdRoutes({ store, queue, config, log, fullConfig: config }));
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    log.error({ err: err.message, stack: err.stack }, 'unhandled error');
    res.status(500).json(outcome('fatal', 'exception', 'internal error'));
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const read = async (res: globalThis.Response) => ({
    status: res.status,
    json: (await res.json().catch(() => undefined)) as FhirAnswer,
  });
  return {
    gw,
    url,
    store,
    logLines,
    async post(body, headers = { 'content-type': 'application/fhir+json' }, path = '/fhir') {
      const data = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
      return read(await fetch(`${url}${path}`, { method: 'POST', headers, body: data }));
    },
    async get(path) {
      return read(await fetch(`${url}${path}`));
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue.close();
      redis.disconnect();
      queueRedis.disconnect();
      await gw.close();
    },
  };
}
