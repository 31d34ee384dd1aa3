/**
 * SourceFacts, one reader per input format: each fact with the path of the
 * field it comes from. The HL7 and FHIR DocumentReference intakes and the
 * dry run read them the same way before applying a mapping. Facts a format
 * cannot carry (the unit of a FHIR document, the visit class of a CDA...)
 * may be given to the dry run on its command line; their lineage then says
 * so.
 */
import type { DocumentReference } from '@medplum/fhirtypes';
import { all, componentsOf, get, type Hl7Message, one, path, repetitions } from '../inbound/hl7v2/message.ts';
import { senderSegment } from '../inbound/hl7v2/prt.ts';
import { nationalTypeSystem } from '../inbound/hl7v2/values.ts';
import type { SourceCode, Sourced, SourceFacts } from '../mappings/facts.ts';
import type { MappingResult } from '../mappings/result.ts';
import { oidToSystem, systemToOid } from '../model/code-systems.ts';
import type { Author, Code, Submission } from '../model/types.ts';

/** Facts given on the dry run's command line / HTTP query. */
export interface ExtraFacts {
  readonly application?: string;
  readonly facility?: string;
  readonly unit?: string;
  readonly visitClass?: string;
}

const OPTION = '(dry-run option)';

function extra(values: ExtraFacts): Partial<SourceFacts> {
  const at = <T>(value: T | undefined, name: string): Sourced<T> | undefined =>
    value === undefined ? undefined : { value, path: `${OPTION} --${name}` };
  return {
    application: at(values.application, 'application'),
    facility: at(values.facility, 'facility'),
    unit: at(values.unit, 'unit'),
    visitClass: at(values.visitClass, 'visit-class'),
  };
}

function authorOf(submission: Submission, where: string): Sourced<Author> | undefined {
  const author = submission.documents[0]?.authors[0];
  return author ? { value: author, path: where } : undefined;
}

/** The first coding of a concept as sent; values of another JSON type than FHIR's are the FHIR checks' to refuse. */
function fhirCode(concept: { coding?: unknown } | undefined, where: string) {
  const coding: unknown = Array.isArray(concept?.coding) ? concept.coding[0] : undefined;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const { code, system, display } = (coding ?? {}) as Record<string, unknown>;
  if (!text(code)) return undefined;
  const codeSystem = systemToOid(text(system)) ?? text(system);
  const value = { code: code as string, codeSystem, displayName: text(display) };
  return { value, path: `${where}.coding[0]` };
}

function national(
  fact: { value: { code: string; codeSystem?: string; displayName?: string }; path: string } | undefined,
): Sourced<Code> | undefined {
  const { code, codeSystem, displayName } = fact?.value ?? {};
  if (!fact || !code || !codeSystem) return undefined;
  return { value: displayName ? { code, codeSystem, displayName } : { code, codeSystem }, path: fact.path };
}

/**
 * Facts of a FHIR DocumentReference (read from the JSON as sent); the author
 * comes from the translated submission, when there is one yet.
 */
export function fhirFacts(doc: DocumentReference, values: ExtraFacts, submission?: Submission): SourceFacts {
  const base = 'DocumentReference';
  return {
    author: submission && doc.author?.length ? authorOf(submission, `${base}.author[0]`) : undefined,
    format: 'fhir',
    ...extra(values),
    documentType: fhirCode(doc.type, `${base}.type`),
    practiceSetting: national(fhirCode(doc.context?.practiceSetting, `${base}.context.practiceSetting`)),
    facilityType: national(fhirCode(doc.context?.facilityType, `${base}.context.facilityType`)),
  };
}

/**
 * The DocumentReference with its local type replaced by the mapped DMP type
 * (and its category dropped, so the class follows from the type): what the
 * FHIR intake does before its own JDV_J66 check.
 */
export function withMappedType(doc: DocumentReference, result: MappingResult): DocumentReference {
  const { typeCode, localType } = result.values;
  if (!typeCode || localType === undefined) return doc;
  const { category: _category, ...rest } = doc;
  return { ...rest, type: { coding: [{ system: oidToSystem(typeCode.codeSystem), code: typeCode.code }] } };
}

