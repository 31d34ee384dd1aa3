/**
 * Lifecycle fields of a submission record (src/store/records.ts): the hold
 * shown while `held`, the visibility sent with the deposit, the minor's
 * secrecy request, and transitions allowed only from given statuses
 * (cancellation). Same keys and scripts as the store; no patient data.
 */
import type { SentVisibility, SubmissionStatus, SubmissionStore, TimelineEvent } from './records.ts';
import { SET_IF_STATUS, SETTLE_LANDING, TRANSITION_FROM } from './scripts.ts';

export class LifecycleState {
  readonly store: SubmissionStore;

  constructor(store: SubmissionStore) {
    this.store = store;
  }

  private key(...parts: string[]): string {
    return [this.store.prefix, ...parts].join(':');
  }

  /** Shows why and until when a `held` record waits (cleared when it leaves `held`). */
  async setHold(id: string, until: Date, reason: string): Promise<void> {
    await this.store.redis.hset(this.key('sub', id), 'holdUntil', until.toISOString(), 'holdReason', reason);
  }

  /** Records the visibility about to be sent (read back by a later replacement or release). */
  async setSent(id: string, sent: readonly SentVisibility[]): Promise<void> {
    await this.store.redis.hset(this.key('sub', id), 'sent', JSON.stringify(sent));
  }

  /**
   * Records a minor's secrecy request, only while the record has one of the `allowed` statuses (the worker
   * reads it once the record is `sending`). Answers 'ok' or the status that refused it.
   */
  async requestSecrecy(id: string, allowed: readonly SubmissionStatus[]): Promise<string> {
    return (await this.store.redis.eval(
      SET_IF_STATUS,
      1,
      this.key('sub', id),
      'secrecy',
      '1',
      allowed.join(','),
    )) as string;
  }

  /**
   * Settles a `failed` record whose last request may have landed, as the ITI-18 lookup found it: `absent`
   * clears the doubt, `landed` records it `deposited` (with `event`). Only while it is still the record
   * read (same job, still in doubt): answers false when it changed meanwhile (a replay, another settle).
   */
  async settleLanding(
    id: string,
    jobId: string | undefined,
    found: 'landed' | 'absent',
    event: Omit<TimelineEvent, 'at'>,
    now = new Date(),
  ): Promise<boolean> {
    const result = await this.store.redis.eval(
      SETTLE_LANDING,
      5,
      this.key('sub', id),
      this.key('sub', id, 'events'),
      this.key('open'),
      this.key('payload', id),
      this.key('outbox'),
      'deposited',
      now.toISOString(),
      JSON.stringify({ at: now.toISOString(), ...event }),
      JSON.stringify({}),
      id,
      '1',
      String(now.getTime()),
      String(this.store.retentionSeconds),
      jobId ?? '',
      found,
    );
    return result === 'ok';
  }

  /** {@link SubmissionStore.transition} only from one of `from`; answers 'ok' or the status that refused it. */
  async transitionFrom(
    id: string,
    from: readonly SubmissionStatus[],
    status: SubmissionStatus,
    event: Omit<TimelineEvent, 'at'>,
    outcome: { reason?: string },
    now = new Date(),
  ): Promise<string> {
    return (await this.store.redis.eval(
      TRANSITION_FROM,
      5,
      this.key('sub', id),
      this.key('sub', id, 'events'),
      this.key('open'),
      this.key('payload', id),
      this.key('outbox'),
      status,
      now.toISOString(),
      JSON.stringify({ at: now.toISOString(), ...event }),
      JSON.stringify(outcome),
      id,
      '0',
      String(now.getTime()),
      String(this.store.retentionSeconds),
      from.join(','),
    )) as string;
  }
}
