/**
 * `npm run bench`: runs every benchmark of the gateway in one go on this
 * machine and prints the figures (see bench/README.md):
 * 1. translation alone (one process, SHA-256 and SHA-1 profiles);
 * 2. raw BullMQ add + process rate with no-op jobs (single and bulk adds);
 * 3. the gateway end to end (POST → deposited in its sandbox DMP), sandbox
 *    signature checks on, then off, with the ratio to the raw BullMQ rate.
 * Knobs: BENCH_SECONDS (each translation run), BENCH_JOBS (raw BullMQ jobs
 * per run), BENCH_DOCS (documents per gateway run), BENCH_IN_FLIGHT (POSTs
 * pending at once, also the raw single-add width), REDIS_URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config/load.ts';
import { benchBullmqRaw } from './bullmq-raw.ts';
import { benchPipeline } from './pipeline.ts';
import { benchRedis, REDIS_URL } from './redis.ts';
import { round } from './stats.ts';
import { benchTranslate } from './translate.ts';

function knob(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, not ${raw}`);
  return value;
}

const seconds = knob('BENCH_SECONDS', 10);
const docs = knob('BENCH_DOCS', 500);
const jobs = knob('BENCH_JOBS', 20_000);
const inFlight = knob('BENCH_IN_FLIGHT', 16);
const concurrency = parseConfig({}).queue.concurrency;

function print(title: string, figures: Record<string, number>): void {
  process.stdout.write(`\n${title}\n`);
  for (const [k, v] of Object.entries(figures)) process.stdout.write(`  ${k.padEnd(26)} ${v}\n`);
}

function printList(title: string, lines: readonly string[], max = 20): void {
  if (lines.length === 0) return;
  process.stdout.write(`  ${title} (${lines.length}):\n`);
  for (const line of lines.slice(0, max)) process.stdout.write(`    ${line}\n`);
  if (lines.length > max) process.stdout.write(`    … ${lines.length - max} more\n`);
}

process.stdout.write(
  `${new Date().toISOString()}  node ${process.version}, ${cpus().length} cores, ` +
    `${round(totalmem() / 2 ** 30)} GiB, load average ${loadavg()
      .map((l) => round(l, 2))
      .join(' ')}\n` +
    `translate ${seconds}s per run; raw BullMQ ${jobs} jobs; gateway ${docs} documents, ` +
    `${inFlight} POSTs in flight, worker concurrency ${concurrency}; Redis ${REDIS_URL}\n`,
);

(await benchRedis()).disconnect(); // fail at once, not after the translation runs

print(
  'translate: 100 KB PDF → signed ITI-41 deposit (RSA-SHA256), one process',
  await benchTranslate({ seconds, digest: 'sha256' }),
);
print('translate: same, SHA-1 profile', await benchTranslate({ seconds, digest: 'sha1' }));

const raw = await benchBullmqRaw({ jobs, concurrency, mode: 'single', inFlight });
print(
  `raw BullMQ: no-op jobs, 1 Queue + 1 Worker (concurrency ${concurrency}), ${inFlight} adds in flight`,
  raw,
);
print(
  'raw BullMQ: same, addBulk by 100',
  await benchBullmqRaw({ jobs, concurrency, mode: 'bulk', inFlight }),
);
const rawRate = raw.jobsPerSecond as number;

const devPkiDir = mkdtempSync(join(tmpdir(), 'gw-bench-pki-'));
const summary: string[] = [];
let failures = 0;
try {
  for (const checkSignatures of [true, false]) {
    const result = await benchPipeline({ docs, inFlight, checkSignatures, devPkiDir });
    const f = result.figures;
    const rate = f.documentsPerSecond as number;
    print(
      `gateway end to end: POST 100 KB PDF → deposited in the sandbox DMP, ` +
        `sandbox signature checks ${checkSignatures ? 'ON' : 'OFF'} (gateway = 1 child process)`,
      { ...f, ratioToRawBullmq: round(rate / rawRate, 4) },
    );
    printList('FAILURES', result.failures);
    printList('gateway warnings', result.warnings, 10);
    failures += result.failures.length;
    summary.push(
      `  signatures ${checkSignatures ? 'ON ' : 'OFF'}  ${rate} docs/s (${round((100 * rate) / rawRate, 2)} % of raw BullMQ ${rawRate} jobs/s), ` +
        `ACK p50/p95/p99 ${f.ackP50Ms}/${f.ackP95Ms}/${f.ackP99Ms} ms, peak RSS ${f.gatewayPeakRssMiB} MiB, failures ${f.failures}`,
    );
  }
} finally {
  rmSync(devPkiDir, { recursive: true, force: true });
}
process.stdout.write(`\nsummary\n${summary.join('\n')}\n`);
if (failures > 0) process.exitCode = 1;
await (await import('./mllp.ts')).printMllpBench(); // MLLP messages/s to ACK, ACK latency (bench/mllp.ts)
