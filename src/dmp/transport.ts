/**
 * HTTPS to the DMP: mutual TLS (the establishment's client certificate, the
 * DMP's CA, TLS 1.2 at least; DOMAIN.md §1), one keep-alive agent per
 * client, one POST per call with a whole-call time limit and a bounded
 * answer. The result says precisely whether the request body had been fully
 * written to the connection (`finish`) when an error happened: that is what
 * separates a retryable failure from an ambiguous one (./classify.ts).
 */
import https from 'node:https';
import { TRANSPORT_ERROR, type TransportPhase } from './classify.ts';
import type { HttpResponse } from './response.ts';

export interface TlsOptions {
  /** Client certificate (ORG AUTH_CLI) and its key, PEM. */
  readonly certPem: string;
  readonly keyPem: string;
  /** CA certificate(s) that sign the DMP's server certificate, PEM. */
  readonly caPem: string;
  /** SNI and certificate name to check, when it differs from the URL host. */
  readonly servername?: string;
}

export type Exchange =
  | ({ readonly kind: 'response' } & HttpResponse)
  | { readonly kind: 'error'; readonly error: Error; readonly phase: TransportPhase };

export interface PostOptions {
  readonly contentType: string;
  readonly body: Buffer;
  /** Time allowed from the start of the call to the end of the answer. */
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
}

/** A keep-alive agent for mutual TLS ≥ 1.2 with the given credentials. */
export function createDmpAgent(tls: TlsOptions): https.Agent {
  return new https.Agent({
    keepAlive: true,
    // Idle kept-alive sockets are closed before a typical server idle timeout (Node: 5 s), so a request
    // is rarely written on a socket the server is closing (which would look like an ambiguous reset).
    timeout: 4_000,
    cert: tls.certPem,
    key: tls.keyPem,
    ca: tls.caPem,
    servername: tls.servername,
    minVersion: 'TLSv1.2',
    rejectUnauthorized: true,
  });
}

function coded(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/** POSTs one request; never rejects: every failure comes back as an `error` exchange with its phase. */
export function post(agent: https.Agent, url: string, opts: PostOptions): Promise<Exchange> {
  return new Promise((resolve) => {
    let sent = false;
    let settled = false;
    const req = https.request(url, {
      method: 'POST',
      agent,
      headers: {
        'content-type': opts.contentType,
        'content-length': String(opts.body.length),
        accept: 'application/soap+xml, multipart/related',
      },
    });
    const finish = (exchange: Exchange): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(exchange);
    };
    const fail = (error: Error): void => finish({ kind: 'error', error, phase: sent ? 'sent' : 'connect' });
    const abort = (error: Error): void => {
      fail(error);
      req.destroy();
    };
    const timer = setTimeout(
      () => abort(coded('no answer from the DMP in time', TRANSPORT_ERROR.timeout)),
      opts.timeoutMs,
    );
    req.on('finish', () => {
      sent = true;
    });
    req.on('error', fail);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > opts.maxResponseBytes) {
          abort(coded('the DMP answer is too large', TRANSPORT_ERROR.responseTooLarge));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('close', () => {
        if (!res.complete) fail(coded('the DMP answer was cut short', 'ECONNRESET'));
      });
      res.on('end', () =>
        finish({
          kind: 'response',
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'],
          body: Buffer.concat(chunks),
        }),
      );
    });
    req.end(opts.body);
  });
}
