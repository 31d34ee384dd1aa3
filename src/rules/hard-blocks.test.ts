import { describe, expect, it } from 'vitest';
import { context, rulesFrom } from '../../test/rules/support.ts';
import { decide } from './decide.ts';

/** Rules that want everything fed: the hard blocks must win anyway. */
const FEED_ALL = rulesFrom('  - { id: ALL, cme: CME-ALL, effect: include }\n', 'default: feed');

describe('hard blocks', () => {
  it('nothing blocks a qualified patient with an active DMP', () => {
    expect(decide(context(), FEED_ALL).action).toBe('feed');
  });

  it.each([
    ['patient-opposed', context({ patient: { opposedToFeeding: true } }), 'patient.opposedToFeeding', 'true'],
    ['identity-not-qualified', context({ patient: { hasIns: false } }), 'patient.ins', 'absent'],
    [
      'identity-not-qualified',
      context({ patient: { identityStatus: 'PROV' } }),
      'patient.identityStatus',
      'PROV',
    ],
    [
      'identity-not-qualified',
      context({ patient: { identityStatus: 'QUAL' } }),
      'patient.identityStatus',
      'QUAL',
    ],
    [
      'identity-not-qualified',
      context({ patient: { identityStatus: undefined } }),
      'patient.identityStatus',
      'unknown',
    ],
    ['restricted-confidentiality', context({ document: { confidentiality: 'R' } }), 'confidentiality', 'R'],
    ['restricted-confidentiality', context({ document: { confidentiality: 'V' } }), 'confidentiality', 'V'],
    ['not-for-dmp', context({ toDmp: false }), 'DESTDMP', 'N'],
    ['dmp-closed', context({ dmp: 'closed' }), 'dmp.status', 'closed'],
    ['dmp-absent', context({ dmp: 'absent' }), 'dmp.status', 'absent'],
  ] as const)('%s (%s=%s) skips whatever the rules say', (block, ctx, field, value) => {
    const d = decide(ctx, FEED_ALL);
    expect(d.action).toBe('skip');
    expect(d.reasons).toEqual([
      expect.objectContaining({ effect: 'block', hardBlock: block, inputs: [{ field, value }] }),
    ]);
    expect(d.reasons.some((r) => r.ruleId)).toBe(false);
  });

  it('reports every block that applies', () => {
    const d = decide(
      context({ patient: { opposedToFeeding: true, identityStatus: 'PROV' }, toDmp: false, dmp: 'closed' }),
      FEED_ALL,
    );
    expect(d.reasons.map((r) => r.hardBlock)).toEqual([
      'patient-opposed',
      'identity-not-qualified',
      'not-for-dmp',
      'dmp-closed',
    ]);
  });

  it('an opposition not known (no ADT received) does not block', () => {
    expect(decide(context({ patient: { opposedToFeeding: undefined } }), FEED_ALL).action).toBe('feed');
    expect(decide(context({ patient: { opposedToFeeding: false } }), FEED_ALL).action).toBe('feed');
  });
});
