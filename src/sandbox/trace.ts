/**
 * The sandbox DMP's access trace: one entry per call (time, endpoint,
 * action, client certificate subject, outcome, error codes, duration),
 * identifiers only, never patient data. Bounded: the oldest entries go first.
 */
import type { TraceEntry } from './types.ts';

export class TraceLog {
  readonly #entries: TraceEntry[] = [];
  readonly #limit: number;

  constructor(limit = 10_000) {
    this.#limit = limit;
  }

  add(entry: TraceEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > this.#limit) this.#entries.splice(0, this.#entries.length - this.#limit);
  }

  list(): TraceEntry[] {
    return [...this.#entries];
  }

  clear(): void {
    this.#entries.length = 0;
  }
}
