/**
 * Hardening of the FHIR door (issue 5): size limit (413 before parsing),
 * Content-Type (415), JSON depth and value-count limits, malformed bodies,
 * and a store outage (503, nothing accepted). Every answer is an
 * OperationOutcome.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mhdRoutes } from '../../src/http/mhd-routes.ts';
import { createDepositQueue } from '../../src/queue/deposit-queue.ts';
import { payloadCipher } from '../../src/store/crypto.ts';
import { SubmissionStore } from '../../src/store/records.ts';
import { type MhdGateway, startMhdGateway } from '../support/mhd-app.ts';
import { mhdBundle } from './bundles.ts';

let mhd: MhdGateway;
beforeAll(async () => {
  mhd = await startMhdGateway({
    http: { maxBodyBytes: 64 * 1024 },
    fhir: { maxJsonDepth: 32, maxJsonValues: 2_000 },
  });
});
afterAll(async () => {
  await mhd?.close();
});

const expectOutcome = (res: { json: { resourceType?: string; issue?: unknown[] } }) => {
  expect(res.json.resourceType).toBe('OperationOutcome');
  expect(res.json.issue?.length).toBeGreaterThan(0);
};

describe('FHIR door limits', () => {
  it('413 for a body over http.maxBodyBytes', async () => {
    const bundle = mhdBundle();
    (bundle.entry[0]!.resource as { title?: string }).title = 'x'.repeat(70 * 1024);
    const res = await mhd.post(bundle);
    expect(res.status).toBe(413);
    expectOutcome(res);
  });

  it('415 for another Content-Type or charset', async () => {
    const body = JSON.stringify(mhdBundle());
    for (const type of ['text/plain', 'application/xml', 'application/fhir+json; charset=iso-8859-1', '']) {
      const res = await mhd.post(body, type ? { 'content-type': type } : {});
      expect(res.status, type).toBe(415);
      expectOutcome(res);
    }
    expect((await mhd.post(body, { 'content-type': 'application/json; charset=UTF-8' })).status).toBe(200);
  });

  it('400 for JSON nested deeper than fhir.maxJsonDepth, 413 for more values than fhir.maxJsonValues', async () => {
    const deep = `{"resourceType":"Bundle","x":${'['.repeat(40)}${']'.repeat(40)}}`;
    const tooDeep = await mhd.post(deep);
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.json.issue[0]!.details!.text).toMatch(/deeper than 32/);
    const many = JSON.stringify({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: Array(3_000).fill({}),
    });
    const tooMany = await mhd.post(many);
    expect(tooMany.status).toBe(413);
    expectOutcome(tooMany);
  });

  it('400 for malformed JSON, invalid UTF-8, or something that is not a transaction Bundle', async () => {
    for (const body of [
      '{"resourceType":',
      new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      '[]',
      'null',
      '{"resourceType":"Patient"}',
      '{"resourceType":"Bundle","type":"batch"}',
    ]) {
      const res = await mhd.post(body);
      expect(res.status, String(body)).toBe(400);
      expectOutcome(res);
    }
  });

  it('a string in "__proto__" or constructor keys is just invalid input', async () => {
    const res = await mhd.post(
      '{"resourceType":"Bundle","type":"transaction","__proto__":{"polluted":1},"entry":[{"constructor":{}}]}',
    );
    expect(res.status).toBe(422);
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
  });
});

describe('store outage', () => {
  it('503 with Retry-After when Redis is unreachable: nothing accepted', async () => {
    const config = mhd.gw.config;
    const dead = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    dead.on('error', () => {});
    const store = new SubmissionStore(dead, config.redis.prefix, payloadCipher(Buffer.alloc(32)));
    const queue = createDepositQueue(dead, config);
    queue.on('error', () => {});
    const app = express().use(
      mhdRoutes({ store, queue, config, log: pino({ level: 'silent' }), fullConfig: config }),
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`, {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json' },
        body: JSON.stringify(mhdBundle()),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(((await res.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    } finally {
      server.close();
      dead.disconnect();
    }
  });
});
