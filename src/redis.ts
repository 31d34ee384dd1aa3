/**
 * Redis connections. Every client has an error listener and reconnects
 * (resending the command) on READONLY and LOADING, which a failover or a
 * restarting server answers. Intake clients fail fast when Redis is down, so
 * a sender gets 503 at once instead of a hanging request.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

const RECOVERABLE = /READONLY|LOADING/;

function base(role: string): RedisOptions {
  return {
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    reconnectOnError: (err) => (RECOVERABLE.test(err.message) ? 2 : false),
    connectionName: `dmp-gateway:${role}`,
  };
}

function attach(client: Redis, log: Logger, role: string): Redis {
  let down = false;
  client.on('error', (err) => {
    if (!down) log.warn({ role, err: err.message }, 'redis connection error');
    down = true;
  });
  client.on('ready', () => {
    if (down) log.info({ role }, 'redis connection restored');
    down = false;
  });
  return client;
}

/** A client for request paths: commands fail immediately while Redis is unreachable. */
export function failFastRedis(url: string, log: Logger, role: string, commandTimeoutMs = 3_000): Redis {
  // commandTimeout: a Redis that stalls on an open connection must not hang the request either.
  return attach(
    new Redis(url, {
      ...base(role),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: commandTimeoutMs,
    }),
    log,
    role,
  );
}

/** A client for workers (BullMQ and their status writes): commands wait for the connection to come back. */
export function blockingRedis(url: string, log: Logger, role: string): Redis {
  return attach(new Redis(url, { ...base(role), maxRetriesPerRequest: null }), log, role);
}

/** Pings Redis once; throws a message that says how to start one. */
export async function checkRedis(url: string): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    throw new Error(
      `Redis at ${url.replace(/\/\/[^@]*@/, '//***@')} is unreachable (${(err as Error).message}). ` +
        'Start one (e.g. `redis-server --daemonize yes`, Redis >= 7) or set REDIS_URL.',
    );
  } finally {
    probe.disconnect();
  }
}

/** Resolves once the client is connected (or rejects after `timeoutMs`). */
export async function whenReady(client: Redis, timeoutMs = 10_000): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis did not become ready')), timeoutMs);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
