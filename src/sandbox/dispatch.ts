/**
 * One call to a sandbox DMP endpoint, from HTTP request to answer: fault
 * injection (latency, HTTP 500, dropped connection, SOAP Fault, registry
 * busy, commit-then-timeout), SOAP envelope and VIHF checks, the
 * transaction handler, and the access trace entry.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { TLSSocket } from 'node:tls';
import type { Request, Response } from 'express';
import { SOAP_ACTION } from '../model/vocabulary.ts';
import type { FaultInjector } from './faults.ts';
import { handleIti18, queryBusy } from './iti18.ts';
import { handleIti41, registryBusy } from './iti41.ts';
import { handleIti57 } from './iti57.ts';
import {
  checkEnvelope,
  faultReply,
  type HttpReply,
  readSoapRequest,
  SoapFaultError,
  type SoapRequest,
  soapReply,
} from './soap-endpoint.ts';
import type { EndpointResult, SandboxState } from './state.ts';
import { handleTd02 } from './td02.ts';
import { clientSubject } from './tls.ts';
import type { TraceLog } from './trace.ts';
import type { SandboxEndpoint, SandboxLogger, TraceEntry } from './types.ts';
import { checkVihf, type VihfContext } from './vihf-check.ts';

interface EndpointDefinition {
  readonly action: string;
  readonly responseAction: string;
  readonly handle: (request: SoapRequest, vihf: VihfContext, state: SandboxState) => EndpointResult;
  /** The busy answer; absent: a Receiver SOAP Fault. */
  readonly busy?: () => EndpointResult;
}

export const ENDPOINTS: Readonly<Record<SandboxEndpoint, EndpointDefinition>> = {
  iti41: {
    action: SOAP_ACTION.iti41,
    responseAction: SOAP_ACTION.iti41Response,
    handle: handleIti41,
    busy: registryBusy,
  },
  iti18: {
    action: SOAP_ACTION.iti18,
    responseAction: SOAP_ACTION.iti18Response,
    handle: handleIti18,
    busy: queryBusy,
  },
  iti57: {
    action: SOAP_ACTION.iti57,
    responseAction: SOAP_ACTION.iti57Response,
    handle: handleIti57,
    busy: registryBusy,
  },
  td02: { action: SOAP_ACTION.td02, responseAction: SOAP_ACTION.td02Response, handle: handleTd02 },
};

export interface DispatchDeps {
  readonly state: SandboxState;
  readonly faults: FaultInjector;
  readonly trace: TraceLog;
  readonly maxBodyBytes: number;
  readonly skewSeconds: number;
  /** Keeps a commit-then-timeout request open (until the client gives up or the sandbox closes). */
  readonly hang: (req: Request) => void;
  readonly log?: SandboxLogger;
}

function send(res: Response, reply: HttpReply): void {
  res.status(reply.status).set('Content-Type', reply.contentType).send(reply.body);
}

/** Serves one POST to `endpoint`. */
export async function dispatch(
  endpoint: SandboxEndpoint,
  req: Request,
  res: Response,
  deps: DispatchDeps,
): Promise<void> {
  const def = ENDPOINTS[endpoint];
  const { state } = deps;
  const started = performance.now();
  const fault = deps.faults.draw(endpoint);
  const base = {
    time: state.now().toISOString(),
    endpoint,
    clientSubject: clientSubject(req.socket as TLSSocket),
    ...(fault && { fault }),
  };
  const record = (
    entry: Omit<TraceEntry, keyof typeof base | 'durationMs' | 'errorCodes'> & {
      errorCodes?: readonly string[];
    },
  ) =>
    deps.trace.add({
      ...base,
      errorCodes: [],
      ...entry,
      durationMs: Math.round(performance.now() - started),
    });
  const latency = deps.faults.latencyMs();
  if (latency > 0) await delay(latency);
  if (fault === 'drop') {
    req.socket.destroy();
    return record({ outcome: 'dropped' });
  }
  if (fault === 'http500') {
    res.status(500).type('text/plain').send('Internal Server Error');
    return record({ outcome: 'http500' });
  }
  let request: SoapRequest | undefined;
  try {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    request = readSoapRequest(req.headers['content-type'], body, deps.maxBodyBytes);
    const { envelope } = request;
    checkEnvelope(envelope, def.action);
    const vihf = checkVihf(envelope.security, {
      trustedCertsPem: state.trustedCertsPem,
      checkSignatures: state.checkSignatures,
      now: state.now(),
      skewSeconds: deps.skewSeconds,
    });
    if (fault === 'soapFault')
      throw new SoapFaultError('Receiver', 'simulated DMP failure (sandbox fault injection)');
    if (fault === 'registryBusy' && !def.busy)
      throw new SoapFaultError('Receiver', 'the DMP is busy, try again later');
    const result = fault === 'registryBusy' && def.busy ? def.busy() : def.handle(request, vihf, state);
    const done = {
      action: envelope.action,
      messageId: envelope.messageId,
      errorCodes: result.errorCodes,
      ...(result.storedUniqueIds && { storedUniqueIds: result.storedUniqueIds }),
      ...(result.acceptedUniqueIds && { acceptedUniqueIds: result.acceptedUniqueIds }),
    };
    if (fault === 'commitThenTimeout') {
      deps.hang(req);
      return record({ ...done, outcome: 'noAnswer' });
    }
    send(res, soapReply(request, def.responseAction, result.body));
    record({ ...done, outcome: result.outcome });
  } catch (caught) {
    const internal = !(caught instanceof SoapFaultError);
    if (internal) deps.log?.warn({ err: (caught as Error).message, endpoint }, 'sandbox DMP internal error');
    const err = internal ? new SoapFaultError('Receiver', 'internal error of the sandbox DMP') : caught;
    send(res, faultReply(err, request?.envelope.messageId));
    record({
      action: request?.envelope.action,
      messageId: request?.envelope.messageId,
      outcome: 'soapFault',
      errorCodes: err.subcode ? [err.subcode] : [],
    });
  }
}
