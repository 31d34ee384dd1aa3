/**
 * `dmp-gateway dry-run <message> [options]`: prints what the gateway would
 * do with one message (see dry-run.ts). Exit code 0 when the message would be
 * accepted (whatever the decision), 1 when it would be refused or a
 * configuration file is invalid, 2 on a usage error.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load.ts';
import { type LoadedMapping, type LoadResult, loadMapping } from '../mappings/load.ts';
import { MappingRegistry } from '../mappings/registry.ts';
import { formatFileIssue } from '../mappings/yaml-source.ts';
import type { IdentityStatus } from '../model/types.ts';
import { type LoadedRules, loadRules } from '../rules/load.ts';
import { DMP_STATUSES, type DmpStatus } from '../rules/types.ts';
import { type DryRunOptions, dryRun } from './dry-run.ts';
import { formatReport } from './dry-run-view.ts';

export const DRY_RUN_USAGE = `usage: dmp-gateway dry-run <message> [options]
  <message>: FHIR DocumentReference JSON, ready-made CDA XML, or HL7 v2 MDM/ORU message
  --mapping <file>          mapping file to apply (default: chosen in --mappings-dir)
  --rules <file>            rules file to apply (default: the site's in --mappings-dir)
  --mappings-dir <dir>      folder of mapping and rules files (default: mappings)
  --config <file>           configuration JSON
  --json                    print the report as JSON
  --now <ISO time>          decision time (default: now)
  --dmp <status>            TD0.2 status to assume: active, closed, absent, unknown (default)
  --opposed                 assume the patient opposed feeding (PAM-FR ZFA-9)
  --secrecy                 assume the (minor) patient asked for secrecy
  --announced               assume the announcement consultation took place
  --application <name>, --facility <code>, --unit <code>, --visit-class <code>
                            facts the message does not carry (HL7 gives them itself)
  CDA only: --ipp <id>, --identity-status <code>, --visibility <codes>
`;

function readFile<T>(
  file: string,
  load: (file: string, text: string, mtime: Date) => LoadResult<T>,
): { value?: T; errors: string[] } {
  const result = load(file, readFileSync(file, 'utf8'), statSync(file).mtime);
  return result.ok ? { value: result.value, errors: [] } : { errors: result.issues.map(formatFileIssue) };
}

/** Runs the command with its own arguments (`argv` after `dry-run`); returns the exit code. */
export async function dryRunCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      mapping: { type: 'string' },
      rules: { type: 'string' },
      'mappings-dir': { type: 'string' },
      config: { type: 'string', short: 'c' },
      json: { type: 'boolean' },
      now: { type: 'string' },
      dmp: { type: 'string' },
      opposed: { type: 'boolean' },
      secrecy: { type: 'boolean' },
      announced: { type: 'boolean' },
      application: { type: 'string' },
      facility: { type: 'string' },
      unit: { type: 'string' },
      'visit-class': { type: 'string' },
      ipp: { type: 'string' },
      'identity-status': { type: 'string' },
      visibility: { type: 'string' },
    },
  });
  const input = positionals[0];
  const dmp = (values.dmp ?? 'unknown') as DmpStatus;
  const now = values.now ? new Date(values.now) : new Date();
  if (!input || !DMP_STATUSES.includes(dmp) || Number.isNaN(now.getTime())) {
    process.stderr.write(DRY_RUN_USAGE);
    return 2;
  }
  const errors: string[] = [];
  let mapping: LoadedMapping | undefined;
  let rules: LoadedRules | undefined;
  if (values.mapping) ({ value: mapping } = collect(readFile(values.mapping, loadMapping), errors));
  if (values.rules) ({ value: rules } = collect(readFile(values.rules, loadRules), errors));
  const dir = values['mappings-dir'] ?? 'mappings';
  const registry = new MappingRegistry(dir);
  if ((!values.mapping || !values.rules) && (values['mappings-dir'] || existsSync(dir)))
    errors.push(...registry.reload().errors);
  if (errors.length > 0) {
    process.stderr.write(`invalid mapping or rules files:\n${errors.map((e) => `  ${e}`).join('\n')}\n`);
    return 1;
  }
  const options: DryRunOptions = {
    config: loadConfig(values.config),
    mapping,
    rules,
    snapshot: registry.current,
    now,
    dmp,
    opposedToFeeding: values.opposed,
    secrecyRequested: values.secrecy,
    announcementReleased: values.announced,
    facts: {
      application: values.application,
      facility: values.facility,
      unit: values.unit,
      visitClass: values['visit-class'],
    },
    cda: {
      identityStatus: values['identity-status'] as IdentityStatus | undefined,
      ipp: values.ipp,
      visibility: values.visibility?.split(',').filter(Boolean),
    },
  };
  const report = dryRun(readFileSync(input), options);
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, input));
  return report.issues.length > 0 ? 1 : 0;
}

function collect<T>(result: { value?: T; errors: string[] }, errors: string[]): { value?: T } {
  errors.push(...result.errors);
  return result;
}
