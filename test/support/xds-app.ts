/**
 * The XDS door on a small express app of its own, for tests (until
 * src/http/app.ts mounts it): a real submission store and deposit queue on
 * Redis. Given a running test gateway's configuration (same Redis prefix,
 * same development PKI folder, hence the same payload key), what it accepts
 * is deposited by that gateway's worker; otherwise it uses a fresh prefix
 * that `close()` removes.
 */
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { Redis } from 'ioredis';
import pino from 'pino';
import { parseConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { xdsRoutes } from '../../src/http/xds-routes.ts';
import { type XdsConfig, xdsConfigSchema } from '../../src/inbound/xds/config.ts';
import { createDepositQueue, type DepositQueue } from '../../src/queue/deposit-queue.ts';
import { loadPayloadKey, payloadCipher } from '../../src/store/crypto.ts';
import { SubmissionStore } from '../../src/store/records.ts';
import { dropPrefix, REDIS_URL, testPrefix, testRedis } from './redis.ts';

export interface XdsReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

export interface XdsTestApp {
  readonly url: string;
  readonly config: Config;
  readonly store: SubmissionStore;
  readonly queue: DepositQueue;
  /** Intake open or closed (shutdown), as `accepting()` answers. */
  accepting: boolean;
  post(
    body: Buffer | string,
    contentType: string | undefined,
    headers?: Record<string, string>,
  ): Promise<XdsReply>;
  close(): Promise<void>;
}

export async function startXdsApp(
  options: { config?: Config; xds?: Partial<XdsConfig>; redis?: Redis } = {},
): Promise<XdsTestApp> {
  await testRedis().then((r) => r.disconnect());
  const own = options.config === undefined;
  const config =
    options.config ??
    parseConfig({
      redis: { url: REDIS_URL, prefix: testPrefix() },
      devPkiDir: mkdtempSync(join(tmpdir(), 'xds-pki-')),
    });
  const redis =
    options.redis ?? new Redis(config.redis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', () => {});
  const queueRedis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  queueRedis.on('error', () => {});
  const cipher = payloadCipher(loadPayloadKey(config.storage.encryptionKeyFile, config.devPkiDir));
  const store = new SubmissionStore(redis, config.redis.prefix, cipher);
  const queue = createDepositQueue(queueRedis, config);
  queue.on('error', () => {});
  const xds = xdsConfigSchema.parse(options.xds ?? {});
  const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
  const app = express();
  const state = { accepting: true };
  app.use(xdsRoutes({ store, queue, config, xds, log, accepting: () => state.accepting }));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/xds/iti41`;
  const testApp: XdsTestApp = {
    url,
    config,
    store,
    queue,
    get accepting() {
      return state.accepting;
    },
    set accepting(value: boolean) {
      state.accepting = value;
    },
    async post(body, contentType, headers = {}) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { ...(contentType === undefined ? {} : { 'content-type': contentType }), ...headers },
        body: typeof body === 'string' ? body : new Uint8Array(body),
      });
      return {
        status: res.status,
        contentType: res.headers.get('content-type') ?? '',
        body: Buffer.from(await res.arrayBuffer()),
      };
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue.close();
      queueRedis.disconnect();
      if (!options.redis) redis.disconnect();
      if (own) {
        const cleaner = await testRedis();
        await dropPrefix(cleaner, config.redis.prefix);
        cleaner.disconnect();
      }
    },
  };
  return testApp;
}
