/**
 * The MLLP listener with a scripted handler (the gateway's own handler is
 * exercised in test/hl7v2): a failing or hanging handler is answered and the
 * connection stays up, ACKs keep the order of the messages, the connection
 * limit, the idle timeout and a graceful close.
 */
import { connect } from 'node:net';
import pino from 'pino';
import { afterEach, expect, it } from 'vitest';
import { frame } from './framing.ts';
import { MllpClient } from './mllp-client.ts';
import { type MllpHandler, type MllpServer, type MllpServerOptions, startMllpServer } from './mllp-server.ts';

const log = pino({ level: 'silent' });
let server: MllpServer | undefined;
afterEach(async () => {
  await server?.close(500);
  server = undefined;
});

/** Answers `ACK <message>` after the delay named in the message (`slow:<ms>`), fails on `throw`, hangs on `hang`. */
const scripted: MllpHandler = {
  async message(bytes) {
    const text = bytes.toString();
    if (text === 'throw') throw new Error('boom');
    if (text === 'hang') return new Promise<Uint8Array>(() => {});
    const delay = Number(/^slow:(\d+)/.exec(text)?.[1] ?? 0);
    await new Promise((r) => setTimeout(r, delay));
    return Buffer.from(`ACK ${text}`);
  },
  failure: (bytes, reason) => Buffer.from(`FAILED ${bytes.toString()}: ${reason}`),
  oversize: (head, limit) => Buffer.from(`TOO LARGE ${head.subarray(0, 4).toString()} > ${limit}`),
};

async function listen(options: Partial<MllpServerOptions> = {}): Promise<MllpServer> {
  server = await startMllpServer({
    host: '127.0.0.1',
    port: 0,
    maxMessageBytes: 1024,
    idleTimeoutMs: 10_000,
    maxConnections: 10,
    handlerTimeoutMs: 300,
    handler: scripted,
    log,
    ...options,
  });
  return server;
}

const client = (s: MllpServer) => MllpClient.connect({ host: '127.0.0.1', port: s.port, timeoutMs: 5_000 });

it('a handler that throws or hangs is answered (failure ACK) and the connection stays up', async () => {
  const c = await client(await listen());
  expect((await c.send('throw')).toString()).toBe('FAILED throw: boom');
  expect((await c.send('hang')).toString()).toBe('FAILED hang: no answer within 300 ms');
  expect((await c.send('next')).toString()).toBe('ACK next');
  await c.close();
});

it('ACKs go back in the order of the messages, even when the first takes longer', async () => {
  const c = await client(await listen());
  c.writeRaw(Buffer.concat([frame('slow:150'), frame('fast')]));
  expect((await c.nextAnswer()).toString()).toBe('ACK slow:150');
  expect((await c.nextAnswer()).toString()).toBe('ACK fast');
  await c.close();
});

it('an oversized message: the reject ACK, then the connection is closed', async () => {
  const c = await client(await listen({ maxMessageBytes: 100 }));
  c.writeRaw(Buffer.concat([frame('first'), frame(`MSH|${'x'.repeat(5000)}`)]));
  expect((await c.nextAnswer()).toString()).toBe('ACK first');
  expect((await c.nextAnswer()).toString()).toBe('TOO LARGE MSH| > 100');
  await expect(c.nextAnswer()).rejects.toThrow(/closed/);
});

it('connections beyond the limit are refused; the others are served', async () => {
  const s = await listen({ maxConnections: 2 });
  const a = await client(s);
  const b = await client(s);
  const third = connect({ host: '127.0.0.1', port: s.port });
  const closed = await new Promise<boolean>((resolve) => {
    third.on('close', () => resolve(true));
    third.on('error', () => {});
    third.write(frame('refused?'));
    third.on('data', () => resolve(false));
  });
  expect(closed).toBe(true);
  expect((await a.send('a')).toString()).toBe('ACK a');
  expect((await b.send('b')).toString()).toBe('ACK b');
  await Promise.all([a.close(), b.close()]);
});

it('an idle connection is closed; one waiting for its ACK is not', async () => {
  const s = await listen({ idleTimeoutMs: 200, handlerTimeoutMs: 2_000 });
  const busy = await client(s);
  expect((await busy.send('slow:500')).toString()).toBe('ACK slow:500');
  const idle = connect({ host: '127.0.0.1', port: s.port });
  const started = Date.now();
  await new Promise((resolve) => idle.on('close', resolve));
  expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  await busy.close();
});

it('close(): the message in progress gets its ACK, then the connection ends', async () => {
  const s = await listen({ handlerTimeoutMs: 2_000 });
  const c = await client(s);
  const answer = c.send('slow:200');
  await new Promise((r) => setTimeout(r, 50));
  const closing = s.close(2_000);
  expect((await answer).toString()).toBe('ACK slow:200');
  await closing;
  server = undefined;
  await expect(c.send('late')).rejects.toThrow();
});
