#!/usr/bin/env node
/**
 * Process entry: loads the configuration once, builds the dependencies and
 * starts the roles asked for (`--role api,worker,sandbox`; default: all, the
 * sandbox only when enabled). It owns the lifecycle: on SIGTERM/SIGINT it
 * stops intake, lets in-flight deposits finish within the grace period, then
 * closes the queue, the sandbox and Redis.
 */
import { readFileSync, realpathSync } from 'node:fs';
import type { Server } from 'node:http';
import { parseArgs } from 'node:util';
import pino, { type Logger } from 'pino';
import { loadConfig } from './config/load.ts';
import type { Config } from './config/schema.ts';
import { loadSigningKey } from './config/signing-key.ts';
import { createDmpClient } from './dmp/client.ts';
import { Td02Cache } from './dmp/td02-cache.ts';
import { formatIssue, GatewayError } from './errors/catalogue.ts';
import { createApp } from './http/app.ts';
import { type MllpServer, startMllpServer } from './inbound/hl7v2/transport/mllp-server.ts';
import { mllpHandler } from './intake/hl7.ts';
import { AckMemory } from './intake/hl7-acks.ts';
import { LifecycleFacts } from './lifecycle/facts.ts';
import { MappingRegistry, type ReloadResult } from './mappings/registry.ts';
import { randomIds } from './model/ids.ts';
import { createNotifyQueue, notifyTerminal, scheduleOutbox } from './notify/notify-queue.ts';
import { startNotifyWorker } from './notify/notify-worker.ts';
import { PatientFactsStore, patientIndexKey } from './patients/facts.ts';
import { devPkiPaths, ensureDevPki } from './pki/dev-pki.ts';
import { createDepositQueue } from './queue/deposit-queue.ts';
import { feedingPolicy, loadRegistry, reloadRegistry } from './queue/feeding-policy.ts';
import { scheduleReconcile } from './queue/reconcile.ts';
import { startDepositWorker } from './queue/worker.ts';
import { blockingRedis, checkRedis, failFastRedis, whenReady } from './redis.ts';
import { DEMO_PATIENTS } from './sandbox/demo-patients.ts';
import { startSandbox } from './sandbox/server.ts';
import type { Sandbox } from './sandbox/types.ts';
import { loadPayloadKey, payloadCipher } from './store/crypto.ts';
import { FhirIndex } from './store/fhir-index.ts';
import { SubmissionStore } from './store/records.ts';

type Role = 'api' | 'worker' | 'sandbox';
const ROLES: readonly Role[] = ['api', 'worker', 'sandbox'];

/** Client TLS material for the DMP: configured files, else the development PKI. */
function dmpTls(config: Config) {
  const dev = devPkiPaths(config.devPkiDir);
  const read = (file: string | undefined, fallback: string) => readFileSync(file ?? fallback, 'utf8');
  return {
    certPem: read(config.dmp.tlsCertFile, dev.tlsClient.certPath),
    keyPem: read(config.dmp.tlsKeyFile, dev.tlsClient.keyPath),
    caPem: read(config.dmp.tlsCaFile, dev.ca.certPath),
  };
}

/** TLS material of the MLLP listener, when configured. */
function mllpTls(config: Config) {
  const t = config.hl7.tls;
  if (!t) return undefined;
  return {
    certPem: readFileSync(t.certFile, 'utf8'),
    keyPem: readFileSync(t.keyFile, 'utf8'),
    ...(t.caFile && { caPem: readFileSync(t.caFile, 'utf8') }),
    requireClientCert: t.requireClientCert,
  };
}

export interface Running {
  /** Base URL of the API, when the api role runs. */
  readonly apiUrl?: string;
  /** The MLLP listener, when the api role runs with `hl7.mllpEnabled`. */
  readonly mllp?: MllpServer;
  readonly sandbox?: Sandbox;
  /**
   * Re-reads the mappings and rules folder (the api and worker roles; a process of the sandbox role alone
   * has none). On any problem the previous version stays in use; the result lists every error.
   */
  reloadMappings?(): ReloadResult;
  stop(): Promise<void>;
}

/** The configuration in effect: with the sandbox in this process, the gateway deposits into it. */
function withSandboxEndpoints(config: Config, sandbox: Sandbox | undefined): Config {
  if (!sandbox) return config;
  const e = sandbox.endpoints;
  return {
    ...config,
    dmp: { ...config.dmp, iti41Url: e.iti41, iti18Url: e.iti18, iti57Url: e.iti57, td02Url: e.td02 },
  };
}

