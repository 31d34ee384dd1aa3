import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cdaN3 } from '../../fixtures/hl7v2/cda.ts';
import { bytes, ed, message } from '../../fixtures/hl7v2/messages.ts';
import { configSchema } from '../config/schema.ts';
import { MappingRegistry } from '../mappings/registry.ts';
import { formatLineage } from '../mappings/result.ts';
import { dryRun, dryRunQueryOptions } from './dry-run.ts';
import { dryRunCommand } from './dry-run-command.ts';

const registry = new MappingRegistry('mappings');
registry.reload();
const OPTIONS = {
  config: configSchema.parse({}),
  snapshot: registry.current,
  now: new Date('2026-11-20T12:00:00Z'),
  dmp: 'active' as const,
};

function oru(pv1Unit: string, flags: Record<string, string> = {}): Uint8Array {
  const cda = cdaN3({ id: '1.2.250.1.999.1.3.77' });
  const text = message({
    type: 'ORU',
    documents: [{ ed: ed(cda), type: "11502-2^CR d'examens biologiques^LN" }],
    patientClass: 'I',
    flags,
  });
  return bytes(text.replace('PV1|1|I|', `PV1|1|I|${pv1Unit}^^^CHD|`));
}

describe('dryRun', () => {
  it('HL7 v2: reads the site (PRT-8), unit and visit class from the message; a CDA keeps its header codes', () => {
    const report = dryRun(oru('ONCO'), OPTIONS);
    expect(report.format).toBe('hl7v2');
    const doc = report.documents[0]!;
    expect(doc.location).toBe('OBX[1]');
    expect(doc.decision).toMatchObject({ action: 'hold', holdUntil: '2026-11-21T09:00:00.000Z' });
    expect(doc.decision.reasons.map((r) => r.ruleId)).toEqual(['I-BIOLOGIE', 'M-ANNONCE-ONCO']);
    expect(doc.lineage.map(formatLineage)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^contentTypeCode = 03 ← PV1\[1\]-2 via mappings\/chu-demo\.yaml:visitClasses\.I/,
        ),
        'typeCode = 11502-2 ← OBX[1]-3.1',
        expect.stringMatching(
          /^site FINESS .* = 999000019 ← PRT\[1\]-8\.10 via mappings\/chu-demo\.yaml:facilities\.CHD/,
        ),
      ]),
    );
    expect(doc.metadata.submissionSet.contentTypeCode).toBe('03^^1.2.250.1.213.2.2');
  });

  it('HL7 v2: DESTDMP=N and CONNEXION_SECRETE reach the decision and the visibility', () => {
    const doc = dryRun(oru('CARDIO', { DESTDMP: 'N', CONNEXION_SECRETE: 'Y' }), OPTIONS).documents[0]!;
    expect(doc.decision.reasons).toMatchObject([{ hardBlock: 'not-for-dmp' }]);
    expect(doc.visibility.secretConnection).toBe(true);
  });

  it('a ready-made CDA: header codes, mapped activity and site', () => {
    const cda = readFileSync('../shared/corpus/cda/VAC-NOTE_2023.01.xml');
    const report = dryRun(cda, { ...OPTIONS, now: new Date('2021-05-01T00:00:00Z') });
    expect(report.format).toBe('cda');
    const doc = report.documents[0]!;
    expect(doc.metadata.documentEntry.practiceSettingCode).toMatch(/^AMBULATOIRE\^/);
    expect(doc.decision).toMatchObject({ action: 'skip', reasons: [{ effect: 'default' }] });
  });

  it('reports input problems located in the message instead of throwing', () => {
    const report = dryRun(readFileSync('fixtures/fhir/documentreference-invalid.json'), OPTIONS);
    expect(report.documents).toEqual([]);
    expect(report.issues.length).toBeGreaterThan(0);
    expect(report.issues[0]?.path).toMatch(/^DocumentReference/);
    expect(dryRun(new TextEncoder().encode('{ not json'), OPTIONS).issues).toEqual([
      { code: 'INVALID_INPUT', path: '/', message: 'not JSON' },
    ]);
  });

  it('without mapping nor rules: values as sent, implicit rules', () => {
    const report = dryRun(readFileSync('fixtures/fhir/documentreference-pdf.json'), {
      ...OPTIONS,
      snapshot: undefined,
    });
    expect(report.mapping).toBeUndefined();
    expect(report.rules).toBe('implicit');
    expect(report.documents[0]?.decision.action).toBe('feed');
  });
});

describe('dmp-gateway dry-run', () => {
  afterEach(() => vi.restoreAllMocks());

  function capture() {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const err: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err.push(String(chunk));
      return true;
    });
    return { out, err };
  }

  it('prints decision, visibility, metadata and lineage', async () => {
    const { out } = capture();
    const args = [
      'fixtures/fhir/documentreference-pdf.json',
      '--dmp',
      'active',
      '--unit',
      'ONCO',
      '--now',
      '2026-11-20T12:00:00Z',
    ];
    expect(await dryRunCommand(args)).toBe(0);
    const text = out.join('');
    expect(text).toContain('decision: FEED');
    expect(text).toContain('[modify] M-ANNONCE-ONCO (CME 2025-02-11 décision 5)');
    expect(text).toContain('visibility: N, INVISIBLE_PATIENT');
    expect(text).toContain('documentEntry.typeCode = 11490-0^Lettre de sortie^2.16.840.1.113883.6.1');
    expect(text).toMatch(
      /unit specialty \(feeding rules\) = SM36 ← \(dry-run option\) --unit via mappings\/chu-demo\.yaml:units\.ONCO\.specialty/,
    );
    expect(text).not.toContain('ANDRE');
  });

  it('uses the files given, and fails listing every error of a bad one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dry-run-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      readFileSync('mappings/chu-demo.yaml', 'utf8').replace('typeCode: 34112-3', 'typeCode: 99999-9'),
    );
    const { err } = capture();
    expect(await dryRunCommand(['fixtures/fhir/documentreference-pdf.json', '--mapping', bad])).toBe(1);
    expect(err.join('')).toMatch(
      /bad\.yaml:\d+: types\.CRH\.typeCode: 99999-9 is not a DMP document type \(JDV_J66\)/,
    );
  });

  it('prints JSON with --json and refuses a bad option value', async () => {
    const { out } = capture();
    expect(await dryRunCommand(['fixtures/fhir/documentreference-pdf.json', '--json'])).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({
      format: 'fhir',
      documents: [{ location: 'DocumentReference' }],
    });
    expect(await dryRunCommand(['fixtures/fhir/documentreference-pdf.json', '--dmp', 'maybe'])).toBe(2);
  });
});

describe('dryRunQueryOptions', () => {
  it('reads the HTTP query parameters, refusing bad ones', () => {
    const parsed = dryRunQueryOptions({
      dmp: 'closed',
      opposed: 'true',
      unit: 'ONCO',
      now: '2026-01-01T00:00:00Z',
    });
    expect(parsed).toMatchObject({
      ok: true,
      options: {
        dmp: 'closed',
        opposedToFeeding: true,
        facts: { unit: 'ONCO' },
        now: new Date('2026-01-01T00:00:00Z'),
      },
    });
    expect(dryRunQueryOptions({ dmp: 'maybe' })).toEqual({
      ok: false,
      error: 'dmp must be one of active, closed, absent, unknown',
    });
    expect(dryRunQueryOptions({ now: 'soon' })).toMatchObject({ ok: false });
  });
});
