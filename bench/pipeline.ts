/**
 * End-to-end rate of the gateway: one gateway process (API + deposit worker
 * + sandbox DMP, default settings, own Redis prefix and ports) receives
 * 100 KB PDF DocumentReferences from this process, `inFlight` POSTs at a
 * time, and deposits them in its sandbox over mutual TLS. Measures the ACK
 * latency (POST → 202, i.e. record and encrypted payload durable in Redis),
 * documents per second from the first POST to the last `deposited`, and the
 * gateway's peak RSS and CPU; checks every document is deposited exactly once.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import { type GatewayChild, startGatewayChild } from './gateway-child.ts';
import { benchPrefix, benchRedis, dropPrefix, REDIS_URL } from './redis.ts';
import { percentile, round, runPool, secondsSince } from './stats.ts';
import { paddedPdf } from './translate.ts';

export interface PipelineOptions {
  readonly docs: number;
  /** POSTs pending at once. */
  readonly inFlight: number;
  /** Sandbox VIHF and XAdES signature verification (`sandbox.checkSignatures`). */
  readonly checkSignatures: boolean;
  /** Development PKI folder (generated on first use, shared by runs). */
  readonly devPkiDir: string;
  readonly redisUrl?: string;
  /** Documents sent and deposited before measuring (JIT, TLS sessions), not counted. */
  readonly warmup?: number;
  /** Bound on the wait for all deposits. */
  readonly drainTimeoutMs?: number;
}

export interface PipelineResult {
  readonly figures: Record<string, number>;
  /** Everything that did not end deposited exactly once (must be empty). */
  readonly failures: string[];
  /** Warnings the gateway logged while measured (retries, errors). */
  readonly warnings: string[];
}

const SEQ = '__SEQ__';

/** The fixture with a 100 KB PDF, no hash/size (computed by the gateway), and a masterIdentifier placeholder. */
function documentTemplate(): string {
  const doc = JSON.parse(
    readFileSync(new URL('../fixtures/fhir/documentreference-pdf.json', import.meta.url), 'utf8'),
  );
  doc.content[0].attachment.data = paddedPdf(100 * 1024).toString('base64');
  delete doc.content[0].attachment.hash;
  delete doc.content[0].attachment.size;
  doc.masterIdentifier.value = `urn:oid:1.2.250.1.999.1.3.${SEQ}`;
  return JSON.stringify(doc);
}

interface Sent {
  readonly latenciesMs: number[];
  /** Submission id by document OID suffix. */
  readonly ids: Map<string, string>;
  readonly failures: string[];
}

async function postAll(apiUrl: string, body: (seq: string) => string, seqs: string[], inFlight: number) {
  const sent: Sent = { latenciesMs: [], ids: new Map(), failures: [] };
  await runPool(seqs.length, inFlight, async (i) => {
    const seq = seqs[i]!;
    const t = performance.now();
    try {
      const res = await fetch(`${apiUrl}/fhir/DocumentReference`, {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json' },
        body: body(seq),
      });
      sent.latenciesMs.push(performance.now() - t);
      const text = await res.text();
      const location = res.headers.get('location');
      if (res.status === 202 && location) sent.ids.set(seq, location.split('/').pop()!);
      else sent.failures.push(`POST ${seq}: HTTP ${res.status} ${text.slice(0, 300)}`);
    } catch (err) {
      sent.failures.push(`POST ${seq}: ${(err as Error).message}`);
    }
  });
  return sent;
}

/** Waits until no record under `prefix` is open (all terminal); false after `timeoutMs`. */
async function drained(redis: Redis, prefix: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await redis.zcard(`${prefix}:open`)) === 0) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

interface Settled {
  /** Epoch ms of the last `deposited` transition. */
  readonly lastDepositedMs: number;
  readonly failures: string[];
}

/** Reads every submission's final status; what is not `deposited` is a failure. */
async function settled(gw: GatewayChild, ids: Map<string, string>, inFlight: number): Promise<Settled> {
  const entries = [...ids];
  const failures: string[] = [];
  let last = 0;
  await runPool(entries.length, inFlight, async (i) => {
    const [seq, id] = entries[i]!;
    const s = (await (await fetch(`${gw.apiUrl}/api/submissions/${id}`)).json()) as {
      status: string;
      updatedAt: string;
      outcome?: unknown;
    };
    if (s.status === 'deposited') last = Math.max(last, Date.parse(s.updatedAt));
    else failures.push(`${seq} (${id}): ${s.status} ${JSON.stringify(s.outcome ?? '')}`);
  });
  return { lastDepositedMs: last, failures };
}

/**
 * Documents of the run held by the sandbox: each must be there exactly once.
 * Also the bytes the sandbox holds in memory (documents and signatures of
 * every run's deposits, warm-up included), a share of the gateway's RSS.
 */
