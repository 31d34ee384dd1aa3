/**
 * Dry run: what the gateway would do with one message, without storing or
 * sending anything. For a FHIR DocumentReference, a ready-made CDA or an HL7
 * v2 message (MDM/ORU): the XDS metadata after mapping, the feeding decision
 * with its reasons, the visibility with its reasons, and the lineage of each
 * metadata value. `dryRun` is pure apart from the clock default; the CLI
 * (`dmp-gateway dry-run`) and `POST /api/dry-run` both call it.
 */
import type { DocumentReference } from '@medplum/fhirtypes';
import type { Config } from '../config/schema.ts';
import { GatewayError, type Issue } from '../errors/catalogue.ts';
import { cdaToSubmission } from '../inbound/cda/cda-document.ts';
import { documentReferenceToSubmission } from '../inbound/fhir/document-reference.ts';
import { readHl7Header } from '../inbound/hl7v2/header.ts';
import { translateHl7 } from '../inbound/hl7v2/translate.ts';
import { localTypesOf } from '../intake/mapping.ts';
import { cdaFacts, type ExtraFacts, fhirFacts, hl7Facts, withMappedType } from '../intake/source-facts.ts';
import { applyMapping } from '../mappings/apply.ts';
import type { SourceFacts } from '../mappings/facts.ts';
import type { LoadedMapping } from '../mappings/load.ts';
import { type Snapshot, selectMapping } from '../mappings/registry.ts';
import type { LineageEntry, MappingResult } from '../mappings/result.ts';
import { applyResults } from '../mappings/submission.ts';
import { randomIds } from '../model/ids.ts';
import type { IdentityStatus, Submission } from '../model/types.ts';
import { type VisibilityResult, visibility } from '../policy/visibility.ts';
import { isMinorAt } from '../rules/age.ts';
import { decisionContext } from '../rules/context.ts';
import { decide, IMPLICIT_RULES } from '../rules/decide.ts';
import type { LoadedRules } from '../rules/load.ts';
import { type Decision, DMP_STATUSES, type DmpStatus } from '../rules/types.ts';
import { type MetadataView, metadataView } from './dry-run-view.ts';

export interface DryRunOptions {
  readonly config: Pick<Config, 'establishment' | 'software' | 'ids'>;
  /** The mapping to apply; default: the one `snapshot` selects for the message. */
  readonly mapping?: LoadedMapping;
  /** The rules to apply; default: those `snapshot` has for the document's site, else the implicit rules (feed). */
  readonly rules?: LoadedRules;
  /** The loaded `mappings/` folder (MappingRegistry.current). */
  readonly snapshot?: Snapshot;
  readonly now?: Date;
  /** TD0.2 status to assume (default `unknown`: not checked). */
  readonly dmp?: DmpStatus;
  /** PAM-FR opposition to assume (default: not known). */
  readonly opposedToFeeding?: boolean;
  /** The minor asked for secrecy (API request). */
  readonly secrecyRequested?: boolean;
  /** The announcement consultation took place. */
  readonly announcementReleased?: boolean;
  /** Facts the format cannot carry. */
  readonly facts?: ExtraFacts;
  /** Ready-made CDA only (as `translate`): identity status (default VALI), IPP, TRE_A07 flags. */
  readonly cda?: {
    readonly identityStatus?: IdentityStatus;
    readonly ipp?: string;
    readonly visibility?: readonly string[];
  };
}

export interface DryRunDocument {
  /** Where the document is in the message: `DocumentReference`, `ClinicalDocument`, `OBX[1]`. */
  readonly location: string;
  readonly metadata: MetadataView;
  readonly lineage: readonly LineageEntry[];
  /** Problems the mapping found (e.g. a local type it does not know). */
  readonly mappingIssues: readonly Issue[];
  readonly decision: Decision;
  readonly visibility: VisibilityResult;
}

export interface DryRunReport {
  readonly format: 'fhir' | 'cda' | 'hl7v2';
  readonly mapping?: { readonly file: string; readonly version: string };
  /** The rules file used, or `implicit` (no rules file for the site: feed unless a hard block applies). */
  readonly rules?: { readonly file: string; readonly version: string } | 'implicit';
  readonly documents: readonly DryRunDocument[];
  /** Why the message would be refused at intake (every problem, located in the message). */
  readonly issues: readonly Issue[];
  /** What the message is when it carries no document (an HL7 deletion or patient update). */
  readonly note?: string;
}

