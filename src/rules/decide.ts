/**
 * The feeding decision for one document: feed, hold (until a time and/or an
 * event) or skip, with every reason [DOMAIN.md §9]. Pure.
 *
 * Precedence:
 * 1. Hard blocks (hard-blocks.ts) → skip. Every block that applies is
 *    reported; rules are not consulted.
 * 2. Exclusions: every matching `exclude` rule is reported → skip.
 * 3. Inclusions: if at least one `include` rule matches → fed; otherwise
 *    the file's `default` (feed or skip) applies, reported as such.
 * 4. Modifiers of a fed document: the holds and default visibility of every
 *    matching `include` and `modify` rule combine: the latest `hours` hold
 *    wins; the first rule (file order) with `untilEvent` sets the event and
 *    its deadline; visibility flags add up (each flag lists its rules).
 * Hold times count from the document date (creationTime); a hold already
 * past is no hold. The action is `hold` while a hold time is ahead or an
 * event is awaited, else `feed`.
 */
import { hardBlocks } from './hard-blocks.ts';
import { matchCriteria } from './match.ts';
import type { Rule, RulesFile } from './schema.ts';
import { type Decision, type DecisionContext, NO_RULE_VISIBILITY, type Reason } from './types.ts';

/** The rules `decide` applies: a loaded rules file (LoadedRules fits) or {@link IMPLICIT_RULES}. */
export interface RulesInput {
  readonly data: RulesFile;
  readonly version?: string;
}

/** When no rules file governs the site: no rule, feed by default (hard blocks still apply). */
export const IMPLICIT_RULES: RulesInput = {
  data: { kind: 'rules', id: 'implicit', establishment: '', sites: [], default: 'feed', rules: [] },
};

const HOUR_MS = 3_600_000;

function plusHours(base: string, hours: number): string {
  return new Date(Date.parse(base) + hours * HOUR_MS).toISOString();
}

type Matched = { readonly rule: Rule; readonly inputs: Reason['inputs'] };

function ruleReason(m: Matched, text: string): Reason {
  const effect = m.rule.effect;
  return { effect, ruleId: m.rule.id, cmeRef: m.rule.cme, text, inputs: m.inputs };
}

function describe(rule: Rule): string {
  if (rule.effect === 'exclude') return `excluded by rule ${rule.id}`;
  const parts = [rule.effect === 'include' ? `included by rule ${rule.id}` : `modified by rule ${rule.id}`];
  if (rule.hold?.hours !== undefined) parts.push(`hold ${rule.hold.hours} h after the document date`);
  if (rule.hold?.untilEvent !== undefined)
    parts.push(
      `wait for event ${rule.hold.untilEvent}${rule.hold.atMostHours === undefined ? '' : ` (at most ${rule.hold.atMostHours} h)`}`,
    );
  if (rule.visibility) parts.push(`visibility ${rule.visibility.join(', ')}`);
  return parts.join('; ');
}

/** Decides what to do with one document. */
export function decide(ctx: DecisionContext, rules: RulesInput): Decision {
  const version = rules.version === undefined ? {} : { rulesVersion: rules.version };
  const blocks = hardBlocks(ctx);
  if (blocks.length > 0)
    return { action: 'skip', visibilityDefaults: NO_RULE_VISIBILITY, reasons: blocks, ...version };
  const notes: Reason[] =
    ctx.dmp === 'unknown'
      ? [
          {
            effect: 'note',
            text: 'the DMP status was not checked (TD0.2)',
            inputs: [{ field: 'dmp.status', value: 'unknown' }],
          },
        ]
      : [];

  const matched: Matched[] = [];
  for (const rule of rules.data.rules) {
    const m = matchCriteria(rule.when, ctx);
    if (m.matched) matched.push({ rule, inputs: m.inputs });
  }
  const exclusions = matched.filter((m) => m.rule.effect === 'exclude');
  if (exclusions.length > 0) {
    const reasons = exclusions.map((m) => ruleReason(m, describe(m.rule)));
    return {
      action: 'skip',
      visibilityDefaults: NO_RULE_VISIBILITY,
      reasons: [...notes, ...reasons],
      ...version,
    };
  }
  const includes = matched.filter((m) => m.rule.effect === 'include');
  const docInputs = [{ field: 'typeCode', value: ctx.document.typeCode.code }];
  if (ctx.document.unit !== undefined) docInputs.push({ field: 'unit', value: ctx.document.unit });
  if (includes.length === 0 && rules.data.default === 'skip') {
    const reason: Reason = {
      effect: 'default',
      text: 'no include rule matches; default: skip',
      inputs: docInputs,
    };
    return {
      action: 'skip',
      visibilityDefaults: NO_RULE_VISIBILITY,
      reasons: [...notes, reason],
      ...version,
    };
  }
  const reasons: Reason[] = [...notes];
  if (includes.length === 0)
    reasons.push({ effect: 'default', text: 'no include rule matches; default: feed', inputs: docInputs });
  const effective = matched.filter((m) => m.rule.effect !== 'exclude');
  for (const m of effective) reasons.push(ruleReason(m, describe(m.rule)));
  return { ...combine(effective, ctx), reasons, ...version };
}

/** Holds and visibility of the matching include/modify rules, combined. */
function combine(
  effective: readonly Matched[],
  ctx: DecisionContext,
): Pick<Decision, 'action' | 'holdUntil' | 'holdEvent' | 'holdEventDeadline' | 'visibilityDefaults'> {
  const base = Number.isNaN(Date.parse(ctx.document.creationTime)) ? ctx.now : ctx.document.creationTime;
  const now = Date.parse(ctx.now);
  let holdUntil: string | undefined;
  let holdEvent: string | undefined;
  let holdEventDeadline: string | undefined;
  const hidden: string[] = [];
  const masked: string[] = [];
  for (const { rule } of effective) {
    if (rule.effect === 'exclude') continue;
    const hours = rule.hold?.hours;
    if (hours !== undefined) {
      const until = plusHours(base, hours);
      if (Date.parse(until) > now && (!holdUntil || until > holdUntil)) holdUntil = until;
    }
    const event = rule.hold?.untilEvent;
    if (event !== undefined && holdEvent === undefined) {
      const max = rule.hold?.atMostHours;
      const deadline = max === undefined ? undefined : plusHours(base, max);
      if (deadline === undefined || Date.parse(deadline) > now) {
        holdEvent = event;
        holdEventDeadline = deadline;
      }
    }
    if (rule.visibility?.includes('INVISIBLE_PATIENT')) hidden.push(rule.id);
    if (rule.visibility?.includes('MASQUE_PS')) masked.push(rule.id);
  }
  return {
    action: holdUntil || holdEvent ? 'hold' : 'feed',
    ...(holdUntil ? { holdUntil } : {}),
    ...(holdEvent ? { holdEvent } : {}),
    ...(holdEventDeadline ? { holdEventDeadline } : {}),
    visibilityDefaults: { hiddenFromPatient: hidden, maskedFromProfessionals: masked },
  };
}
