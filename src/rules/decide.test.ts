import { describe, expect, it } from 'vitest';
import { context, rulesFrom } from '../../test/rules/support.ts';
import { OID } from '../model/vocabulary.ts';
import { decide, IMPLICIT_RULES } from './decide.ts';

const CIM10 = '2.16.840.1.113883.6.3';

/** An include-everything rule, then `rule`: with default skip, the action tells whether `rule` matched. */
function matches(rule: string, ctx = context()): boolean {
  const rules = rulesFrom(
    `  - { id: R, cme: CME-1, effect: exclude, when: ${rule} }\n  - { id: ALL, cme: CME-0, effect: include }\n`,
  );
  return decide(ctx, rules).action === 'feed';
}

describe('decide: rule criteria', () => {
  it('documentTypes match the DMP typeCode', () => {
    expect(matches('{ documentTypes: [11490-0] }')).toBe(false);
    expect(matches('{ documentTypes: [11502-2, 34112-3] }')).toBe(true);
  });

  it('localTypes match the type as sent', () => {
    expect(matches('{ localTypes: [BIO-VIH] }', context({ document: { localType: 'BIO-VIH' } }))).toBe(false);
    expect(matches('{ localTypes: [BIO-VIH] }', context({ document: { localType: 'CRBIO' } }))).toBe(true);
    expect(matches('{ localTypes: [BIO-VIH] }')).toBe(true);
  });

  it('units match exactly or by prefix', () => {
    expect(matches("{ units: ['PSY-*'] }", context({ document: { unit: 'PSY-ADULTE' } }))).toBe(false);
    expect(matches("{ units: ['PSY-*'] }", context({ document: { unit: 'PEDIATRIE' } }))).toBe(true);
    expect(matches('{ units: [MDA] }', context({ document: { unit: 'MDA-2' } }))).toBe(true);
    expect(matches('{ units: [MDA] }')).toBe(true);
  });

  it('specialties match an author or unit specialty', () => {
    const specialties = [{ code: 'SM42', codeSystem: '1.2.250.1.71.4.2.5' }];
    expect(matches('{ specialties: [SM42, SM43] }', context({ document: { specialties } }))).toBe(false);
    expect(matches('{ specialties: [SM43] }', context({ document: { specialties } }))).toBe(true);
  });

  it('authors match a national id', () => {
    expect(matches("{ authors: ['810101201234'] }")).toBe(false);
    expect(matches("{ authors: ['810000000000'] }")).toBe(true);
  });

  it('eventCodes match by code or prefix, within the given system', () => {
    const eventCodes = [{ code: 'B20.1', codeSystem: CIM10 }];
    const ctx = context({ document: { eventCodes } });
    expect(matches(`{ eventCodes: { system: ${CIM10}, codes: [B20*] } }`, ctx)).toBe(false);
    expect(matches('{ eventCodes: { codes: [B20.1] } }', ctx)).toBe(false);
    expect(matches('{ eventCodes: { system: 1.2.250.1.213.2.5, codes: [B20*] } }', ctx)).toBe(true);
    expect(matches(`{ eventCodes: { system: ${CIM10}, codes: [B21*, Z21] } }`, ctx)).toBe(true);
  });

  it('age is computed at the document date; a partial birth date must be decisive', () => {
    const at = (birthDate: string) => context({ patient: { birthDate } });
    expect(matches('{ age: { under: 18 } }', at('20070311'))).toBe(false); // 17 on 2025-03-10
    expect(matches('{ age: { under: 18 } }', at('20070310'))).toBe(true); // 18 that day
    expect(matches('{ age: { atLeast: 16, under: 18 } }', at('20081231'))).toBe(false);
    expect(matches('{ age: { atLeast: 16, under: 18 } }', at('20100101'))).toBe(true);
    expect(matches('{ age: { under: 18 } }', at('2007'))).toBe(true); // 17 or 18: not decisive
    expect(matches('{ age: { under: 18 } }', at('2008'))).toBe(false); // 16 or 17
  });

  it('all criteria of a rule must hold', () => {
    const ctx = context({ document: { unit: 'MDA' }, patient: { birthDate: '20100101' } });
    expect(matches('{ units: [MDA], age: { under: 18 } }', ctx)).toBe(false);
    expect(matches('{ units: [MDA], age: { atLeast: 18 } }', ctx)).toBe(true);
  });
});

