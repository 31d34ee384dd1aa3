/**
 * The example establishment configuration (mappings/chu-demo.yaml and
 * mappings/rules-chu-demo.yaml) end to end through the pure core: a FHIR
 * DocumentReference → mapping → CME rules → visibility, as the dry run shows
 * them. One test per CME decision of the example, plus the hard blocks.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type DryRunOptions, dryRun } from '../../src/cli/dry-run.ts';
import { configSchema } from '../../src/config/schema.ts';
import { MappingRegistry } from '../../src/mappings/registry.ts';
import { formatLineage } from '../../src/mappings/result.ts';

const registry = new MappingRegistry('mappings');
const loaded = registry.reload();
const FIXTURE = JSON.parse(readFileSync('fixtures/fhir/documentreference-pdf.json', 'utf8'));
const LOCAL_TYPES = 'urn:oid:1.2.250.1.999.1.7';
/** The fixture document is dated 2026-11-20T10:00+01:00; one hour later. */
const NOW = new Date('2026-11-20T10:00:00Z');

interface Doc {
  readonly type?: string;
  readonly system?: string;
  readonly birthDate?: string;
}

function documentReference(d: Doc): Uint8Array {
  const doc = structuredClone(FIXTURE);
  if (d.type) {
    doc.type = { coding: [{ system: d.system ?? LOCAL_TYPES, code: d.type }] };
    delete doc.category;
  }
  if (d.birthDate) doc.contained[0].birthDate = d.birthDate;
  return new TextEncoder().encode(JSON.stringify(doc));
}

function run(d: Doc, options: Partial<DryRunOptions> = {}) {
  const report = dryRun(documentReference(d), {
    config: configSchema.parse({}),
    snapshot: registry.current,
    now: NOW,
    dmp: 'active',
    ...options,
  });
  expect(report.issues).toEqual([]);
  const doc = report.documents[0]!;
  return {
    report,
    doc,
    decision: doc.decision,
    rules: doc.decision.reasons.map((r) => r.ruleId ?? r.effect),
  };
}

describe('example establishment: CHU de Démonstration', () => {
  it('loads without errors', () => {
    expect(loaded.errors).toEqual([]);
  });

  it('feeds stay and discharge reports (I-SEJOUR), naming the CME decision', () => {
    const { decision, report } = run({});
    expect(decision.action).toBe('feed');
    expect(decision.reasons[0]).toMatchObject({ ruleId: 'I-SEJOUR', cmeRef: 'CME 2025-02-11 décision 1' });
    expect(report.mapping?.file).toBe('mappings/chu-demo.yaml');
    expect(report.rules).toMatchObject({ file: 'mappings/rules-chu-demo.yaml' });
  });

  it('maps a local lab type and holds lab results 24 hours after the document date (I-BIOLOGIE)', () => {
    const { decision, doc } = run({ type: 'CRBIO' });
    expect(doc.metadata.documentEntry.typeCode).toBe('11502-2^^2.16.840.1.113883.6.1');
    expect(doc.metadata.documentEntry.classCode).toMatch(/^10\^/);
    expect(doc.lineage.map(formatLineage)).toContainEqual(
      expect.stringMatching(
        /^typeCode = 11502-2 ← DocumentReference\.type\.coding\[0\] via mappings\/chu-demo\.yaml:types\.CRBIO \(line \d+\)$/,
      ),
    );
    expect(decision).toMatchObject({ action: 'hold', holdUntil: '2026-11-21T09:00:00.000Z' });
  });

  it('excludes psychiatry units (X-PSY), and attributes them to the south site', () => {
    const { decision, doc } = run({}, { facts: { unit: 'PSY-ADULTE' } });
    expect(decision.action).toBe('skip');
    expect(decision.reasons).toMatchObject([
      { ruleId: 'X-PSY', inputs: [{ field: 'unit', value: 'PSY-ADULTE' }] },
    ]);
    expect(doc.metadata.vihf.Identifiant_Structure).toBe('1999000027');
  });

  it('excludes genetic results (X-GENETIQUE) and HIV serology (X-VIH)', () => {
    expect(run({ type: 'GENET' }).rules).toEqual(['X-GENETIQUE']);
    expect(run({ type: 'BIO-VIH' }).rules).toEqual(['X-VIH']);
  });

  it('hides pathology reports until the announcement, at most 21 days (I-ANAPATH)', () => {
    const { doc } = run({ type: 'CRAP' });
    expect(doc.decision.visibilityDefaults.hiddenFromPatient).toEqual(['I-ANAPATH']);
    expect(doc.visibility.confidentialityCodes.map((c) => c.code)).toEqual(['N', 'INVISIBLE_PATIENT']);
    expect(doc.visibility.releaseAt).toBe('2026-12-11T09:00:00.000Z');
    const announced = run({ type: 'CRAP' }, { announcementReleased: true });
    expect(announced.doc.visibility.confidentialityCodes.map((c) => c.code)).toEqual(['N']);
  });

  it('hides oncology documents pending the announcement (M-ANNONCE-ONCO)', () => {
    const { rules, doc } = run({}, { facts: { unit: 'ONCO' } });
    expect(rules).toEqual(['I-SEJOUR', 'M-ANNONCE-ONCO']);
    expect(doc.visibility.flags.hiddenFromPatient).toBe(true);
  });

  it('holds multidisciplinary meeting reports until validated, 7 days at most (I-RCP)', () => {
    const { decision } = run({ type: 'RCP' });
    expect(decision).toMatchObject({
      action: 'hold',
      holdEvent: 'rcp-validated',
      holdEventDeadline: '2026-11-27T09:00:00.000Z',
      visibilityDefaults: { hiddenFromPatient: ['I-RCP'] },
    });
  });

  it('excludes the adolescent unit for minors only (X-MDA-MINEURS)', () => {
    expect(run({ birthDate: '2010-05-01' }, { facts: { unit: 'MDA' } }).rules).toEqual(['X-MDA-MINEURS']);
    expect(run({}, { facts: { unit: 'MDA' } }).rules).toEqual(['I-SEJOUR']);
  });

  it('skips by default what the CME did not list', () => {
    expect(run({ type: '18761-7', system: 'http://loinc.org' }).decision).toMatchObject({
      action: 'skip',
      reasons: [{ effect: 'default' }],
    });
  });

  it('hard blocks win over every rule', () => {
    expect(run({}, { opposedToFeeding: true }).decision.reasons).toMatchObject([
      { hardBlock: 'patient-opposed' },
    ]);
    expect(run({}, { dmp: 'closed' }).decision.reasons).toMatchObject([{ hardBlock: 'dmp-closed' }]);
  });

  it('a minor asking for secrecy: hidden from the legal representatives, connexion secrète', () => {
    const { doc } = run({ birthDate: '2012-02-02' }, { secrecyRequested: true });
    expect(doc.visibility.flags.hiddenFromLegalRepresentatives).toBe(true);
    expect(doc.metadata.vihf.connexionSecrete).toBe('yes');
  });
});