interface Prepared {
  readonly location: string;
  readonly facts: SourceFacts;
  readonly submission: Submission;
  readonly mapped?: MappingResult;
  readonly toDmp: boolean;
  readonly secretConnection: boolean;
}

function formatOf(text: string): DryRunReport['format'] {
  if (text.startsWith('{')) return 'fhir';
  if (text.startsWith('MSH')) return 'hl7v2';
  return 'cda';
}

function chooseMapping(facts: SourceFacts, options: DryRunOptions): LoadedMapping | undefined {
  if (options.mapping) return options.mapping;
  const selector = { application: facts.application?.value, facility: facts.facility?.value };
  return options.snapshot ? selectMapping(options.snapshot.mappings, selector) : undefined;
}

function prepare(
  bytes: Uint8Array,
  text: string,
  format: DryRunReport['format'],
  options: DryRunOptions,
  now: Date,
): Prepared[] {
  const ctx = { config: options.config, ids: randomIds, now };
  const extra = options.facts ?? {};
  if (format === 'fhir') {
    const raw = JSON.parse(text) as DocumentReference;
    const mapping = chooseMapping(fhirFacts(raw, extra), options);
    // First pass: the DMP type of a local type, so the FHIR mapper accepts the document.
    const typed = mapping ? withMappedType(raw, applyMapping(fhirFacts(raw, extra), mapping)) : raw;
    // A dry run does not look a replaced document up: placeholder predecessor facts.
    const replaces = raw.relatesTo?.some((r) => r.code === 'replaces');
    const predecessor = replaces ? { setId: { root: '2.25.0' }, versionNumber: 1 } : undefined;
    const submission = documentReferenceToSubmission(typed, { ...ctx, predecessor });
    // Second pass with the author the mapper read.
    const facts = fhirFacts(raw, extra, submission);
    const mapped = mapping && applyMapping(facts, mapping);
    return [
      { location: 'DocumentReference', facts, submission, mapped, toDmp: true, secretConnection: false },
    ];
  }
  if (format === 'cda') {
    const submission = cdaToSubmission(bytes, {
      ...ctx,
      identityStatus: options.cda?.identityStatus ?? 'VALI',
      ipp: options.cda?.ipp,
      visibility: options.cda?.visibility,
      // Placeholder: a dry run does not look the replaced document up.
      replacesEntryUUID: 'urn:uuid:00000000-0000-4000-8000-000000000000',
    });
    const facts = cdaFacts(submission, extra);
    const mapping = chooseMapping(facts, options);
    const mapped = mapping && applyMapping(facts, mapping);
    return [
      { location: 'ClinicalDocument', facts, submission, mapped, toDmp: true, secretConnection: false },
    ];
  }
  // The sender's mapping translates local OBX-3 types before the volet's checks, as at the HL7 intake.
  const header = readHl7Header(bytes);
  const sender = header && {
    format: 'hl7v2' as const,
    application: { value: header.sender.application, path: 'MSH-3.1' },
    facility: { value: header.sender.facility, path: 'MSH-4.1' },
  };
  const intake = translateHl7(bytes, {
    ...ctx,
    localTypes: sender && localTypesOf(chooseMapping(sender, options)),
  });
  if (intake.kind !== 'documents') return [];
  const msg = intake.message;
  return intake.documents.map((d) => {
    const facts = hl7Facts(msg, d.submission, d.location, extra);
    const mapping = chooseMapping(facts, options);
    const mapped = mapping && applyMapping(facts, mapping);
    return {
      location: d.location,
      facts,
      submission: d.submission,
      mapped,
      toDmp: d.flags.toDmp,
      secretConnection: d.flags.secretConnection,
    };
  });
}

