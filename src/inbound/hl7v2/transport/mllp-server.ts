/**
 * The MLLP listener (HL7 v2.5.1 Appendix C), over TCP or TLS.
 *
 * Own framing on node:net / node:tls rather than `@medplum/hl7`'s Hl7Server,
 * which has no TLS, decodes every message with one connection-wide encoding
 * (a message's MSH-18 charset cannot be honoured), has no size limit (a
 * sender can grow its buffer without bound) and no idle timeout.
 *
 * Each complete message goes to the handler, which returns the ACK bytes;
 * ACKs go back in the order the messages came on each connection (messages
 * of one connection are handled one after the other; connections run in
 * parallel). Never a silent drop, never a hang: a handler that throws or
 * takes longer than `handlerTimeoutMs` is answered by `handler.failure`
 * (AE, 207) and the connection stays up; a message over `maxMessageBytes` is
 * answered by `handler.oversize` (AR naming the limit), then the connection
 * is closed, as the rest of the stream cannot be trusted to be in step.
 */
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Logger } from 'pino';
import { frame, MllpDecoder } from './framing.ts';

export interface MllpHandler {
  /** The ACK of one complete message. */
  message(bytes: Buffer): Promise<Uint8Array>;
  /** The ACK when `message` failed or timed out (AE with condition 207). */
  failure(bytes: Buffer, reason: string): Uint8Array;
  /** The reject ACK of a message over the limit, built from its first bytes (AR). */
  oversize(head: Buffer, limit: number): Uint8Array;
}

export interface MllpTlsOptions {
  readonly certPem: string;
  readonly keyPem: string;
  /** CA bundle that signs the client certificates. */
  readonly caPem?: string;
  /** Refuse clients without a certificate signed by `caPem`. */
  readonly requireClientCert: boolean;
}

export interface MllpServerOptions {
  readonly host: string;
  /** 0 for an ephemeral port. */
  readonly port: number;
  readonly maxMessageBytes: number;
  /** A connection with no traffic and nothing in progress for this long is closed. */
  readonly idleTimeoutMs: number;
  /** Connections beyond this are refused (closed at once). */
  readonly maxConnections: number;
  readonly handlerTimeoutMs: number;
  /** Messages waiting for their ACK on one connection before reading from it pauses. */
  readonly maxPendingPerConnection?: number;
  readonly tls?: MllpTlsOptions;
  readonly handler: MllpHandler;
  readonly log: Logger;
}

export interface MllpServer {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** Open connections. */
  connections(): number;
  /** Stops accepting, lets connections finish their current messages within `graceMs`, then closes them. */
  close(graceMs?: number): Promise<void>;
}

interface Connection {
  readonly socket: Socket;
  /** Stop reading messages: end the connection once the pending ACKs are written. */
  drain(): void;
}

/** Runs `fn` with a deadline; rejects with a timeout error when it passes. */
async function within<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([fn(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function serve(socket: Socket, options: MllpServerOptions, onGone: () => void): Connection {
  const { handler, log } = options;
  const maxPending = options.maxPendingPerConnection ?? 16;
  const decoder = new MllpDecoder(options.maxMessageBytes);
  let chain: Promise<void> = Promise.resolve();
  let pending = 0;
  let draining = false;
  let peerEnded = false;

  const finish = () => {
    if (socket.destroyed || socket.writableEnded) return;
    socket.end();
    // Keep reading (and discarding) until the peer closes: closing with unread input would send a RST
    // that can make the peer lose the last ACK. A peer that never closes is cut off after a grace.
    setTimeout(() => socket.destroy(), 5_000).unref();
  };
  const settleIfDone = () => {
    if (pending === 0 && (draining || peerEnded)) finish();
  };
  const enqueue = (task: () => Promise<Uint8Array>) => {
    pending++;
    if (pending >= maxPending) socket.pause();
    chain = chain
      .then(async () => {
        const ack = await task();
        if (!socket.destroyed && !socket.writableEnded) socket.write(frame(ack));
      })
      .catch((err: unknown) => {
        log.error({ err: (err as Error).message }, 'MLLP: no ACK could be built; closing the connection');
        socket.destroy();
      })
      .finally(() => {
        pending--;
        if (pending < maxPending && socket.isPaused()) socket.resume();
        settleIfDone();
      });
  };
  const answer = async (bytes: Buffer): Promise<Uint8Array> => {
    try {
      return await within(options.handlerTimeoutMs, () => handler.message(bytes));
    } catch (err) {
      log.error({ err: (err as Error).message }, 'MLLP: message handler failed');
      return handler.failure(bytes, (err as Error).message);
    }
  };

  socket.setNoDelay(true);
  socket.setTimeout(options.idleTimeoutMs);
  socket.on('timeout', () => {
    if (pending > 0) return;
    log.info({ idleMs: options.idleTimeoutMs }, 'MLLP: idle connection closed');
    socket.destroy();
  });
  socket.on('data', (chunk: Buffer) => {
    if (draining) return;
    for (const event of decoder.push(chunk)) {
      if (event.kind === 'message') enqueue(() => answer(event.bytes));
      else if (event.kind === 'discarded')
        log.warn({ bytes: event.bytes, reason: event.reason }, 'MLLP: bytes discarded');
      else {
        log.warn({ limit: event.limit }, 'MLLP: message over the size limit; rejecting and closing');
        enqueue(async () => handler.oversize(event.head, event.limit));
        draining = true;
        break;
      }
    }
  });
  socket.on('end', () => {
    peerEnded = true;
    if (decoder.inBlock && !draining)
      log.warn(
        { bytes: decoder.pending },
        'MLLP: connection closed inside a message; partial message dropped',
      );
    settleIfDone();
  });
  socket.on('error', (err) => log.debug({ err: err.message }, 'MLLP: connection error'));
  socket.on('close', onGone);
  return {
    socket,
    drain() {
      draining = true;
      settleIfDone();
    },
  };
}

/** Starts listening; resolves once the port is bound. */
export async function startMllpServer(options: MllpServerOptions): Promise<MllpServer> {
  const { log } = options;
  const open = new Set<Connection>();
  const accept = (socket: Socket) => {
    const connection = serve(socket, options, () => open.delete(connection));
    open.add(connection);
  };
  let server: Server;
  if (options.tls) {
    const t = options.tls;
    const tlsServer = createTlsServer(
      {
        cert: t.certPem,
        key: t.keyPem,
        ca: t.caPem,
        requestCert: t.requireClientCert,
        rejectUnauthorized: t.requireClientCert,
        allowHalfOpen: true,
        handshakeTimeout: Math.min(30_000, options.idleTimeoutMs),
      },
      accept,
    );
    tlsServer.on('tlsClientError', (err) => log.warn({ err: err.message }, 'MLLP: TLS handshake failed'));
    server = tlsServer;
  } else {
    server = createTcpServer({ allowHalfOpen: true }, accept);
  }
  server.maxConnections = options.maxConnections;
  server.on('drop', () =>
    log.warn({ max: options.maxConnections }, 'MLLP: connection refused, too many connections'),
  );
  server.on('error', (err) => log.error({ err: err.message }, 'MLLP: listener error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    host: options.host,
    port,
    tls: options.tls !== undefined,
    connections: () => open.size,
    async close(graceMs = 10_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of open) c.drain();
      const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([closed, grace]);
      for (const c of open) c.socket.destroy();
      await closed;
    },
  };
}