async function sandboxCheck(gw: GatewayChild, seqs: readonly string[]) {
  const docs = (await (await fetch(`${gw.sandboxAdminUrl}/admin/documents`)).json()) as {
    uniqueId: string;
    kind: string;
    size: number;
  }[];
  const count = new Map<string, number>();
  for (const d of docs) if (d.kind === 'document') count.set(d.uniqueId, (count.get(d.uniqueId) ?? 0) + 1);
  const failures = seqs
    .map((seq) => [seq, count.get(`1.2.250.1.999.1.3.${seq}`) ?? 0] as const)
    .filter(([, n]) => n !== 1)
    .map(([seq, n]) => `${seq}: ${n} copies in the sandbox`);
  return { failures, heldBytes: docs.reduce((sum, d) => sum + d.size, 0) };
}

/** Runs the end-to-end benchmark against a fresh gateway child process, then stops it and drops its keys. */
export async function benchPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const redisUrl = options.redisUrl ?? REDIS_URL;
  const redis = await benchRedis(redisUrl);
  const prefix = benchPrefix(options.checkSignatures ? 'sig' : 'nosig');
  const template = documentTemplate();
  const body = (seq: string) => template.replace(SEQ, seq);
  const stamp = Date.now();
  const seqs = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => `${stamp}${String(from + i).padStart(6, '0')}`);
  const warmup = seqs(0, options.warmup ?? 16);
  const measured = seqs(warmup.length, options.docs);
  const drainMs = options.drainTimeoutMs ?? 120_000;
  let gw: GatewayChild | undefined;
  try {
    gw = await startGatewayChild({
      devPkiDir: options.devPkiDir,
      redis: { url: redisUrl, prefix },
      http: { port: 0 },
      sandbox: { enabled: true, port: 0, adminPort: 0, checkSignatures: options.checkSignatures },
      hl7: { mllpPort: 0 },
    });
    const warm = await postAll(gw.apiUrl, body, warmup, options.inFlight);
    if (warm.failures.length > 0 || !(await drained(redis, prefix, drainMs)))
      throw new Error(`warm-up failed: ${warm.failures.slice(0, 3).join('; ') || 'deposits did not finish'}`);

    const warningsBefore = gw.warnings.length;
    const rssBefore = gw.rssMiB();
    const cpuBefore = gw.cpuSeconds();
    const loadCpuBefore = process.cpuUsage();
    const startMs = Date.now();
    const start = process.hrtime.bigint();
    const sent = await postAll(gw.apiUrl, body, measured, options.inFlight);
    const intakeSeconds = secondsSince(start);
    const complete = await drained(redis, prefix, drainMs);
    const wallSeconds = secondsSince(start);
    const cpuSeconds = gw.cpuSeconds() - cpuBefore;
    const loadCpu = process.cpuUsage(loadCpuBefore);
    const peakRss = gw.peakRssMiB();

    const final = await settled(gw, sent.ids, options.inFlight);
    const sandbox = await sandboxCheck(gw, measured);
    const failures = [...sent.failures, ...final.failures, ...sandbox.failures];
    if (!complete) failures.push(`not all terminal after ${drainMs} ms`);
    const seconds = final.lastDepositedMs > 0 ? (final.lastDepositedMs - startMs) / 1000 : wallSeconds;
    const deposited = sent.ids.size - final.failures.length;
    return {
      figures: {
        documents: options.docs,
        deposited,
        seconds: round(seconds, 2),
        documentsPerSecond: round(deposited / seconds),
        acceptedPerSecond: round(sent.ids.size / intakeSeconds),
        ackP50Ms: round(percentile(sent.latenciesMs, 50)),
        ackP95Ms: round(percentile(sent.latenciesMs, 95)),
        ackP99Ms: round(percentile(sent.latenciesMs, 99)),
        ackMaxMs: round(Math.max(...sent.latenciesMs)),
        gatewayPeakRssMiB: round(peakRss),
        gatewayRssAfterWarmupMiB: round(rssBefore),
        sandboxHeldMiB: round(sandbox.heldBytes / 2 ** 20),
        gatewayCpuPercent: round((100 * cpuSeconds) / wallSeconds),
        gatewayCpuMsPerDocument: round((1000 * cpuSeconds) / options.docs),
        loadGeneratorCpuPercent: round((100 * (loadCpu.user + loadCpu.system)) / 1e6 / wallSeconds),
        failures: failures.length,
        gatewayWarnings: gw.warnings.length - warningsBefore,
      },
      failures,
      warnings: gw.warnings.slice(warningsBefore),
    };
  } finally {
    await gw?.stop();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  }
}
