import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MappingRegistry } from './registry.ts';

function demoFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mappings-'));
  copyFileSync('mappings/chu-demo.yaml', join(dir, 'chu-demo.yaml'));
  copyFileSync('mappings/rules-chu-demo.yaml', join(dir, 'rules-chu-demo.yaml'));
  return dir;
}

const OTHER = `kind: mapping
id: labo-ext
appliesTo:
  applications: [LABO-EXT]
facilities:
  L:
    finess: '999000035'
    name: Laboratoire
    facilityType: { code: SA29 }
defaults:
  facility: L
`;

const LAB_RULES = `kind: rules
id: labo
establishment: Laboratoire
sites: ['999000035']
default: feed
rules: []
`;

describe('MappingRegistry', () => {
  it('loads mappings and rules files of a folder, by kind', () => {
    const registry = new MappingRegistry(demoFolder());
    const result = registry.reload();
    expect(result).toMatchObject({ ok: true, errors: [] });
    expect(registry.current?.mappings.map((m) => m.data.id)).toEqual(['chu-demo']);
    expect(registry.rulesFor('999000027')?.data.id).toBe('chu-demo');
    expect(registry.rulesFor('999000043')).toBeUndefined();
  });

  it('keeps the last good version when a reload fails, and takes the next good one', () => {
    const dir = demoFolder();
    const registry = new MappingRegistry(dir);
    const first = registry.reload();
    const file = join(dir, 'chu-demo.yaml');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('CRH: { typeCode: 34112-3 }', 'CRH: { typeCode: 99999-9 }'));
    const failed = registry.reload();
    expect(failed.ok).toBe(false);
    expect(failed.errors).toEqual([
      expect.stringMatching(
        /chu-demo\.yaml:\d+: types\.CRH\.typeCode: 99999-9 is not a DMP document type \(JDV_J66\)$/,
      ),
    ]);
    expect(failed.version).toBe(first.version);
    expect(registry.mappingFor({ application: 'DPI-DEMO' })?.data.types?.CRH?.typeCode).toBe('34112-3');

    writeFileSync(file, good.replace('CRH: { typeCode: 34112-3 }', 'CRH: { typeCode: 11490-0 }'));
    const fixed = registry.reload();
    expect(fixed.ok).toBe(true);
    expect(fixed.version).not.toBe(first.version);
    expect(registry.mappingFor({ application: 'DPI-DEMO' })?.data.types?.CRH?.typeCode).toBe('11490-0');
  });

  it('fails the first load with every error and serves nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mappings-'));
    writeFileSync(join(dir, 'a.yaml'), 'kind: mapping\nid: a\n');
    writeFileSync(join(dir, 'rules-b.yml'), 'kind: rules\nid: b\n');
    const registry = new MappingRegistry(dir);
    const result = registry.reload();
    expect(result.ok).toBe(false);
    expect(result.version).toBeUndefined();
    expect(result.errors.length).toBeGreaterThanOrEqual(6);
    expect(result.errors).toContain(`${join(dir, 'a.yaml')}:1: appliesTo: required`);
    expect(result.errors).toContain(`${join(dir, 'rules-b.yml')}:1: sites: required`);
    expect(registry.current).toBeUndefined();
  });

  it('refuses two files claiming the same application, default or site', () => {
    const dir = demoFolder();
    writeFileSync(
      join(dir, 'copy.yaml'),
      readFileSync('mappings/chu-demo.yaml', 'utf8').replace('id: chu-demo', 'id: copy'),
    );
    const result = new MappingRegistry(dir).reload();
    expect(result.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /copy\.yaml:\d+: appliesTo\.default: default: true is also in .*chu-demo\.yaml$/,
        ),
        expect.stringMatching(
          /copy\.yaml:\d+: appliesTo\.applications: application DPI-DEMO is claimed also in/,
        ),
      ]),
    );
  });

  it('selects by application, then facility, then the default mapping', () => {
    const dir = demoFolder();
    writeFileSync(join(dir, 'labo-ext.yaml'), OTHER);
    writeFileSync(join(dir, 'rules-labo.yaml'), LAB_RULES);
    const registry = new MappingRegistry(dir);
    expect(registry.reload().errors).toEqual([]);
    expect(registry.mappingFor({ application: 'LABO-EXT' })?.data.id).toBe('labo-ext');
    expect(registry.mappingFor({ application: 'DPI-DEMO' })?.data.id).toBe('chu-demo');
    expect(registry.mappingFor({ application: 'UNKNOWN' })?.data.id).toBe('chu-demo');
    expect(registry.mappingFor({})?.data.id).toBe('chu-demo');
  });

  it('refuses a site of a mapping that no rules file governs (its documents would escape the CME rules)', () => {
    const dir = demoFolder();
    writeFileSync(join(dir, 'labo-ext.yaml'), OTHER);
    const result = new MappingRegistry(dir).reload();
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      `${join(dir, 'labo-ext.yaml')}:7: facilities.L.finess: site 999000035 (L) is governed by no rules file: list it in the sites of one`,
    ]);
  });
});
