/**
 * Mutual TLS of the sandbox DMP (DOMAIN.md §1: SOAP over mutual TLS 1.2):
 * the server certificate, and client certificates required and verified
 * against the configured CA during the handshake (no certificate, or one
 * from another CA, and the connection fails). TLS 1.2 at least.
 */
import type { ServerOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';

/** HTTPS server options requiring a client certificate issued by `clientCaPem`. */
export function mutualTlsOptions(opts: {
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
  readonly clientCaPem: string;
}): ServerOptions {
  return {
    cert: opts.serverCertPem,
    key: opts.serverKeyPem,
    ca: opts.clientCaPem,
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
  };
}

/** Subject DN of the verified client certificate, most specific RDN first (`CN=..,O=..,C=FR`). */
export function clientSubject(socket: TLSSocket): string | undefined {
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const subject = socket.getPeerCertificate()?.subject as Record<string, string | string[]> | undefined;
  if (!subject || Object.keys(subject).length === 0) return undefined;
  return Object.entries(subject)
    .reverse()
    .flatMap(([type, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${type}=${v}`))
    .join(',');
}
