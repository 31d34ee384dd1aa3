/**
 * Hard blocks: what no CME rule can override [DOMAIN.md §4, §7, §9;
 * VOLET-HL7 volume 2 "Alimentation DMP" and INS annex]:
 * - the patient opposed feeding the DMP (PAM-FR ZFA-9 `IO`);
 * - the identity is not qualified: no INS, or an identity status other than
 *   `VALI` (the INS may only be sent for a qualified identity);
 * - confidentiality `R` or `V` ("ne devrait pas être mis en partage");
 * - the sender said `DESTDMP=N`;
 * - the patient's DMP is closed or absent (TD0.2).
 * All that apply are reported, each with the input field it read.
 */
import type { DecisionContext, HardBlock, Reason } from './types.ts';

function block(hardBlock: HardBlock, text: string, field: string, value: string): Reason {
  return { effect: 'block', hardBlock, text, inputs: [{ field, value }] };
}

/** The hard blocks that apply to `ctx` (empty: none). */
export function hardBlocks(ctx: DecisionContext): Reason[] {
  const reasons: Reason[] = [];
  const { patient } = ctx;
  if (patient.opposedToFeeding === true)
    reasons.push(
      block('patient-opposed', 'the patient opposed feeding the DMP', 'patient.opposedToFeeding', 'true'),
    );
  if (!patient.hasIns)
    reasons.push(block('identity-not-qualified', 'no INS for the patient', 'patient.ins', 'absent'));
  else if (patient.identityStatus !== 'VALI')
    reasons.push(
      block(
        'identity-not-qualified',
        'the identity is not qualified (INS identity status must be VALI)',
        'patient.identityStatus',
        patient.identityStatus ?? 'unknown',
      ),
    );
  const { confidentiality } = ctx.document;
  if (confidentiality === 'R' || confidentiality === 'V')
    reasons.push(
      block(
        'restricted-confidentiality',
        `confidentiality ${confidentiality}: restricted documents are not shared`,
        'confidentiality',
        confidentiality,
      ),
    );
  if (!ctx.toDmp)
    reasons.push(block('not-for-dmp', 'the sender said DESTDMP=N (not for the DMP)', 'DESTDMP', 'N'));
  if (ctx.dmp === 'closed')
    reasons.push(block('dmp-closed', "the patient's DMP is closed (TD0.2)", 'dmp.status', 'closed'));
  if (ctx.dmp === 'absent')
    reasons.push(block('dmp-absent', 'the patient has no DMP (TD0.2)', 'dmp.status', 'absent'));
  return reasons;
}
