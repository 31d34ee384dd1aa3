/**
 * Business-acknowledgement workers: send the ZAM^Z01 of a terminal record to
 * the sender's MLLP endpoint (`hl7.senders[].ackHost/ackPort`) and wait for
 * its ACK. AA or CA ends the job; AE, AR, no answer, a refused connection
 * retry with capped exponential backoff; the last failure, the success, or
 * the absence of an endpoint is recorded on the submission's timeline as a
 * `notified` event. An init/close pair owned by main.ts.
 */
import { type ConnectionOptions, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { sendMllp } from '../inbound/hl7v2/transport/mllp-client.ts';
import { newControlId } from '../intake/hl7-acks.ts';
import type { SubmissionStore } from '../store/records.ts';
import { NOTIFY_BACKOFF, NOTIFY_QUEUE, type NotifyJobData, notifyBackoff } from './notify-queue.ts';
import { ackEndpoint, senderSettings } from './senders.ts';
import { readAck, zamBytes } from './zam.ts';

export interface NotifyDeps {
  readonly store: SubmissionStore;
  readonly config: Pick<Config, 'hl7'>;
  readonly log: Logger;
}

export type NotifyResult = 'acknowledged' | 'no endpoint' | 'not wanted' | 'missing';

/** One attempt at delivering the business acknowledgement of record `id`. */
export async function processNotification(
  id: string,
  attempt: { readonly number: number; readonly max: number },
  deps: NotifyDeps,
  now = new Date(),
): Promise<NotifyResult> {
  const { store, log } = deps;
  const stored = await store.get(id);
  const reply = stored?.record.reply;
  if (!stored) return 'missing';
  if (!reply?.businessAck) return 'not wanted';
  const endpoint = ackEndpoint(senderSettings(deps.config, reply.sender), deps.config.hl7.notify.timeoutMs);
  if (!endpoint) {
    await store.appendEvent(id, { type: 'notified', outcome: 'no endpoint configured' });
    return 'no endpoint';
  }
  const controlId = newControlId();
  const zam = zamBytes(stored, reply, controlId, now);
  let reason: string;
  try {
    const answer = await sendMllp(endpoint, zam);
    const ack = readAck(answer);
    if ((ack.code === 'AA' || ack.code === 'CA') && (!ack.controlId || ack.controlId === controlId)) {
      await store.appendEvent(id, {
        type: 'notified',
        attempt: attempt.number,
        outcome: `ZAM^Z01 acknowledged (${ack.code})`,
        detail: `ACK_RECEPTION_DMP=${stored.status === 'deposited' || stored.status === 'deleted' ? 'Y' : 'N'}`,
      });
      log.info({ submission: id, attempt: attempt.number }, 'business acknowledgement delivered');
      return 'acknowledged';
    }
    reason = ack.code ? `the sender answered ${ack.code}` : 'the answer is not an acknowledgement';
    if (ack.code && ack.controlId && ack.controlId !== controlId)
      reason = 'the answer acknowledges another message';
  } catch (err) {
    reason = (err as Error).message;
  }
  log.warn({ submission: id, attempt: attempt.number, reason }, 'business acknowledgement not delivered');
  if (attempt.number >= attempt.max) {
    await store.appendEvent(id, {
      type: 'notified',
      attempt: attempt.number,
      outcome: `failed: ${reason}`,
    });
    throw new UnrecoverableError(`business acknowledgement not delivered: ${reason}`);
  }
  throw new Error(reason);
}

export interface NotifyWorker {
  readonly worker: Worker<NotifyJobData>;
  close(): Promise<void>;
}

export function startNotifyWorker(
  connection: ConnectionOptions,
  config: Pick<Config, 'hl7' | 'redis' | 'queue'>,
  deps: NotifyDeps,
  log: Logger,
): NotifyWorker {
  const worker = new Worker<NotifyJobData>(
    NOTIFY_QUEUE,
    async (job) =>
      processNotification(
        job.data.submissionId,
        { number: job.attemptsMade + 1, max: job.opts.attempts ?? 1 },
        deps,
      ),
    {
      connection,
      prefix: `${config.redis.prefix}:bull`,
      concurrency: config.hl7.notify.concurrency,
      settings: {
        backoffStrategy: (attemptsMade, type) =>
          notifyBackoff(attemptsMade, config.hl7.notify, type === NOTIFY_BACKOFF ? Math.random : () => 0),
      },
    },
  );
  worker.on('error', (err) => log.error({ err: err.message }, 'notify worker error'));
  return {
    worker,
    async close() {
      const grace = new Promise<void>((resolve) => setTimeout(resolve, config.queue.shutdownGraceMs).unref());
      await Promise.race([worker.close(), grace]);
      if (worker.isRunning()) await worker.close(true);
    },
  };
}