export async function start(
  roles: ReadonlySet<Role>,
  initial: Config = loadConfig(),
  options: { log?: Logger } = {},
): Promise<Running> {
  let config = initial;
  const log = options.log ?? pino({ level: process.env.LOG_LEVEL ?? 'info', base: { app: 'dmp-gateway' } });
  await ensureDevPki(config.devPkiDir, {
    establishmentName: config.establishment.name,
    finess: config.establishment.finess,
    softwareName: config.software.name,
  });
  const signing = await loadSigningKey(config);
  if (signing.development)
    log.warn({ dir: config.devPkiDir }, 'signing with the development PKI: not for the real DMP');
  const closers: (() => Promise<unknown>)[] = [];
  let apiUrl: string | undefined;
  let mllp: MllpServer | undefined;
  let reloadMappings: (() => ReloadResult) | undefined;
  let accepting = true;
  const stop = async () => {
    for (const close of closers) {
      try {
        await close();
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'error while closing');
      }
    }
    log.info('stopped');
  };
  let sandbox: Sandbox | undefined;
  try {
    if (roles.has('sandbox') && config.sandbox.enabled) {
      const pki = devPkiPaths(config.devPkiDir);
      sandbox = await startSandbox({
        host: '127.0.0.1',
        port: config.sandbox.port,
        adminPort: config.sandbox.adminPort,
        serverCertPem: readFileSync(pki.tlsServer.certPath, 'utf8'),
        serverKeyPem: readFileSync(pki.tlsServer.keyPath, 'utf8'),
        clientCaPem: readFileSync(pki.ca.certPath, 'utf8'),
        trustedSigningCertsPem: [signing.key.certPem],
        checkSignatures: config.sandbox.checkSignatures,
        patients: DEMO_PATIENTS,
        log,
      });
      config = withSandboxEndpoints(config, sandbox);
      log.info({ url: sandbox.url, admin: sandbox.adminUrl }, 'sandbox DMP listening');
      closers.push(() => sandbox!.close());
    }

    if (roles.has('api') || roles.has('worker')) {
      const registry = loadRegistry(new MappingRegistry(config.mappings.dir));
      log.info({ dir: registry.dir, version: registry.current?.version }, 'mappings and rules loaded');
      reloadMappings = () => reloadRegistry(registry, log);
      await checkRedis(config.redis.url);
      const redis = failFastRedis(config.redis.url, log, 'store');
      const payloadKey = loadPayloadKey(config.storage.encryptionKeyFile, config.devPkiDir);
      const cipher = payloadCipher(payloadKey);
      const retentionSeconds = Math.round(config.storage.payloadRetentionDays * 24 * 3600);
      const store = new SubmissionStore(redis, config.redis.prefix, cipher, retentionSeconds);
      const queueRedis = failFastRedis(config.redis.url, log, 'queue');
      await Promise.all([whenReady(redis), whenReady(queueRedis)]);
      const queue = createDepositQueue(queueRedis, config);
      queue.on('error', (err) => log.warn({ err: err.message }, 'queue error'));
      const notifyQueue = createNotifyQueue(queueRedis, config);
      notifyQueue.on('error', (err) => log.warn({ err: err.message }, 'notify queue error'));
      closers.unshift(async () => redis.quit());
      closers.unshift(async () => {
        await queue.close();
        await notifyQueue.close();
        await queueRedis.quit();
      });

      if (roles.has('worker')) {
        const dmp = createDmpClient({
          endpoints: {
            iti41: config.dmp.iti41Url,
            iti18: config.dmp.iti18Url,
            iti57: config.dmp.iti57Url,
            td02: config.dmp.td02Url,
          },
          tls: dmpTls(config),
          timeoutMs: config.dmp.timeoutMs,
          signing: { key: signing.key, subjectDn: signing.subjectDn },
          config,
        });
        const workerRedis = blockingRedis(config.redis.url, log, 'worker');
        // Status writes of workers wait out a Redis blip instead of failing the attempt.
        const workerStore = new SubmissionStore(workerRedis, config.redis.prefix, cipher, retentionSeconds);
        const outbox = scheduleOutbox(notifyQueue, workerStore, config, config.queue.reconcileEveryMs, log);
        const feeding =
          config.feeding.policy === 'rules'
            ? feedingPolicy({
                registry,
                finess: config.establishment.finess,
                patients: new PatientFactsStore(
                  workerRedis,
                  config.redis.prefix,
                  patientIndexKey(payloadKey),
                ),
                td02: new Td02Cache(
                  workerRedis,
                  config.redis.prefix,
                  patientIndexKey(payloadKey),
                  config.feeding.td02CacheSeconds,
                  dmp,
                ),
              })
            : undefined;
        const worker = startDepositWorker(
          workerRedis,
          config,
          {
            store: workerStore,
            dmp,
            depositEnv: () => ({
              config,
              ids: randomIds,
              now: new Date(),
              signingKey: signing.key,
              signerDn: signing.subjectDn,
            }),
            log,
            onTerminal: outbox.onTerminal,
            feeding,
            lifecycle: {
              queue,
              facts: new LifecycleFacts(workerRedis, config.redis.prefix),
              config,
              ids: randomIds,
            },
          },
          log,
        );
        const stopReconcile = scheduleReconcile(queue, workerStore, config, log);
        const notifyRedis = blockingRedis(config.redis.url, log, 'notify-worker');
        const notifier = startNotifyWorker(notifyRedis, config, { store: workerStore, config, log }, log);
        closers.unshift(async () => dmp.close());
        closers.unshift(async () => {
          stopReconcile();
          outbox.stop();
          await Promise.all([worker.close(), notifier.close()]);
          await Promise.all([workerRedis.quit(), notifyRedis.quit()]);
        });
        log.info({ concurrency: config.queue.concurrency }, 'deposit worker started');
      }

      if (roles.has('api')) {
        const index = new FhirIndex(redis, config.redis.prefix, patientIndexKey(payloadKey));
        const hl7 = {
          index,
          mappings: registry,
          store,
          queue,
          config,
          log,
          patients: new PatientFactsStore(redis, config.redis.prefix, patientIndexKey(payloadKey)),
          td02: new Td02Cache(
            redis,
            config.redis.prefix,
            patientIndexKey(payloadKey),
            config.feeding.td02CacheSeconds,
          ),
          acks: new AckMemory(redis, config.redis.prefix, config.hl7.ackTtlSeconds),
          onTerminal: (id: string) => notifyTerminal(notifyQueue, store, config, id),
        };
        const app = createApp({
          index,
          mappings: registry,
          config,
          store,
          queue,
          log,
          hl7,
          accepting: () => accepting,
          sandboxDocuments: sandbox ? () => sandbox!.documents() : undefined,
        });
        const server: Server = await new Promise((resolve, reject) => {
          const s = app.listen(config.http.port, config.http.host, () => resolve(s));
          s.once('error', reject);
        });
        const address = server.address();
        apiUrl = `http://${config.http.host}:${typeof address === 'object' && address ? address.port : config.http.port}`;
        log.info({ url: apiUrl }, 'API listening');
        closers.unshift(() => new Promise<void>((resolve) => server.close(() => resolve())));
        closers.unshift(async () => {
          accepting = false;
        });
        if (config.hl7.mllpEnabled) {
          const listener = await startMllpServer({
            host: config.hl7.mllpHost,
            port: config.hl7.mllpPort,
            maxMessageBytes: config.hl7.maxMessageBytes,
            idleTimeoutMs: config.hl7.idleTimeoutMs,
            maxConnections: config.hl7.maxConnections,
            handlerTimeoutMs: config.hl7.handlerTimeoutMs,
            tls: mllpTls(config),
            handler: mllpHandler(hl7),
            log,
          });
          mllp = listener;
          log.info({ host: listener.host, port: listener.port, tls: listener.tls }, 'MLLP listening');
          closers.unshift(() => listener.close(config.queue.shutdownGraceMs));
        }
      }
    }
  } catch (err) {
    await stop(); // release what was started before the failure (ports, Redis clients, workers)
    throw err;
  }
  return { apiUrl, mllp, sandbox, stop, ...(reloadMappings && { reloadMappings }) };
}

