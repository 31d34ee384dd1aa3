#!/usr/bin/env node
/**
 * The sandbox DMP on its own: `node src/sandbox/main.ts`. Uses the
 * development PKI (generated in `devPkiDir`, default `.dev/pki`, when
 * missing), trusts its signing certificate (and the configured one, if
 * any), seeds the demonstration patients, listens on SANDBOX_PORT (default
 * 8443) and SANDBOX_ADMIN_PORT (default 8444), and stops on SIGINT/SIGTERM.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { loadConfig } from '../config/load.ts';
import { formatIssue, GatewayError } from '../errors/catalogue.ts';
import { ensureDevPki } from '../pki/dev-pki.ts';
import { DEMO_PATIENTS } from './demo-patients.ts';
import { startSandbox } from './server.ts';
import type { Sandbox } from './types.ts';

type Env = Readonly<Record<string, string | undefined>>;

function portFrom(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${name} must be a port number (0-65535)`);
  return port;
}

/** Starts the sandbox from the configuration and environment. */
export async function runSandbox(env: Env = process.env): Promise<Sandbox> {
  const config = loadConfig(env.DMP_GATEWAY_CONFIG, env);
  const pki = await ensureDevPki(config.devPkiDir, {
    establishmentName: config.establishment.name,
    finess: config.establishment.finess,
    softwareName: config.software.name,
  });
  const read = (path: string) => readFileSync(path, 'utf8');
  const trusted = [
    read(pki.signing.certPath),
    ...(config.signing.certFile ? [read(config.signing.certFile)] : []),
  ];
  return startSandbox({
    host: '127.0.0.1',
    port: portFrom(env, 'SANDBOX_PORT', 8443),
    adminPort: portFrom(env, 'SANDBOX_ADMIN_PORT', 8444),
    serverCertPem: read(pki.tlsServer.certPath),
    serverKeyPem: read(pki.tlsServer.keyPath),
    clientCaPem: read(pki.ca.certPath),
    trustedSigningCertsPem: trusted,
    checkSignatures: config.sandbox.checkSignatures,
    patients: DEMO_PATIENTS,
  });
}

async function main(): Promise<void> {
  const sandbox = await runSandbox();
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`sandbox DMP (mutual TLS): ${sandbox.url}/dmp/{iti41,iti18,iti57,td02}`);
  out(`admin API: ${sandbox.adminUrl}/admin/documents, /admin/trace, /admin/faults, /admin/patients`);
  out(`${DEMO_PATIENTS.length} demonstration patients seeded (DMP active, closed, absent)`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && realpathSync(process.argv[1]) === import.meta.filename) {
  main().catch((err: unknown) => {
    if (err instanceof GatewayError)
      process.stderr.write(
        `${err.entry.summary}:\n${err.issues.map((i) => `  ${formatIssue(i)}`).join('\n')}\n`,
      );
    else process.stderr.write(`cannot start the sandbox DMP: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
