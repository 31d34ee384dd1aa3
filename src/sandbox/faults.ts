/**
 * Fault injection of the sandbox DMP: configured at start, changed at run
 * time (admin API), drawn once per request. Randomness is injected so that
 * tests are deterministic ({@link seededRandom}).
 */
import { z } from 'zod';
import {
  FAULT_KINDS,
  type FailNext,
  type FaultKind,
  SANDBOX_ENDPOINTS,
  type SandboxEndpoint,
  type SandboxFaults,
} from './types.ts';

const endpoint = z.enum(SANDBOX_ENDPOINTS as [SandboxEndpoint, ...SandboxEndpoint[]]);
const percent = z.number().min(0).max(100);

/** Schema of {@link SandboxFaults} (unknown keys refused). */
export const faultsSchema = z
  .object({
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    http500Percent: percent.optional(),
    soapFaultPercent: percent.optional(),
    registryBusyPercent: percent.optional(),
    dropPercent: percent.optional(),
    commitThenTimeoutPercent: percent.optional(),
    endpoints: z.array(endpoint).optional(),
    failNext: z
      .array(
        z
          .object({
            kind: z.enum(FAULT_KINDS as [FaultKind, ...FaultKind[]]),
            count: z.number().int().min(1).max(1_000_000),
            endpoint: endpoint.optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

/** Validates fault settings; throws an Error listing every bad field. */
export function parseFaults(input: unknown): SandboxFaults {
  const result = faultsSchema.safeParse(input ?? {});
  if (!result.success) {
    throw new Error(
      result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    );
  }
  return result.data;
}

/** Percent settings in draw order. */
const DRAW_ORDER: readonly [FaultKind, keyof SandboxFaults][] = [
  ['drop', 'dropPercent'],
  ['http500', 'http500Percent'],
  ['soapFault', 'soapFaultPercent'],
  ['registryBusy', 'registryBusyPercent'],
  ['commitThenTimeout', 'commitThenTimeoutPercent'],
];

/** Current fault settings and the draw of one fault per request. */
export class FaultInjector {
  #faults: SandboxFaults;
  #failNext: FailNext[];
  readonly #random: () => number;

  constructor(faults: SandboxFaults | undefined, random: () => number) {
    this.#random = random;
    this.#faults = parseFaults(faults);
    this.#failNext = [...(this.#faults.failNext ?? [])];
  }

  /** The settings, with the `failNext` entries still pending. */
  get(): SandboxFaults {
    return { ...this.#faults, failNext: this.#failNext.map((f) => ({ ...f })) };
  }

  set(faults: unknown): void {
    this.#faults = parseFaults(faults);
    this.#failNext = [...(this.#faults.failNext ?? [])];
  }

  latencyMs(): number {
    return this.#faults.latencyMs ?? 0;
  }

  /** The fault for one request to `target`: a pending `failNext` first, else the percentages. */
  draw(target: SandboxEndpoint): FaultKind | undefined {
    const index = this.#failNext.findIndex((f) => f.endpoint === undefined || f.endpoint === target);
    const next = this.#failNext[index];
    if (next) {
      if (next.count > 1) this.#failNext[index] = { ...next, count: next.count - 1 };
      else this.#failNext.splice(index, 1);
      return next.kind;
    }
    const endpoints = this.#faults.endpoints;
    if (endpoints && !endpoints.includes(target)) return undefined;
    for (const [kind, key] of DRAW_ORDER) {
      const p = (this.#faults[key] as number | undefined) ?? 0;
      if (p > 0 && this.#random() * 100 < p) return kind;
    }
    return undefined;
  }
}

/** A deterministic random source in [0, 1) (mulberry32), for reproducible fault draws. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