describe('decide: precedence and effects', () => {
  const rules = rulesFrom(`  - { id: X1, cme: CME-X, effect: exclude, when: { units: [PSY] } }
  - { id: I1, cme: CME-I1, effect: include, when: { documentTypes: [11490-0] } }
  - { id: I2, cme: CME-I2, effect: include, when: { documentTypes: [11502-2] }, hold: { hours: 24 } }
  - id: I3
    cme: CME-I3
    effect: include
    when: { documentTypes: [34794-8] }
    hold: { untilEvent: rcp-validated, atMostHours: 168 }
  - { id: M1, cme: CME-M1, effect: modify, when: { units: [ONCO] }, visibility: [INVISIBLE_PATIENT, MASQUE_PS] }
  - { id: M2, cme: CME-M2, effect: modify, when: { units: [ONCO] }, hold: { hours: 48 } }
`);

  it('an exclusion wins over an inclusion and names its rule and CME decision', () => {
    const d = decide(context({ document: { unit: 'PSY' } }), rules);
    expect(d.action).toBe('skip');
    expect(d.reasons).toEqual([
      {
        effect: 'exclude',
        ruleId: 'X1',
        cmeRef: 'CME-X',
        text: 'excluded by rule X1',
        inputs: [{ field: 'unit', value: 'PSY' }],
      },
    ]);
  });

  it('no include rule: the default applies', () => {
    const other = { typeCode: { code: '18748-4', codeSystem: OID.loinc } };
    expect(decide(context({ document: other }), rules)).toMatchObject({
      action: 'skip',
      reasons: [{ effect: 'default', text: 'no include rule matches; default: skip' }],
    });
    const feeding = { ...rules, data: { ...rules.data, default: 'feed' as const } };
    expect(decide(context({ document: other }), feeding)).toMatchObject({ action: 'feed' });
  });

  it('an include feeds, with the rule id, CME reference and the inputs that matched', () => {
    const d = decide(context(), rules);
    expect(d).toMatchObject({ action: 'feed', rulesVersion: rules.version });
    expect(d.reasons).toEqual([
      {
        effect: 'include',
        ruleId: 'I1',
        cmeRef: 'CME-I1',
        text: 'included by rule I1',
        inputs: [{ field: 'typeCode', value: '11490-0' }],
      },
    ]);
  });

  it('a delay counts from the document date; a past delay does not hold', () => {
    const lab = { typeCode: { code: '11502-2', codeSystem: OID.loinc } };
    expect(decide(context({ document: lab }), rules)).toMatchObject({
      action: 'hold',
      holdUntil: '2025-03-11T10:00:00.000Z',
    });
    const late = decide(context({ document: lab, now: '2025-03-11T10:00:00.000Z' }), rules);
    expect(late.action).toBe('feed');
    expect(late.holdUntil).toBeUndefined();
  });

  it('waits for an event, at most until its deadline', () => {
    const rcp = { typeCode: { code: '34794-8', codeSystem: OID.loinc } };
    expect(decide(context({ document: rcp }), rules)).toMatchObject({
      action: 'hold',
      holdEvent: 'rcp-validated',
      holdEventDeadline: '2025-03-17T10:00:00.000Z',
    });
    const after = decide(context({ document: rcp, now: '2025-03-17T10:00:00.000Z' }), rules);
    expect(after.action).toBe('feed');
  });

  it('modifiers add visibility and the longest delay to what is fed', () => {
    const d = decide(
      context({ document: { unit: 'ONCO', typeCode: { code: '11502-2', codeSystem: OID.loinc } } }),
      rules,
    );
    expect(d.action).toBe('hold');
    expect(d.holdUntil).toBe('2025-03-12T10:00:00.000Z');
    expect(d.visibilityDefaults).toEqual({ hiddenFromPatient: ['M1'], maskedFromProfessionals: ['M1'] });
    expect(d.reasons.map((r) => r.ruleId)).toEqual(['I2', 'M1', 'M2']);
  });

  it('modifiers do not feed what no rule includes', () => {
    const d = decide(
      context({ document: { unit: 'ONCO', typeCode: { code: '18748-4', codeSystem: OID.loinc } } }),
      rules,
    );
    expect(d.action).toBe('skip');
    expect(d.visibilityDefaults).toEqual({ hiddenFromPatient: [], maskedFromProfessionals: [] });
  });

  it('notes an unchecked DMP status; the implicit rules feed', () => {
    const d = decide(context({ dmp: 'unknown' }), IMPLICIT_RULES);
    expect(d.action).toBe('feed');
    expect(d.rulesVersion).toBeUndefined();
    expect(d.reasons.map((r) => r.effect)).toEqual(['note', 'default']);
  });

  it('never reports patient data: no birth date, and the age as a band', () => {
    const ageRules = rulesFrom('  - { id: A, cme: C, effect: include, when: { age: { under: 18 } } }\n');
    const d = decide(context({ patient: { birthDate: '20100101' } }), ageRules);
    expect(d.reasons[0]?.inputs).toEqual([{ field: 'patient.age', value: '<18' }]);
    expect(JSON.stringify(d)).not.toContain('2010');
    const hiv = rulesFrom(
      '  - { id: V, cme: C, effect: exclude, when: { eventCodes: { codes: [B20*] } } }\n',
    );
    const e = decide(
      context({ document: { eventCodes: [{ code: 'B20', codeSystem: '2.16.840.1.113883.6.3' }] } }),
      hiv,
    );
    expect(e.reasons[0]?.inputs).toEqual([{ field: 'eventCodes', value: 'present' }]);
  });
});
