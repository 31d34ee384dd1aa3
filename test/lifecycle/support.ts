/**
 * A gateway with the feeding rules on and a rules file of its own (default
 * feed; anatomopathology hidden from the patient pending the announcement,
 * released one day after the document at the latest; RCP reports held for
 * the `rcp-validated` event; lab results held 24 h), and helpers to drive
 * the lifecycle API and read what the sandbox DMP holds.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freshDocument,
  idFrom,
  type SubmissionView,
  startTestGateway,
  type TestGateway,
} from '../support/gateway.ts';

export const RULES = `kind: rules
id: lifecycle-test
establishment: Test establishment
sites: ['999000019']
default: feed
announcement:
  releaseAfterDays: 1
minors:
  secretConnection: true
rules:
  - id: I-ANAPATH
    cme: TEST décision 1
    effect: include
    when: { documentTypes: [60568-3] }
    visibility: [INVISIBLE_PATIENT]
  - id: I-RCP
    cme: TEST décision 2
    effect: include
    when: { documentTypes: [34794-8] }
    hold: { untilEvent: rcp-validated, atMostHours: 168 }
  - id: I-BIO
    cme: TEST décision 3
    effect: include
    when: { documentTypes: [11502-2] }
    hold: { hours: 24 }
`;

export const TYPES = {
  discharge: { system: 'http://loinc.org', code: '11490-0', display: 'Lettre de sortie' },
  pathology: { system: 'http://loinc.org', code: '60568-3', display: "CR d'anatomie pathologique" },
  rcp: { system: 'http://loinc.org', code: '34794-8', display: 'CR de RCP' },
  lab: { system: 'http://loinc.org', code: '11502-2', display: "CR d'examens biologiques" },
} as const;

export async function lifecycleGateway(
  overrides: Parameters<typeof startTestGateway>[0] = {},
): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-lifecycle-'));
  writeFileSync(join(dir, 'rules-test.yaml'), RULES);
  return startTestGateway({
    ...overrides,
    feeding: { ...overrides.feeding, policy: 'rules' },
    mappings: { dir },
  });
}

type Doc = ReturnType<typeof freshDocument>;

/** A fresh FHIR document of `type`, created at `creation` (default now). */
export function document(
  type: keyof typeof TYPES = 'discharge',
  options: { creation?: Date; birthDate?: string; flags?: string[] } = {},
): Doc {
  const doc = freshDocument();
  doc.type.coding[0] = { ...TYPES[type] };
  doc.content[0].attachment.creation = (options.creation ?? new Date()).toISOString();
  if (options.birthDate) doc.contained[0].birthDate = options.birthDate;
  for (const code of options.flags ?? [])
    doc.securityLabel.push({ coding: [{ system: 'urn:oid:1.2.250.1.213.1.1.4.13', code }] });
  return doc;
}

export const uidOf = (doc: Doc): string => doc.masterIdentifier.value.slice('urn:oid:'.length);

export async function post(gw: TestGateway, doc: unknown): Promise<string> {
  const res = await gw.post(doc);
  if (res.status !== 202) throw new Error(`intake answered ${res.status}: ${JSON.stringify(res.json)}`);
  return idFrom(res.location);
}

export async function call(
  gw: TestGateway,
  method: 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; location: string | null; json: Record<string, unknown> }> {
  const res = await fetch(`${gw.apiUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: res.status,
    location: res.headers.get('location'),
    json: (await res.json()) as Record<string, unknown>,
  };
}

/** The release (or other gateway replacement) scheduled on a record, from its timeline. */
export function scheduledReplacement(view: SubmissionView): string | undefined {
  const detail = view.timeline.find((e) => e.type === 'scheduled')?.detail;
  return detail?.match(/\(submission ([0-9a-f-]{36})\)/)?.[1];
}

/** TRE_A07 codes of a document held by the sandbox DMP. */
export function flagsInDmp(gw: TestGateway, uniqueId: string): string[] {
  const entry = gw.sandbox!.document(uniqueId);
  if (!entry) throw new Error(`the sandbox has no document ${uniqueId}`);
  return entry.confidentialityCodes.map((c) => c.code).filter((c) => !['N', 'R', 'V'].includes(c));
}

/** The deposited CDA (N1 wrapping) of a document held by the sandbox DMP. */
export function cdaInDmp(gw: TestGateway, uniqueId: string): string {
  const entry = gw.sandbox!.document(uniqueId, true);
  return Buffer.from(entry?.contentBase64 ?? '', 'base64').toString('utf8');
}

export const deposited = (s: SubmissionView) => s.status === 'deposited';
