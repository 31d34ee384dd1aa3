/**
 * Presentation of a dry run: the XDS metadata of a submission as an
 * interface engineer reads it (codes as `code^label^system`), and the whole
 * report as text. No patient data: the patient's identity is not shown.
 */
import { formatIssue } from '../errors/catalogue.ts';
import { formatLineage, type MappedValues } from '../mappings/result.ts';
import type { Author, Code, DocumentEntry, Submission } from '../model/types.ts';
import type { VisibilityResult } from '../policy/visibility.ts';
import type { Reason } from '../rules/types.ts';
import type { DryRunReport } from './dry-run.ts';

export interface MetadataView {
  readonly submissionSet: Readonly<Record<string, string>>;
  readonly documentEntry: Readonly<Record<string, string | readonly string[]>>;
  /** VIHF structure attributes and "connexion secrète" (when the mapping gives the site). */
  readonly vihf: Readonly<Record<string, string>>;
}

export function showCode(code: Code): string {
  return `${code.code}^${code.displayName ?? ''}^${code.codeSystem}`;
}

function showAuthor(author: Author): string {
  return author.kind === 'person'
    ? `${author.person.id}^${author.person.familyName}^${author.person.givenName ?? ''}`
    : `${author.id}^${author.name}^${author.model}`;
}

/** The metadata a deposit of `document` would carry. */
export function metadataView(
  submission: Submission,
  document: DocumentEntry,
  seen: VisibilityResult,
  values: MappedValues | undefined,
): MetadataView {
  const author = document.authors[0];
  return {
    submissionSet: {
      contentTypeCode: showCode(submission.contentTypeCode),
      sourceId: submission.sourceId,
      author: showAuthor(submission.author),
      authorInstitution: `${submission.author.organisation.name}^${submission.author.organisation.id}`,
      patientId: `(INS, ${submission.patient.ins.root}^NH)`,
    },
    documentEntry: {
      typeCode: showCode(document.typeCode),
      classCode: showCode(document.classCode),
      formatCode: showCode(document.formatCode),
      healthcareFacilityTypeCode: showCode(document.healthcareFacilityTypeCode),
      practiceSettingCode: showCode(document.practiceSettingCode),
      confidentialityCode: seen.confidentialityCodes.map(showCode),
      creationTime: document.creationTime,
      title: document.title,
      languageCode: document.languageCode,
      eventCodeList: document.eventCodes.map(showCode),
      ...(author ? { author: showAuthor(author), authorInstitution: author.organisation.id } : {}),
      custodian: `${document.custodian.name}^${document.custodian.id}`,
    },
    vihf: {
      ...(values?.vihf
        ? {
            Identifiant_Structure: values.vihf.structureId,
            Secteur_Activite: showCode(values.vihf.secteurActivite),
          }
        : {}),
      connexionSecrete: seen.secretConnection ? 'yes' : 'no',
    },
  };
}

function showReason(r: Reason): string {
  const rule = r.ruleId ? ` ${r.ruleId}${r.cmeRef ? ` (${r.cmeRef})` : ''}` : '';
  const block = r.hardBlock ? ` ${r.hardBlock}` : '';
  const inputs = r.inputs.map((i) => `${i.field}=${i.value}`).join(', ');
  return `[${r.effect}]${block}${rule}: ${r.text}${inputs ? ` — ${inputs}` : ''}`;
}

/** The report as text, one section per document. */
export function formatReport(report: DryRunReport, input: string): string {
  const lines = [`dry run of ${input} (${report.format})`];
  if (report.mapping) lines.push(`mapping: ${report.mapping.file} (${report.mapping.version})`);
  else lines.push('mapping: none (values as sent)');
  if (report.rules)
    lines.push(
      report.rules === 'implicit'
        ? 'rules: none for this site (implicit: feed unless a hard block applies)'
        : `rules: ${report.rules.file} (${report.rules.version})`,
    );
  if (report.note) lines.push(report.note);
  if (report.issues.length > 0) {
    lines.push('', 'refused at intake:', ...report.issues.map((i) => `  ${formatIssue(i)}`));
  }
  for (const doc of report.documents) {
    const d = doc.decision;
    const hold = [d.holdUntil && `until ${d.holdUntil}`, d.holdEvent && `event ${d.holdEvent}`]
      .filter(Boolean)
      .join(' and ');
    lines.push(
      '',
      `document ${doc.location}`,
      `  decision: ${d.action.toUpperCase()}${hold ? ` ${hold}` : ''}`,
    );
    if (d.holdEventDeadline) lines.push(`    (stops waiting for the event at ${d.holdEventDeadline})`);
    lines.push(...d.reasons.map((r) => `    ${showReason(r)}`));
    const v = doc.visibility;
    lines.push(`  visibility: ${v.confidentialityCodes.map((c) => c.code).join(', ')}`);
    if (v.releaseAt) lines.push(`    replacement without INVISIBLE_PATIENT at the latest ${v.releaseAt}`);
    lines.push(...v.reasons.map((r) => `    [${r.set ? 'set' : 'not set'}] ${r.code}: ${r.text}`));
    lines.push('  XDS metadata');
    for (const [group, values] of Object.entries(doc.metadata))
      for (const [name, value] of Object.entries(values as Record<string, unknown>))
        lines.push(`    ${group}.${name} = ${Array.isArray(value) ? value.join(' | ') : String(value)}`);
    if (doc.lineage.length > 0) lines.push('  lineage', ...doc.lineage.map((l) => `    ${formatLineage(l)}`));
    if (doc.mappingIssues.length > 0)
      lines.push('  mapping problems', ...doc.mappingIssues.map((i) => `    ${formatIssue(i)}`));
  }
  return `${lines.join('\n')}\n`;
}
