/**
 * The business-acknowledgement queue (BullMQ `notify`), fed from the store's
 * outbox of records that reached a terminal status: for a record whose sender
 * asked for a business acknowledgement, one job carrying the submission id
 * (nothing else) is added; its job id is derived from the submission id and
 * the status, so the acknowledgement of one outcome is sent once however many
 * times the record is handed over.
 */
import { Queue, type QueueOptions } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import type { SubmissionStore } from '../store/records.ts';

export const NOTIFY_QUEUE = 'notify';
export const NOTIFY_BACKOFF = 'notify-exponential';

export interface NotifyJobData {
  readonly submissionId: string;
}

export type NotifyQueue = Queue<NotifyJobData>;

export function createNotifyQueue(
  connection: QueueOptions['connection'],
  config: Pick<Config, 'redis'>,
): NotifyQueue {
  return new Queue<NotifyJobData>(NOTIFY_QUEUE, { connection, prefix: `${config.redis.prefix}:bull` });
}

/** Delay before retry `attemptsMade`: exponential from `backoffMs`, capped, with up to 30 % jitter. */
export function notifyBackoff(
  attemptsMade: number,
  notify: Config['hl7']['notify'],
  random: () => number = Math.random,
): number {
  const exp = Math.min(notify.maxBackoffMs, notify.backoffMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(exp * (1 - 0.3 * random()));
}

/**
 * Hands one terminal record to the notifier: queues its business
 * acknowledgement when its sender wants one, then takes it out of the
 * store's outbox (a crash in between only queues it again, under the same
 * job id).
 */
export async function notifyTerminal(
  queue: NotifyQueue,
  store: SubmissionStore,
  config: Pick<Config, 'hl7'>,
  id: string,
): Promise<void> {
  const stored = await store.get(id);
  if (stored?.record.reply?.businessAck) {
    await queue.add(
      'zam',
      { submissionId: id },
      {
        jobId: `zam-${id}-${stored.status}`,
        attempts: config.hl7.notify.attempts,
        backoff: { type: NOTIFY_BACKOFF },
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: false,
      },
    );
  }
  await store.outboxDone(id);
}

/** Drains the store's outbox (records that reached a terminal status); returns how many were handled. */
export async function drainOutbox(
  queue: NotifyQueue,
  store: SubmissionStore,
  config: Pick<Config, 'hl7'>,
  batch = 100,
): Promise<number> {
  let handled = 0;
  for (;;) {
    const ids = await store.outbox(batch);
    for (const id of ids) await notifyTerminal(queue, store, config, id);
    handled += ids.length;
    if (ids.length < batch) return handled;
  }
}

/**
 * Drains the outbox now and every `everyMs`, and returns the `onTerminal`
 * wake-up of the pipeline (which handles one record at once) and a stop
 * function. Failures are logged and left to the next run: the outbox keeps
 * every record until it is handled.
 */
export function scheduleOutbox(
  queue: NotifyQueue,
  store: SubmissionStore,
  config: Pick<Config, 'hl7'>,
  everyMs: number,
  log: Logger,
): { onTerminal: (id: string) => Promise<void>; stop: () => void } {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await drainOutbox(queue, store, config);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'outbox drain failed; will retry');
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return {
    onTerminal: async (id) => {
      try {
        await notifyTerminal(queue, store, config, id);
      } catch (err) {
        log.warn({ submission: id, err: (err as Error).message }, 'business acknowledgement not queued yet');
      }
    },
    stop: () => clearInterval(timer),
  };
}
