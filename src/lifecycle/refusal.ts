/** Why an operator request on a submission is refused: the HTTP status and a message without patient data. */
export interface Refusal {
  readonly kind: 'refused';
  readonly status: 404 | 409 | 410 | 422;
  readonly error: string;
  /** Stable code for machines, when there is one (e.g. `release-needs-sender`). */
  readonly code?: string;
}

export function refuse(status: Refusal['status'], error: string, code?: string): Refusal {
  return { kind: 'refused', status, error, ...(code && { code }) };
}

/** Statuses of a record not yet sent, whose job waits (queued, held, backoff). */
export const PENDING = ['received', 'queued', 'held', 'retrying'] as const;

/** Statuses whose record never reached the DMP and never will (but see {@link neverReachedDmp}). */
export const ENDED_UNSENT: ReadonlySet<string> = new Set(['rejected', 'failed', 'cancelled', 'skipped']);

/**
 * The record ended without reaching the DMP for sure: a `failed` deposit whose last request went
 * unanswered (may have landed) is not, only ITI-18 can tell.
 */
export function neverReachedDmp(stored: {
  readonly status: string;
  readonly mayHaveLanded: boolean;
}): boolean {
  return ENDED_UNSENT.has(stored.status) && !(stored.status === 'failed' && stored.mayHaveLanded);
}
