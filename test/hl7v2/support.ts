/**
 * Helpers of the HL7 v2 intake tests: sending over MLLP or `POST /hl7`, and
 * reading the acknowledgements (MSA, ERR, ZAM OBX) the gateway answers.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { cdaN1 } from '../../fixtures/hl7v2/cda.ts';
import { bytes, ed, type MessageOptions, message } from '../../fixtures/hl7v2/messages.ts';
import { frame, MllpDecoder } from '../../src/inbound/hl7v2/transport/framing.ts';
import { MllpClient } from '../../src/inbound/hl7v2/transport/mllp-client.ts';
import type { TestGateway } from '../support/gateway.ts';
import { testRedis } from '../support/redis.ts';

export interface ReadAck {
  readonly text: string;
  readonly msh: string[];
  /** MSA-1. */
  readonly code: string;
  /** MSA-2. */
  readonly acknowledged: string;
  /** Each ERR as `ERR-2 ERR-3.1` (location and HL7 condition). */
  readonly errors: string[];
  readonly segments: string[][];
}

export function readAck(answer: Uint8Array): ReadAck {
  const text = Buffer.from(answer).toString('utf8');
  const segments = text
    .split('\r')
    .filter((s) => s !== '')
    .map((s) => s.split('|'));
  const find = (name: string) => segments.find((s) => s[0] === name) ?? [];
  const msa = find('MSA');
  return {
    text,
    msh: find('MSH'),
    code: msa[1] ?? '',
    acknowledged: msa[2] ?? '',
    errors: segments.filter((s) => s[0] === 'ERR').map((s) => `${s[2] ?? ''} ${(s[3] ?? '').split('^')[0]}`),
    segments,
  };
}

let sequence = 0;
/** A fresh document OID, so each test deposits a new document. */
export function freshOid(): string {
  return `1.2.250.1.999.1.3.${Date.now()}${process.pid}${++sequence}`;
}

/** An MDM^T02 (or T10/T04) carrying a real CDA N1 of the fixture patient. */
export function mdmWithCda(
  id: string,
  options: Partial<MessageOptions> & { cda?: Uint8Array } = {},
): Uint8Array {
  const { cda, ...rest } = options;
  return bytes(
    message({
      type: 'MDM',
      controlId: `MSG-${id.slice(-12)}`,
      txa12: id,
      documents: [{ ed: ed(cda ?? cdaN1({ id })) }],
      ...rest,
    }),
  );
}

/** Sends one message over one new MLLP connection; returns the answer. */
export async function sendMllp(gw: TestGateway, message: Uint8Array): Promise<Buffer> {
  const client = await MllpClient.connect({ host: '127.0.0.1', port: gw.mllpPort, timeoutMs: 20_000 });
  try {
    return await client.send(message);
  } finally {
    await client.close();
  }
}

/** `POST /hl7`. */
export async function postHl7(gw: TestGateway, message: Uint8Array, type = 'x-application/hl7-v2+er7') {
  const res = await fetch(`${gw.apiUrl}/hl7`, {
    method: 'POST',
    headers: { 'content-type': type },
    body: message,
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: Buffer.from(await res.arrayBuffer()),
  };
}

/** The submission that claimed an identity (`hl7:<MSH-3>|<MSH-4>:<uniqueId>`), read from Redis. */
export async function submissionOf(gw: TestGateway, identity: string): Promise<string | undefined> {
  const redis = await testRedis();
  try {
    const value = await redis.get(`${gw.config.redis.prefix}:idem:${identity}`);
    return value?.split('|')[0];
  } finally {
    redis.disconnect();
  }
}

/** How many submission records the gateway holds. */
export async function recordCount(gw: TestGateway): Promise<number> {
  const redis = await testRedis();
  try {
    const keys = await redis.keys(`${gw.config.redis.prefix}:sub:*`);
    return keys.filter((k) => !k.endsWith(':events')).length;
  } finally {
    redis.disconnect();
  }
}

/**
 * A sender's MLLP endpoint for business acknowledgements: records every
 * message it gets and answers AA, or refuses the first `refuse` connections
 * (closing them at once) so the gateway has to retry.
 */
export interface AckPeer {
  readonly port: number;
  readonly received: string[];
  refuse: number;
  close(): Promise<void>;
}

export async function startAckPeer(): Promise<AckPeer> {
  const sockets = new Set<Socket>();
  const peer: AckPeer & { server?: Server } = {
    port: 0,
    received: [],
    refuse: 0,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (peer.refuse > 0) {
      peer.refuse--;
      socket.destroy();
      return;
    }
    const decoder = new MllpDecoder(1024 * 1024);
    socket.on('data', (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) {
        if (event.kind !== 'message') continue;
        const text = event.bytes.toString('utf8');
        peer.received.push(text);
        const controlId = text.split('\r')[0]?.split('|')[9] ?? '';
        socket.write(
          frame(
            `MSH|^~\\&|SENDER|FAC|GW|FAC|20261120||ACK^Z01^ACK|A${peer.received.length}|P|2.6\rMSA|AA|${controlId}\r`,
          ),
        );
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  (peer as { port: number }).port = (server.address() as { port: number }).port;
  return peer;
}