function parseRoles(value: string | undefined): Set<Role> {
  if (!value) return new Set(ROLES);
  const roles = value.split(',').map((r) => r.trim());
  for (const r of roles)
    if (!ROLES.includes(r as Role)) throw new Error(`unknown role ${r} (api, worker, sandbox)`);
  return new Set(roles as Role[]);
}

/** `dmp-gateway start [--role api,worker,sandbox] [--config file]`. */
export async function startCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { role: { type: 'string' }, config: { type: 'string', short: 'c' } },
  });
  const config = loadConfig(values.config);
  const { stop, reloadMappings } = await start(parseRoles(values.role ?? process.env.GATEWAY_ROLES), config);
  // SIGHUP re-reads mappings/ in this process: with the roles in separate processes, signal each of them
  // (`POST /api/mappings/reload` reloads the api process only).
  process.on('SIGHUP', () => void reloadMappings?.());
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    // Hard deadline: whatever still runs after the grace period is left to lock expiry and other workers.
    setTimeout(() => process.exit(1), config.queue.shutdownGraceMs + 10_000).unref();
    void stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

if (process.argv[1] && realpathSync(process.argv[1]) === import.meta.filename) {
  startCommand(process.argv.slice(2)).catch((err: unknown) => {
    if (err instanceof GatewayError)
      process.stderr.write(
        `${err.entry.summary}:\n${err.issues.map((i) => `  ${formatIssue(i)}`).join('\n')}\n`,
      );
    else process.stderr.write(`cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
