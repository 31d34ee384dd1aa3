/**
 * The gateway's MLLP listener over real sockets, with the real intake behind
 * it: framing (byte by byte, several messages per chunk, garbage before VT,
 * a frame cut by a close), the size limit (a 50 MB message gets AR and the
 * connection is closed), the idle timeout, 50 connections at once, and
 * mutual TLS. The listener stays up through all of it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frame, VT } from '../../src/inbound/hl7v2/transport/framing.ts';
import { MllpClient } from '../../src/inbound/hl7v2/transport/mllp-client.ts';
import { type devPkiPaths, ensureDevPki } from '../../src/pki/dev-pki.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { corpusFile } from '../support/xsd.ts';
import { freshOid, mdmWithCda, readAck, sendMllp, submissionOf } from './support.ts';

const ADMISSION = readFileSync(corpusFile('hl7v2/fr-ans/adt/admission.er7'));
/** The corpus admission (PAM-FR ADT^A01, accepted) with its own MSH-10. */
const admission = (controlId: string) =>
  Buffer.from(ADMISSION.toString('utf8').replace('|3975|', `|${controlId}|`));

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ hl7: { idleTimeoutMs: 1_000 } });
});
afterAll(async () => {
  await gw?.close();
});

const open = () => MllpClient.connect({ host: '127.0.0.1', port: gw.mllpPort, timeoutMs: 20_000 });

async function stillServing(): Promise<void> {
  expect(readAck(await sendMllp(gw, admission(`ALIVE-${Date.now()}`))).code).toBe('AA');
}

describe('framing over TCP', () => {
  it('a message written byte by byte', async () => {
    const id = freshOid();
    const c = await open();
    const answer = c.nextAnswer();
    for (const byte of frame(mdmWithCda(id, { controlId: 'BYTES-1' }))) {
      c.writeRaw(Uint8Array.of(byte));
    }
    const ack = readAck(await answer);
    expect([ack.code, ack.acknowledged]).toEqual(['AA', 'BYTES-1']);
    expect(await submissionOf(gw, `hl7:DPI-DEMO|CHD:${id}`)).toBeDefined();
    await c.close();
  });

  it('three messages in one chunk: three ACKs, in order', async () => {
    const c = await open();
    c.writeRaw(Buffer.concat(['JOIN-1', 'JOIN-2', 'JOIN-3'].map((id) => frame(admission(id)))));
    const acks = [await c.nextAnswer(), await c.nextAnswer(), await c.nextAnswer()].map(readAck);
    expect(acks.map((a) => [a.code, a.acknowledged])).toEqual([
      ['AA', 'JOIN-1'],
      ['AA', 'JOIN-2'],
      ['AA', 'JOIN-3'],
    ]);
    await c.close();
  });

  it('garbage before VT is ignored (not answered); the message after it is', async () => {
    const c = await open();
    c.writeRaw(
      Buffer.concat([Buffer.from('GET / HTTP/1.1\r\n\r\n\u0000\u00ff'), frame(admission('AFTER-GARBAGE'))]),
    );
    const ack = readAck(await c.nextAnswer());
    expect([ack.code, ack.acknowledged]).toEqual(['AA', 'AFTER-GARBAGE']);
    await c.close();
  });

  it('a frame cut by a close: nothing stored, nothing hangs, the listener serves on', async () => {
    const id = freshOid();
    const whole = mdmWithCda(id, { controlId: 'CUT-1' });
    const socket = connect({ host: '127.0.0.1', port: gw.mllpPort });
    await new Promise((r) => socket.once('connect', r));
    socket.end(Buffer.concat([Uint8Array.of(VT), whole.subarray(0, whole.length / 2)]));
    await new Promise((r) => socket.once('close', r));
    await stillServing();
    expect(await submissionOf(gw, `hl7:DPI-DEMO|CHD:${id}`)).toBeUndefined();
  });
});

describe('limits', () => {
  it('a 50 MB message: AE naming the limit, then the connection is closed', async () => {
    const socket: Socket = connect({ host: '127.0.0.1', port: gw.mllpPort });
    await new Promise((r) => socket.once('connect', r));
    const chunks: Buffer[] = [];
    const ended = new Promise<void>((resolve) => {
      socket.on('data', (d: Buffer) => chunks.push(d));
      socket.on('close', () => resolve());
      socket.on('error', () => {});
    });
    const head = Buffer.from(admission('HUGE-1').toString('utf8').split('\r')[0]!);
    socket.write(Buffer.concat([Uint8Array.of(VT), head, Buffer.from('\rOBX|1|ED|x||^TEXT^XML^Base64^')]));
    const block = Buffer.alloc(1024 * 1024, 0x41);
    for (let i = 0; i < 50 && !socket.destroyed; i++) socket.write(block);
    await ended;
    const answer = Buffer.concat(chunks);
    expect(answer[0]).toBe(VT);
    const ack = readAck(answer.subarray(1, answer.length - 2));
    expect([ack.code, ack.acknowledged]).toEqual(['AE', 'HUGE-1']);
    expect(ack.errors).toEqual([' 207']);
    expect(ack.text).toContain(`larger than ${gw.config.hl7.maxMessageBytes} bytes`);
    await stillServing();
  }, 60_000);

  it('an idle connection is closed after hl7.idleTimeoutMs', async () => {
    const socket = connect({ host: '127.0.0.1', port: gw.mllpPort });
    socket.on('error', () => {});
    const started = Date.now();
    await new Promise((r) => socket.once('close', r));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('50 connections at once, each sending two messages: every ACK, in order', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, n) => {
        const c = await open();
        const first = readAck(await c.send(admission(`C${n}-1`)));
        const second = readAck(await c.send(admission(`C${n}-2`)));
        await c.close();
        return [first.code, first.acknowledged, second.code, second.acknowledged];
      }),
    );
    expect(results).toEqual(Array.from({ length: 50 }, (_, n) => ['AA', `C${n}-1`, 'AA', `C${n}-2`]));
  }, 60_000);
});

describe('MLLP over mutual TLS', () => {
  let tlsGw: TestGateway;
  let pki: ReturnType<typeof devPkiPaths>;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-mllp-tls-'));
    pki = await ensureDevPki(dir);
    tlsGw = await startTestGateway({
      devPkiDir: dir,
      hl7: {
        tls: {
          certFile: pki.tlsServer.certPath,
          keyFile: pki.tlsServer.keyPath,
          caFile: pki.ca.certPath,
          requireClientCert: true,
        },
      },
    });
  });
  afterAll(async () => {
    await tlsGw?.close();
  });

  it('a client with a certificate of the CA is served; one without is refused', async () => {
    const caPem = readFileSync(pki.ca.certPath, 'utf8');
    const client = await MllpClient.connect({
      host: '127.0.0.1',
      port: tlsGw.mllpPort,
      tls: {
        caPem,
        certPem: readFileSync(pki.tlsClient.certPath, 'utf8'),
        keyPem: readFileSync(pki.tlsClient.keyPath, 'utf8'),
      },
    });
    const ack = readAck(await client.send(admission('TLS-1')));
    expect([ack.code, ack.acknowledged]).toEqual(['AA', 'TLS-1']);
    await client.close();

    const anonymous = MllpClient.connect({ host: '127.0.0.1', port: tlsGw.mllpPort, tls: { caPem } }).then(
      (c) => c.send(admission('TLS-2')),
    );
    await expect(anonymous).rejects.toThrow();
    // plain TCP on the TLS port gets no ACK either
    await expect(sendMllp(tlsGw, admission('TLS-3'))).rejects.toThrow();
  });
});
