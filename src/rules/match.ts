/**
 * Whether a rule's `when` criteria hold for one document, and which input
 * fields made them hold (for the decision's explanation). Every criterion
 * given must hold (AND); within one criterion any listed value may (OR).
 */
import { ageRange } from './age.ts';
import type { Criteria } from './schema.ts';
import type { DecisionContext, DecisionInput } from './types.ts';

export interface Match {
  readonly matched: boolean;
  /** The fields that satisfied the criteria (empty when not matched). */
  readonly inputs: readonly DecisionInput[];
}

const NO_MATCH: Match = { matched: false, inputs: [] };

/** `PSY*` matches every value starting with `PSY`; other patterns match exactly. */
export function matchesPattern(pattern: string, value: string): boolean {
  return pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : value === pattern;
}

/** `<18`, `≥16`, `≥16 and <18`: the side of the rule's bounds the age fell on, not the age. */
function ageBand(under: number | undefined, atLeast: number | undefined): string {
  return [atLeast === undefined ? '' : `≥${atLeast}`, under === undefined ? '' : `<${under}`]
    .filter(Boolean)
    .join(' and ');
}

/** Evaluates `when` against `ctx`. */
export function matchCriteria(when: Criteria, ctx: DecisionContext): Match {
  const d = ctx.document;
  const inputs: DecisionInput[] = [];
  if (when.documentTypes) {
    if (!when.documentTypes.includes(d.typeCode.code)) return NO_MATCH;
    inputs.push({ field: 'typeCode', value: d.typeCode.code });
  }
  if (when.localTypes) {
    if (d.localType === undefined || !when.localTypes.includes(d.localType)) return NO_MATCH;
    inputs.push({ field: 'localType', value: d.localType });
  }
  if (when.units) {
    const unit = d.unit;
    if (unit === undefined || !when.units.some((p) => matchesPattern(p, unit))) return NO_MATCH;
    inputs.push({ field: 'unit', value: unit });
  }
  if (when.specialties) {
    const hit = d.specialties.find((s) => when.specialties?.includes(s.code));
    if (!hit) return NO_MATCH;
    inputs.push({ field: 'specialty', value: hit.code });
  }
  if (when.authors) {
    const hit = d.authorIds.find((id) => when.authors?.includes(id));
    if (!hit) return NO_MATCH;
    inputs.push({ field: 'author', value: hit });
  }
  if (when.eventCodes) {
    const { system, codes } = when.eventCodes;
    const hit = d.eventCodes.some(
      (c) =>
        (system === undefined || c.codeSystem === system) && codes.some((p) => matchesPattern(p, c.code)),
    );
    if (!hit) return NO_MATCH;
    inputs.push({ field: 'eventCodes', value: 'present' });
  }
  if (when.age) {
    const { under, atLeast } = when.age;
    const range = ageRange(ctx.patient.birthDate, d.creationTime);
    if (!range) return NO_MATCH;
    const holds =
      (under === undefined || range.max < under) && (atLeast === undefined || range.min >= atLeast);
    if (!holds) return NO_MATCH;
    inputs.push({ field: 'patient.age', value: ageBand(under, atLeast) });
  }
  return { matched: true, inputs };
}