function evaluate(p: Prepared, options: DryRunOptions, now: Date): DryRunDocument & { rules?: LoadedRules } {
  // The intakes' own mapping step (src/intake/mapping.ts): what the dry run shows is what the gateway does.
  const mapped = applyResults(p.submission, [p.mapped], `1${options.config.establishment.finess}`);
  const { submission } = mapped;
  const document = submission.documents[0]!;
  const feeding = mapped.feeding[0]!;
  const site = feeding.site ?? options.config.establishment.finess;
  // As the worker: the site's rules file, else the establishment's (src/queue/feeding-policy.ts).
  const governing = (finess: string) => options.snapshot?.rules.find((r) => r.data.sites.includes(finess));
  const rules = options.rules ?? governing(site) ?? governing(options.config.establishment.finess);
  const context = decisionContext(submission, document, {
    now,
    dmp: options.dmp ?? 'unknown',
    toDmp: p.toDmp,
    ...(options.opposedToFeeding === undefined
      ? {}
      : { patientFacts: { opposedToFeeding: options.opposedToFeeding } }),
    mapped: feeding,
  });
  const decision = decide(context, rules ?? IMPLICIT_RULES);
  const seen = visibility({
    confidentiality: document.confidentiality,
    sender: document.visibility,
    senderSecretConnection: p.secretConnection,
    secrecyRequested: options.secrecyRequested ?? false,
    // A dry run looks no earlier version up.
    maskKept: false,
    rules: decision.visibilityDefaults,
    minor: isMinorAt(submission.patient.birthDate, document.creationTime) ?? true,
    announcementReleased: options.announcementReleased ?? false,
    creationTime: document.creationTime,
    now: now.toISOString(),
    options: {
      releaseAfterDays: rules?.data.announcement?.releaseAfterDays,
      secretConnectionForMinorSecrecy: rules?.data.minors?.secretConnection ?? true,
    },
  });
  return {
    location: p.location,
    metadata: metadataView(submission, document, seen, p.mapped?.values),
    lineage: p.mapped?.lineage ?? [],
    mappingIssues: p.mapped?.issues ?? [],
    decision,
    visibility: seen,
    rules,
  };
}

/** Runs the mapping, the feeding rules and the visibility policy on one message. Never throws on bad input. */
export function dryRun(input: Uint8Array, options: DryRunOptions): DryRunReport {
  const now = options.now ?? new Date();
  const text = Buffer.from(input)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  const format = formatOf(text);
  let prepared: Prepared[];
  try {
    prepared = prepare(input, text, format, options, now);
  } catch (err) {
    if (err instanceof GatewayError) return { format, documents: [], issues: err.issues };
    if (err instanceof SyntaxError)
      return { format, documents: [], issues: [{ code: 'INVALID_INPUT', path: '/', message: 'not JSON' }] };
    throw err;
  }
  if (prepared.length === 0)
    return {
      format,
      documents: [],
      issues: [],
      note: 'the message carries no document (deletion or patient update)',
    };
  const evaluated = prepared.map((p) => evaluate(p, options, now));
  const first = prepared[0]?.mapped?.mapping;
  const rules = evaluated[0]?.rules;
  return {
    format,
    ...(first ? { mapping: first } : {}),
    rules: rules ? { file: rules.file, version: rules.version } : 'implicit',
    documents: evaluated.map(({ rules: _rules, ...doc }) => doc),
    issues: [],
  };
}

/**
 * The options of `POST /api/dry-run` from its query parameters (`dmp`,
 * `opposed`, `secrecy`, `announced`, `now`, `application`, `facility`, `unit`,
 * `visitClass`; flags are `true`/`false`), or the first bad parameter.
 */
export function dryRunQueryOptions(
  query: Readonly<Record<string, unknown>>,
):
  | { readonly ok: true; readonly options: Partial<DryRunOptions> }
  | { readonly ok: false; readonly error: string } {
  const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
  const flag = (name: string) => (text(name) === undefined ? undefined : text(name) === 'true');
  const dmp = (text('dmp') ?? 'unknown') as DmpStatus;
  if (!DMP_STATUSES.includes(dmp))
    return { ok: false, error: `dmp must be one of ${DMP_STATUSES.join(', ')}` };
  const now = text('now') === undefined ? new Date() : new Date(text('now') as string);
  if (Number.isNaN(now.getTime())) return { ok: false, error: 'now must be an ISO 8601 time' };
  const facts = { application: text('application'), facility: text('facility'), unit: text('unit') };
  return {
    ok: true,
    options: {
      dmp,
      now,
      opposedToFeeding: flag('opposed'),
      secrecyRequested: flag('secrecy'),
      announcementReleased: flag('announced'),
      facts: { ...facts, visitClass: text('visitClass') },
    },
  };
}
