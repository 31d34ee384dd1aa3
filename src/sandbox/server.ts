/**
 * The built-in sandbox DMP (issue "Sandbox DMP"): an HTTPS server with
 * mutual TLS serving the DMP transactions the gateway uses (DOMAIN.md §1) —
 * `POST /dmp/iti41` (ITI-41, MTOM or plain SOAP), `/dmp/iti18` (ITI-18),
 * `/dmp/iti57` (ITI-57), `/dmp/td02` (TD0.2) — checking what the DMP
 * checks, with fault injection, plus an admin JSON listener on loopback and
 * the same API in process.
 */
import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { adminApp } from './admin.ts';
import { dispatch } from './dispatch.ts';
import { FaultInjector } from './faults.ts';
import { PatientDirectory } from './patients.ts';
import { documentView, RegistryStore } from './registry-store.ts';
import { faultReply, SoapFaultError } from './soap-endpoint.ts';
import type { SandboxState } from './state.ts';
import { mutualTlsOptions } from './tls.ts';
import { TraceLog } from './trace.ts';
import { SANDBOX_ENDPOINTS, type Sandbox, type SandboxEndpoint, type SandboxOptions } from './types.ts';

export type { Sandbox, SandboxFaults, SandboxOptions } from './types.ts';

const DEFAULT_MAX_BODY = 64 * 1024 * 1024;
const DEFAULT_HANG_MS = 10 * 60_000;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

async function listen(server: Server, port: number, host: string): Promise<number> {
  server.listen(port, host);
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts the sandbox DMP; resolves once both listeners are bound. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.test(host))
    throw new Error('the sandbox DMP listens on loopback only (its admin API has no authentication)');
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const patients = new PatientDirectory(options.patients);
  const store = new RegistryStore();
  const faults = new FaultInjector(options.faults, options.random ?? Math.random);
  const trace = new TraceLog(options.traceLimit);
  const state: SandboxState = {
    store,
    patients,
    trustedCertsPem: options.trustedSigningCertsPem,
    checkSignatures: options.checkSignatures ?? true,
    now: options.now ?? (() => new Date()),
  };
  const hung = new Map<Socket, NodeJS.Timeout>();
  const hang = (req: Request) => {
    const socket = req.socket;
    const timer = setTimeout(() => socket.destroy(), options.hangTimeoutMs ?? DEFAULT_HANG_MS);
    hung.set(socket, timer);
    socket.once('close', () => {
      clearTimeout(timer);
      hung.delete(socket);
    });
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.post('/dmp/:endpoint', express.raw({ type: () => true, limit: maxBodyBytes }), (req, res, next) => {
    const endpoint = req.params.endpoint as SandboxEndpoint;
    if (!SANDBOX_ENDPOINTS.includes(endpoint)) return next();
    dispatch(endpoint, req, res, {
      state,
      faults,
      trace,
      maxBodyBytes,
      skewSeconds: options.clockSkewSeconds ?? 60,
      hang,
      log: options.log,
    }).catch(next);
  });
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('not found');
  });
  app.use(
    (err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
      const tooLarge = err.type === 'entity.too.large';
      const reply = faultReply(
        new SoapFaultError(
          tooLarge ? 'Sender' : 'Receiver',
          tooLarge ? `the request is larger than ${maxBodyBytes} bytes` : 'internal error of the sandbox DMP',
        ),
      );
      res
        .status(tooLarge ? 413 : reply.status)
        .set('Content-Type', reply.contentType)
        .send(reply.body);
    },
  );

  const https = createHttpsServer(mutualTlsOptions(options), app);
  const port = await listen(https, options.port ?? 0, host);
  const api: Omit<Sandbox, 'host' | 'port' | 'url' | 'adminPort' | 'adminUrl' | 'endpoints' | 'close'> = {
    documents: () => store.list().map((e) => documentView(e)),
    document: (uniqueId, withContent = false) => {
      const entry = store.byUniqueId(uniqueId);
      return entry && documentView(entry, withContent);
    },
    trace: () => trace.list(),
    faults: () => faults.get(),
    setFaults: (f) => faults.set(f),
    seedPatient: (seed) => patients.seed(seed),
    patients: () => patients.list(),
    reset: () => {
      store.clear();
      trace.clear();
      patients.reset(options.patients ?? []);
      faults.set(options.faults);
    },
  };
  const admin = createHttpServer(adminApp(api));
  let adminPort: number;
  try {
    adminPort = await listen(admin, options.adminPort ?? 0, host);
  } catch (err) {
    https.close();
    throw err;
  }
  const url = `https://${urlHost(host)}:${port}`;
  const close = async () => {
    for (const [socket, timer] of hung) {
      clearTimeout(timer);
      socket.destroy();
    }
    hung.clear();
    const closed = Promise.all([once(https, 'close'), once(admin, 'close')]);
    https.close();
    admin.close();
    https.closeAllConnections();
    admin.closeAllConnections();
    await closed;
  };
  return {
    ...api,
    host,
    port,
    url,
    adminPort,
    adminUrl: `http://${urlHost(host)}:${adminPort}`,
    endpoints: Object.fromEntries(SANDBOX_ENDPOINTS.map((e) => [e, `${url}/dmp/${e}`])) as Record<
      SandboxEndpoint,
      string
    >,
    close,
  };
}
