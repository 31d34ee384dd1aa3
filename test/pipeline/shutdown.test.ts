/**
 * Graceful shutdown: intake stops, deposits in flight finish within the grace
 * period, and their outcome is recorded before the process lets go of Redis.
 */
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { loadPayloadKey, payloadCipher } from '../../src/store/crypto.ts';
import { SubmissionStore } from '../../src/store/records.ts';
import { freshDocument, idFrom, startTestGateway } from '../support/gateway.ts';
import { dropPrefix } from '../support/redis.ts';

it('lets in-flight deposits finish and records their outcome', async () => {
  const gw = await startTestGateway({ queue: { shutdownGraceMs: 10_000 } });
  gw.sandbox!.setFaults({ latencyMs: 700 });
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) ids.push(idFrom((await gw.post(freshDocument())).location));
  // wait until they are being sent
  const deadline = Date.now() + 10_000;
  while (
    Date.now() < deadline &&
    (await Promise.all(ids.map((id) => gw.status(id)))).some((s) => s.status !== 'sending')
  ) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await gw.stop();

  const redis = new Redis(gw.config.redis.url);
  const store = new SubmissionStore(
    redis,
    gw.config.redis.prefix,
    payloadCipher(loadPayloadKey(undefined, gw.config.devPkiDir)),
  );
  const statuses = await Promise.all(ids.map(async (id) => (await store.get(id))!.status));
  expect(statuses).toEqual(ids.map(() => 'deposited'));
  await dropPrefix(redis, gw.config.redis.prefix);
  redis.disconnect();
});
