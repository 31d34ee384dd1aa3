/**
 * Helpers for the rules tests: a rules file from YAML rule lines, and a
 * decision context with plausible defaults (a qualified identity, an active
 * DMP, an N document) that each test overrides.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OID } from '../../src/model/vocabulary.ts';
import { type LoadedRules, loadRules } from '../../src/rules/load.ts';
import type { DecisionContext } from '../../src/rules/types.ts';
import { EXAMPLE_MAPPINGS, startTestGateway, type TestGateway } from '../support/gateway.ts';

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

/** A rules file governing `site` with no rule: every document gets `action` (`feed`, `skip`; another value is an error). */
export function rulesFile(id: string, site: string, action: string): string {
  return `kind: rules\nid: ${id}\nestablishment: CHU\nsites: ['${site}']\ndefault: ${action}\nrules: []\n`;
}

/**
 * A gateway with the example mapping and one rules file per site: the main site (999000019,
 * `rules-nord.yaml`) feeds nothing automatically, the southern one (999000027, `rules-sud.yaml`, where
 * the mapping puts the MDA and psychiatric units) feeds everything.
 */
export async function startTwoSiteGateway(): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-sites-'));
  copyFileSync(join(EXAMPLE_MAPPINGS, 'chu-demo.yaml'), join(dir, 'chu-demo.yaml'));
  writeFileSync(join(dir, 'rules-nord.yaml'), rulesFile('nord', '999000019', 'skip'));
  writeFileSync(join(dir, 'rules-sud.yaml'), rulesFile('sud', '999000027', 'feed'));
  return startTestGateway({ feeding: { policy: 'rules' }, mappings: { dir } });
}
