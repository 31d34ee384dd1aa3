/**
 * Helpers for the rules tests: a rules file from YAML rule lines, and a
 * decision context with plausible defaults (a qualified identity, an active
 * DMP, an N document) that each test overrides.
 */
import { OID } from '../../src/model/vocabulary.ts';
import { type LoadedRules, loadRules } from '../../src/rules/load.ts';
import type { DecisionContext } from '../../src/rules/types.ts';

/** A rules file whose `rules:` list is `rules` (YAML, one rule per item). */
export function rulesFrom(rules: string, head = 'default: skip'): LoadedRules {
  const text = `kind: rules\nid: test\nestablishment: Test\nsites: ['999000019']\n${head}\nrules:\n${rules}`;
  const result = loadRules('mappings/rules-test.yaml', text, new Date('2025-01-01T00:00:00Z'));
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.line}: ${i.path}: ${i.message}`).join('\n'));
  return result.value;
}

type Overrides = {
  readonly now?: string;
  readonly document?: Partial<DecisionContext['document']>;
  readonly patient?: Partial<DecisionContext['patient']>;
  readonly toDmp?: boolean;
  readonly dmp?: DecisionContext['dmp'];
};

export function context(o: Overrides = {}): DecisionContext {
  return {
    now: o.now ?? '2025-03-10T12:00:00.000Z',
    document: {
      typeCode: { code: '11490-0', codeSystem: OID.loinc },
      specialties: [],
      authorIds: ['810101201234'],
      eventCodes: [],
      confidentiality: 'N',
      creationTime: '2025-03-10T10:00:00.000Z',
      ...o.document,
    },
    patient: { hasIns: true, identityStatus: 'VALI', birthDate: '19790321', ...o.patient },
    toDmp: o.toDmp ?? true,
    dmp: o.dmp ?? 'active',
  };
}
