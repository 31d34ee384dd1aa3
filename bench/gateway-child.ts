/**
 * The gateway as a child process (`node src/main.ts --role api,worker,sandbox
 * --config <file>`), so its memory and CPU are measured apart from the load
 * generator: URLs from its JSON log lines, peak RSS (VmHWM) and CPU time
 * from /proc, warnings it logs, SIGTERM to stop.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(import.meta.dirname, '..');
/** Settings the environment would override over the config file (src/config/load.ts). */
const OVERRIDING_ENV = [
  'DMP_GATEWAY_CONFIG',
  'DMP_SIGN_KEY',
  'DMP_SIGN_CERT',
  'DMP_ITI41_URL',
  'REDIS_URL',
  'REDIS_PREFIX',
  'PORT',
  'MLLP_PORT',
  'STORAGE_KEY_FILE',
  'GATEWAY_ROLES',
];
const PINO_WARN = 40;

export interface GatewayChild {
  readonly pid: number;
  readonly apiUrl: string;
  readonly sandboxAdminUrl: string;
  /** Messages the gateway logged at warn level or above (no patient data by design). */
  readonly warnings: string[];
  /** User + system CPU seconds the process has used so far. */
  cpuSeconds(): number;
  /** Peak resident set size so far (VmHWM), MiB. */
  peakRssMiB(): number;
  /** Current resident set size (VmRSS), MiB. */
  rssMiB(): number;
  /** SIGTERM, then waits for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function procStatusKiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Number(line?.match(/(\d+)\s*kB/)?.[1] ?? Number.NaN);
}

function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks; // utime, stime (fields 14, 15)
}

async function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((r) => {
    timer = setTimeout(() => r(false), ms);
  });
  const done = await Promise.race([once(child, 'exit').then(() => true), timeout]);
  clearTimeout(timer);
  return done;
}

/** Starts the gateway with `config` (written to a temporary file); resolves once its API listens. */
export async function startGatewayChild(config: unknown, startTimeoutMs = 60_000): Promise<GatewayChild> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-bench-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config));
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info' };
  for (const name of OVERRIDING_ENV) delete env[name];
  const child = spawn(
    process.execPath,
    [join(ROOT, 'src/main.ts'), '--role', 'api,worker,sandbox', '--config', file],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const warnings: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let apiUrl: string | undefined;
  let adminUrl: string | undefined;
  let ready: () => void = () => {};
  const listening = new Promise<void>((r) => {
    ready = r;
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let entry: { level?: number; msg?: string; url?: string; admin?: string; [k: string]: unknown };
    try {
      entry = JSON.parse(line);
    } catch {
      return;
    }
    if (entry.msg === 'sandbox DMP listening') adminUrl = entry.admin;
    if (entry.msg === 'API listening') {
      apiUrl = entry.url;
      ready();
    }
    if ((entry.level ?? 0) >= PINO_WARN && warnings.length < 1000) {
      const { level: _l, time: _t, pid: _p, hostname: _h, app: _a, msg, ...rest } = entry;
      warnings.push(`${msg} ${JSON.stringify(rest)}`);
    }
  });
  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the gateway did not start in time')), startTimeoutMs);
    child.once('exit', (code) =>
      reject(new Error(`the gateway exited (${code}) at start: ${stderr.trim()}`)),
    );
  });
  failed.catch(() => {});
  try {
    await Promise.race([listening, failed]);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  } finally {
    clearTimeout(timer);
  }
  const pid = child.pid!;
  return {
    pid,
    apiUrl: apiUrl!,
    sandboxAdminUrl: adminUrl ?? '',
    warnings,
    cpuSeconds: () => procCpuSeconds(pid),
    peakRssMiB: () => procStatusKiB(pid, 'VmHWM') / 1024,
    rssMiB: () => procStatusKiB(pid, 'VmRSS') / 1024,
    async stop(graceMs = 30_000) {
      child.kill('SIGTERM');
      if (!(await exited(child, graceMs))) {
        child.kill('SIGKILL');
        await exited(child, 5_000);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
