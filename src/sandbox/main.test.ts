/**
 * The standalone sandbox (`node src/sandbox/main.ts`) as a child process:
 * generates the dev PKI in its working directory, seeds the demonstration
 * patients, prints its URLs without patient data, stops on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DEMO_PATIENTS } from './demo-patients.ts';
import type { SeededPatient } from './types.ts';

it('starts from the dev PKI, serves the admin API, stops on SIGTERM', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'sandbox-main-'));
  const child = spawn(process.execPath, [join(import.meta.dirname, 'main.ts')], {
    cwd,
    env: { ...process.env, SANDBOX_PORT: '0', SANDBOX_ADMIN_PORT: '0', DMP_GATEWAY_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const admin = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
      const m = /admin API: (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m?.[1]) resolve(m[1]);
    });
    void exited.then(() => reject(new Error(`exited early: ${output}`)));
  });
  try {
    expect(output).toMatch(/sandbox DMP \(mutual TLS\): https:\/\/127\.0\.0\.1:\d+\/dmp\//);
    expect(output).not.toContain('279035121518989');
    expect(existsSync(join(cwd, '.dev/pki/tls-server.cert.pem'))).toBe(true);
    const patients = (await (await fetch(`${admin}/admin/patients`)).json()) as SeededPatient[];
    expect(patients.map((p) => p.dmp).sort()).toEqual(['absent', 'active', 'closed']);
    expect(patients).toHaveLength(DEMO_PATIENTS.length);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
});
