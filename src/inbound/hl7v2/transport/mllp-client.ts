/**
 * The MLLP sending side (HL7 v2.5.1 Appendix C), over TCP or TLS: one
 * connection, messages sent one at a time, each answered by the next block
 * the peer sends (original acknowledgement mode). Used for the business
 * acknowledgements (ZAM^Z01) and by the tests and benchmarks.
 *
 * Own code rather than `@medplum/hl7`'s Hl7Client, which cannot use TLS and
 * decodes answers with one fixed encoding; this one returns the raw bytes.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { type FrameEvent, frame, MllpDecoder } from './framing.ts';

export interface MllpClientTls {
  /** CA bundle that signs the server's certificate (default: the system store). */
  readonly caPem?: string;
  /** Client certificate and key, when the server asks for one. */
  readonly certPem?: string;
  readonly keyPem?: string;
  /** Name checked against the server certificate (default: the host). */
  readonly servername?: string;
}

export interface MllpClientOptions {
  readonly host: string;
  readonly port: number;
  readonly tls?: MllpClientTls;
  /** Time allowed to connect, and then for each answer. */
  readonly timeoutMs?: number;
  /** Largest answer accepted. */
  readonly maxAnswerBytes?: number;
}

interface Waiter {
  resolve(bytes: Buffer): void;
  reject(err: Error): void;
}

/** One MLLP connection. */
export class MllpClient {
  readonly #socket: Socket;
  readonly #timeoutMs: number;
  readonly #waiters: Waiter[] = [];
  /** Answers that came before anyone waited for them. */
  readonly #ready: Buffer[] = [];
  #failure: Error | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(socket: Socket, options: MllpClientOptions) {
    this.#socket = socket;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    const decoder = new MllpDecoder(options.maxAnswerBytes ?? 1024 * 1024);
    socket.on('data', (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) this.#deliver(event);
    });
    socket.on('error', (err) => this.#fail(err));
    socket.on('close', () => this.#fail(new Error('connection closed by the peer')));
  }

  /** Opens a connection (TLS when `options.tls` is set). */
  static async connect(options: MllpClientOptions): Promise<MllpClient> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const t = options.tls;
    const socket = t
      ? connectTls({
          host: options.host,
          port: options.port,
          ca: t.caPem,
          cert: t.certPem,
          key: t.keyPem,
          servername: t.servername ?? (/^[\d.:]+$/.test(options.host) ? undefined : options.host),
        })
      : connectTcp({ host: options.host, port: options.port });
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => {
        clearTimeout(timer);
        reject(err);
      };
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connection to ${options.host}:${options.port} timed out`));
      }, timeoutMs);
      socket.once(t ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve();
      });
      socket.once('error', onError);
    });
    socket.setNoDelay(true);
    return new MllpClient(socket, options);
  }

  /** Sends one message and resolves with the next block the peer sends. */
  send(message: Uint8Array | string): Promise<Buffer> {
    const run = () => this.#exchange(message);
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => {});
    return result;
  }

  /** Writes raw bytes (no framing), for tests of the listener. */
  writeRaw(bytes: Uint8Array): void {
    this.#socket.write(bytes);
  }

  /** Resolves with the next block the peer sends (after {@link writeRaw}). */
  nextAnswer(): Promise<Buffer> {
    return this.#wait();
  }

  async close(): Promise<void> {
    if (this.#socket.destroyed) return;
    await new Promise<void>((resolve) => {
      this.#socket.once('close', () => resolve());
      this.#socket.end();
      setTimeout(() => this.#socket.destroy(), 1_000).unref();
    });
  }

  async #exchange(message: Uint8Array | string): Promise<Buffer> {
    if (this.#failure) throw this.#failure;
    const answer = this.#wait();
    this.#socket.write(frame(message));
    return answer;
  }

  #wait(): Promise<Buffer> {
    const ready = this.#ready.shift();
    if (ready) return Promise.resolve(ready);
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        const at = this.#waiters.indexOf(waiter);
        if (at >= 0) this.#waiters.splice(at, 1);
        reject(new Error(`no answer within ${this.#timeoutMs} ms`));
        this.#socket.destroy();
      }, this.#timeoutMs);
      const waiter: Waiter = {
        resolve: (bytes) => {
          clearTimeout(timer);
          resolve(bytes);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  #deliver(event: FrameEvent): void {
    if (event.kind === 'message') {
      const waiter = this.#waiters.shift();
      if (waiter) waiter.resolve(event.bytes);
      else this.#ready.push(event.bytes);
    } else if (event.kind === 'oversize') this.#fail(new Error(`answer over ${event.limit} bytes`));
  }

  #fail(err: Error): void {
    this.#failure ??= err;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(err);
    if (!this.#socket.destroyed) this.#socket.destroy();
  }
}

/** Connects, sends one message, returns the answer and closes. */
export async function sendMllp(options: MllpClientOptions, message: Uint8Array | string): Promise<Buffer> {
  const client = await MllpClient.connect(options);
  try {
    return await client.send(message);
  } finally {
    await client.close();
  }
}
