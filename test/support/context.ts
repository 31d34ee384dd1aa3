/** Deterministic ids, clock and configuration for translation tests. */
import { parseConfig } from '../../src/config/load.ts';
import type { IdSource } from '../../src/model/ids.ts';

/** Sequential UUIDs: 00000000-0000-4000-8000-000000000001, ...002, ... */
export function sequentialIds(): IdSource {
  let n = 0;
  return { uuid: () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}` };
}

export const FIXED_NOW = new Date('2026-11-20T10:30:00Z');

export const testConfig = parseConfig({});
