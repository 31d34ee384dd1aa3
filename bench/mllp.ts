/**
 * MLLP intake rate: one gateway process with the api role only (MLLP
 * listener + intake, no deposit worker: what is measured is the time to a
 * durable AA, i.e. translation, record + encrypted payload in Redis, job
 * queued) receives messages from this process over `connections` MLLP
 * connections, each sending its next message once the previous one is
 * acknowledged (HL7 original mode). Two loads: MDM^T02 carrying a ~100 KB
 * CDA N1 (a padded PDF wrapped by the gateway's own N1 wrapper), and the
 * corpus PAM-FR admission (no document). Prints messages per second and the
 * ACK latency percentiles; every answer must be AA.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { documentEntry } from '../fixtures/cda/sample.ts';
import { AUTHOR, ORGANISATION, PATIENT } from '../fixtures/hl7v2/cda.ts';
import { bytes, ed, message } from '../fixtures/hl7v2/messages.ts';
import { wrapN1 } from '../src/cda/n1.ts';
import { MllpClient } from '../src/inbound/hl7v2/transport/mllp-client.ts';
import type { Submission } from '../src/model/types.ts';
import { OID } from '../src/model/vocabulary.ts';
import { benchPrefix, benchRedis, dropPrefix, REDIS_URL } from './redis.ts';
import { percentile, round, secondsSince } from './stats.ts';
import { paddedPdf } from './translate.ts';

const ROOT = resolve(import.meta.dirname, '..');
const PLACEHOLDER = '1.2.250.1.999.1.3.900000000000';

export interface MllpBenchOptions {
  readonly messages: number;
  readonly connections: number;
  readonly devPkiDir: string;
}

/** A ~100 KB CDA N1 of the fixture patient with a placeholder document id. */
function cdaTemplate(): string {
  const document = documentEntry({
    id: { root: PLACEHOLDER },
    setId: { root: `${PLACEHOLDER}.0` },
    title: 'Lettre de sortie',
    typeCode: { code: '11490-0', codeSystem: OID.loinc, displayName: 'Lettre de sortie' },
    classCode: { code: '10', codeSystem: OID.treA03Class },
    authors: [AUTHOR],
    legalAuthenticator: undefined,
    custodian: ORGANISATION,
    content: { kind: 'unstructured', mediaType: 'application/pdf', bytes: paddedPdf(72 * 1024) },
  });
  const submission = { author: AUTHOR, patient: PATIENT, documents: [document] } as unknown as Submission;
  return Buffer.from(wrapN1(submission, document)).toString('utf8');
}

function mdmMessages(count: number, run: string): Buffer[] {
  const cda = cdaTemplate();
  return Array.from({ length: count }, (_, i) => {
    const id = `1.2.250.1.999.1.3.9${run}${String(i).padStart(7, '0')}`;
    const doc = new TextEncoder().encode(cda.replaceAll(PLACEHOLDER, id));
    return Buffer.from(
      bytes(message({ type: 'MDM', controlId: `B${run}${i}`, txa12: id, documents: [{ ed: ed(doc) }] })),
    );
  });
}

function adtMessages(count: number, run: string): Buffer[] {
  const text = readFileSync(join(ROOT, '../shared/corpus/hl7v2/fr-ans/adt/admission.er7'), 'utf8');
  return Array.from({ length: count }, (_, i) => Buffer.from(text.replace('|3975|', `|A${run}${i}|`)));
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** `node src/main.ts --role api` with its own Redis prefix and MLLP port; resolves once MLLP listens. */
async function startApi(prefix: string, devPkiDir: string): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'gw-bench-mllp-'));
  const file = join(dir, 'config.json');
  const config = { devPkiDir, redis: { url: REDIS_URL, prefix }, http: { port: 0 }, hl7: { mllpPort: port } };
  writeFileSync(file, JSON.stringify(config));
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info' };
  for (const name of ['DMP_GATEWAY_CONFIG', 'REDIS_URL', 'REDIS_PREFIX', 'PORT', 'MLLP_PORT'])
    delete env[name];
  const child = spawn(process.execPath, [join(ROOT, 'src/main.ts'), '--role', 'api', '--config', file], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  await new Promise<void>((ready, fail) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('"MLLP listening"')) ready();
    });
    child.once('exit', (code) => fail(new Error(`the gateway exited (${code}) at start`)));
  });
  return { child, port };
}

async function drive(port: number, messages: Buffer[], connections: number) {
  const latencies: number[] = [];
  const failures: string[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = await MllpClient.connect({ host: '127.0.0.1', port, timeoutMs: 60_000 });
      while (next < messages.length) {
        const msg = messages[next++]!;
        const t = performance.now();
        const answer = (await client.send(msg)).toString('utf8');
        latencies.push(performance.now() - t);
        if (!answer.includes('\rMSA|AA|')) failures.push(answer.split('\r').slice(1).join(' ').slice(0, 200));
      }
      await client.close();
    }),
  );
  const seconds = secondsSince(started);
  return {
    figures: {
      messages: messages.length,
      connections,
      messagesPerSecond: round(messages.length / seconds),
      ackP50Ms: round(percentile(latencies, 50)),
      ackP95Ms: round(percentile(latencies, 95)),
      ackP99Ms: round(percentile(latencies, 99)),
      failures: failures.length,
    },
    failures,
  };
}

/** Runs both loads against one gateway process; the gateway's Redis keys are removed afterwards. */
export async function benchMllp(options: MllpBenchOptions) {
  const prefix = benchPrefix('mllp');
  const redis = await benchRedis();
  const { child, port } = await startApi(prefix, options.devPkiDir);
  const run = String(Date.now());
  try {
    await drive(port, mdmMessages(Math.min(50, options.messages), `1${run}`), options.connections); // warm-up
    const mdm = await drive(port, mdmMessages(options.messages, `2${run}`), options.connections);
    const adt = await drive(port, adtMessages(options.messages, run), options.connections);
    return { mdm100k: mdm.figures, adt: adt.figures, failures: [...mdm.failures, ...adt.failures] };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
    await dropPrefix(redis, prefix);
    redis.disconnect();
  }
}

/**
 * Runs {@link benchMllp} with the knobs BENCH_MLLP_MESSAGES (default 1000)
 * and BENCH_MLLP_CONNECTIONS (default 8) and prints the figures; a non-AA
 * answer sets a failing exit code.
 */
export async function printMllpBench(): Promise<void> {
  const messages = Number(process.env.BENCH_MLLP_MESSAGES || 1000);
  const connections = Number(process.env.BENCH_MLLP_CONNECTIONS || 8);
  const devPkiDir = mkdtempSync(join(tmpdir(), 'gw-bench-pki-'));
  try {
    const result = await benchMllp({ messages, connections, devPkiDir });
    const print = (title: string, figures: Record<string, number>) => {
      process.stdout.write(`\n${title}\n`);
      for (const [k, v] of Object.entries(figures)) process.stdout.write(`  ${k.padEnd(26)} ${v}\n`);
    };
    print('MLLP intake → AA (api role, 1 child process): MDM^T02 with a 100 KB CDA N1', result.mdm100k);
    print('MLLP intake → AA: PAM-FR ADT^A01 (patient facts, no document)', result.adt);
    for (const failure of result.failures.slice(0, 10)) process.stdout.write(`  FAILURE ${failure}\n`);
    if (result.failures.length > 0) process.exitCode = 1;
  } finally {
    rmSync(devPkiDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) await printMllpBench();