/** The document codes a ready-made CDA's header fixes (`prefix`: where the CDA sits in the message). */
function headerFacts(submission: Submission, prefix = ''): Partial<SourceFacts> {
  const doc = submission.documents[0];
  const cd = `${prefix}ClinicalDocument`;
  return {
    documentCodesFixed: true,
    documentType: doc && { value: doc.typeCode, path: `${cd}/code` },
    practiceSetting: doc && {
      value: doc.practiceSettingCode,
      path: `${cd}/documentationOf/serviceEvent/performer/assignedEntity/representedOrganization/standardIndustryClassCode`,
    },
    facilityType: doc && {
      value: doc.healthcareFacilityTypeCode,
      path: `${cd}/componentOf/encompassingEncounter/location/healthCareFacility/code`,
    },
  };
}

/** Facts of a canonical submission read from a ready-made CDA (its header). */
export function cdaFacts(submission: Submission, values: ExtraFacts): SourceFacts {
  return {
    format: 'cda',
    ...extra(values),
    ...headerFacts(submission),
    author: authorOf(submission, 'ClinicalDocument/author[1]'),
  };
}

/** OBX-3 of the document OBX at `location` as sent: a national type, or the sender's local one. */
function obxTypeAsSent(msg: Hl7Message, location: string): SourceCode | undefined {
  const obx = all(msg, 'OBX').find((s) => `OBX[${s.occurrence}]` === location);
  const [code = '', label = '', system = ''] = obx ? componentsOf(msg, repetitions(msg, obx, 3)[0]) : [];
  if (!code) return undefined;
  const codeSystem = nationalTypeSystem(system) ?? (system || undefined);
  return { code, ...(codeSystem && { codeSystem }), ...(label && { displayName: label }) };
}

/** Facts of one document of an HL7 v2 message (`location`: its OBX, e.g. `OBX[1]`). */
export function hl7Facts(
  msg: Hl7Message,
  submission: Submission,
  location: string,
  values: ExtraFacts,
): SourceFacts {
  const msh = one(msg, 'MSH');
  const pv1 = one(msg, 'PV1');
  const sourced = (value: string, where: string) => (value ? { value, path: where } : undefined);
  const doc = submission.documents[0];
  const cda = doc?.content.kind === 'cda';
  const asSent = obxTypeAsSent(msg, location);
  // PRT-8 names the author's structure (the translation checked it): the site when it is one of the mapping's.
  const prt = senderSegment(msg);
  const named =
    prt && repetitions(msg, prt, 8)[0] !== undefined ? submission.author.organisation.id : undefined;
  const fromOptions = extra(values);
  return {
    format: 'hl7v2',
    ...fromOptions,
    application: (msh && sourced(get(msg, msh, 3), path(msh, 3, 1))) ?? fromOptions.application,
    facility: (msh && sourced(get(msg, msh, 4), path(msh, 4, 1))) ?? fromOptions.facility,
    visitClass: (pv1 && sourced(get(msg, pv1, 2), path(pv1, 2))) ?? fromOptions.visitClass,
    unit: (pv1 && sourced(get(msg, pv1, 3), path(pv1, 3, 1))) ?? fromOptions.unit,
    ...(cda ? headerFacts(submission, `${location}-5 `) : {}),
    // A wrapped document's type as sent (a local one is the mapping's to translate); a CDA's is its header's,
    // and a local OBX-3 beside it is for the rules only.
    documentType: doc && { value: (cda ? undefined : asSent) ?? doc.typeCode, path: `${location}-3.1` },
    ...(cda &&
      asSent &&
      !nationalTypeSystem(asSent.codeSystem ?? '') && {
        localType: { value: asSent.code, path: `${location}-3.1` },
      }),
    author: authorOf(submission, 'PRT-5 (PRT-4 = SB)'),
    ...(prt && named !== undefined && { structure: { value: named, path: path(prt, 8, 10) } }),
  };
}
