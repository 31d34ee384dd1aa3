import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../rules/load.ts';
import { loadMapping } from './load.ts';
import { formatFileIssue } from './yaml-source.ts';

const MTIME = new Date('2025-03-01T08:00:00Z');

function errors(result: ReturnType<typeof loadMapping> | ReturnType<typeof loadRules>): string[] {
  return result.ok ? [] : result.issues.map(formatFileIssue);
}

const VALID = `kind: mapping
id: chu-x
appliesTo:
  applications: [DPI-X]
facilities:
  A:
    finess: '999000019'
    name: Site A
    facilityType: { code: SA01 }
defaults:
  facility: A
types:
  CRH: { typeCode: 34112-3 }
`;

describe('loadMapping', () => {
  it('loads a valid file with a version made of its content hash and mtime', () => {
    const result = loadMapping('mappings/chu-x.yaml', VALID, MTIME);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.version).toMatch(/^chu-x\.yaml#[0-9a-f]{12}@2025-03-01T08:00:00\.000Z$/);
    expect(result.value.lineOf(['types', 'CRH'])).toBe(13);
    const edited = loadMapping('mappings/chu-x.yaml', `${VALID}# comment\n`, MTIME);
    expect(edited.ok && edited.value.hash).not.toBe(result.value.hash);
  });

  it('lists every problem with file and line: schema and national tables in one run', () => {
    const text = [
      'kind: mapping', //                                  1
      'id: chu-x', //                                      2
      'appliesTo: {}', //                                  3
      'facilities:', //                                    4
      '  A:', //                                           5
      '    finess: 999000019', //                          6 unquoted: a number
      '    name: Site A', //                               7
      '    facilityType: { code: SA01 }', //              8
      'defaults:', //                                      9
      '  facility: B', //                                 10
      '  contentType: 03', //                             11 the number 3
      'types:', //                                        12
      '  CRH: { typeCode: 99999-9 }', //                  13
      '  LDS: { typeCode: 11490-0, sytem: LOINC }', //    14
      '  SYN: { typeCode: SYNTH, system: LOINC }', //     15 TRE_A05 code said LOINC
      'units:', //                                        16
      '  U1: { facility: Z }', //                         17
    ].join('\n');
    expect(errors(loadMapping('mappings/chu-x.yaml', text, MTIME))).toEqual([
      'mappings/chu-x.yaml:3: appliesTo: name the applications or facilities it applies to, or set default: true',
      'mappings/chu-x.yaml:6: facilities.A.finess: must be text: quote the FINESS, e.g. "999000019"',
      'mappings/chu-x.yaml:10: defaults.facility: B is not a key of facilities',
      'mappings/chu-x.yaml:11: defaults.contentType: must be text (quote codes and ids, e.g. "03")',
      'mappings/chu-x.yaml:13: types.CRH.typeCode: 99999-9 is not a DMP document type (JDV_J66)',
      'mappings/chu-x.yaml:14: types.LDS.sytem: unknown setting (misspelt?)',
      'mappings/chu-x.yaml:15: types.SYN.typeCode: SYNTH (LOINC) is not a DMP document type (JDV_J66)',
      'mappings/chu-x.yaml:17: units.U1.facility: Z is not a key of facilities',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const result = loadMapping('m.yaml', 'kind: mapping\nid: x\nid: y\n', MTIME);
    expect(errors(result)[0]).toMatch(/^m\.yaml:3: Map keys must be unique/);
  });

  it('says which kind a file must be', () => {
    expect(errors(loadMapping('m.yaml', VALID.replace('kind: mapping', 'kind: rule'), MTIME))).toContain(
      'm.yaml:1: kind: must be mapping (or rules, in a rules file)',
    );
  });

  it('accepts the example establishment mapping', () => {
    const text = readFileSync('mappings/chu-demo.yaml', 'utf8');
    expect(errors(loadMapping('mappings/chu-demo.yaml', text, MTIME))).toEqual([]);
  });
});

describe('loadRules', () => {
  it('requires the CME reference and reports semantic problems of each rule', () => {
    const text = [
      'kind: rules', //                                        1
      'id: x', //                                              2
      'establishment: X', //                                   3
      "sites: ['999000019']", //                               4
      'default: maybe', //                                     5
      'rules:', //                                             6
      '  - id: A', //                                          7
      "    cme: ''", //                                        8
      '    effect: include', //                                9
      '    when: { documentTypes: [1234-5], age: {} }', //    10
      '    hold: { atMostHours: 3 }', //                      11
      '  - id: A', //                                         12
      '    cme: c', //                                        13
      '    effect: exclude', //                               14
      '    hold: { hours: 3 }', //                            15
      '  - id: B', //                                         16
      '    effect: modify', //                                17
      '    cme: c', //                                        18
      '  - id: C', //                                         19
      '    effect: include', //                               20
      '    when: { age: { under: 16, atLeast: 18 } }', //    21
    ].join('\n');
    expect(errors(loadRules('mappings/rules-x.yaml', text, MTIME))).toEqual([
      'mappings/rules-x.yaml:5: default: Invalid option: expected one of "feed"|"skip"',
      'mappings/rules-x.yaml:8: rules[0].cme: the reference of the CME decision is required',
      'mappings/rules-x.yaml:10: rules[0].when.documentTypes[0]: 1234-5 is not a DMP document type (JDV_J66)',
      'mappings/rules-x.yaml:10: rules[0].when.age: give under, atLeast or both',
      'mappings/rules-x.yaml:11: rules[0].hold: give hours, untilEvent or both',
      'mappings/rules-x.yaml:11: rules[0].hold.atMostHours: only means something with untilEvent',
      'mappings/rules-x.yaml:12: rules[1].id: A is already the id of rules[0]',
      'mappings/rules-x.yaml:15: rules[1].hold: unknown setting (misspelt?)',
      'mappings/rules-x.yaml:17: rules[2].effect: a modify rule needs a hold or a visibility',
      'mappings/rules-x.yaml:19: rules[3].cme: required',
      'mappings/rules-x.yaml:21: rules[3].when.age: no age is both ≥ 18 and < 16',
    ]);
  });

  it('refuses INVISIBLE_REPRESENTANTS_LEGAUX as a rule default (only a minor can ask for it)', () => {
    const text = `kind: rules
id: x
establishment: X
sites: ['999000019']
default: feed
rules:
  - { id: A, cme: c, effect: include, visibility: [INVISIBLE_REPRESENTANTS_LEGAUX] }
`;
    expect(errors(loadRules('r.yaml', text, MTIME))[0]).toMatch(/^r\.yaml:7: rules\[0\]\.visibility\[0\]: /);
  });

  it('accepts the example establishment rules', () => {
    const text = readFileSync('mappings/rules-chu-demo.yaml', 'utf8');
    expect(errors(loadRules('mappings/rules-chu-demo.yaml', text, MTIME))).toEqual([]);
  });
});
