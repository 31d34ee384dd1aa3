/**
 * Reader of the header of a ready-made CDA R2 document (N3, or N1 made
 * elsewhere): what the canonical model and the XDS metadata need [DOMAIN.md
 * §3, §6; CI-SIS "Volet partage de documents de santé" (XDS metadata from the
 * CDA header); ANS IG-document-core header profiles]. Parsing refuses DOCTYPE
 * (src/xml/parse.ts). All missing required parts are reported at once.
 */
import { GatewayError, type Issue, IssueCollector } from '../errors/catalogue.ts';
import type { Author, Code, Confidentiality, InstanceId, Organisation, Person } from '../model/types.ts';
import { INS_OIDS } from '../model/vocabulary.ts';
import { attr, parseXml } from '../xml/parse.ts';
import { modelFormatCode, n1FormatCode } from './format-codes.ts';
import {
  author,
  code,
  first,
  instanceId,
  kids,
  organisation,
  type PatientTraits,
  patientTraits,
  person,
  text,
} from './read-parts.ts';
import { hl7TsToIso, type TimeZoneSetting } from './time.ts';

/** The patient of `recordTarget/patientRole`. */
export interface CdaPatient extends PatientTraits {
  /** Every `patientRole/id`, in document order. */
  readonly ids: readonly InstanceId[];
  /** The first id whose root is an INS OID and that has an extension. */
  readonly ins: InstanceId & { readonly extension: string };
}

/** What the gateway takes from a CDA header. Times are ISO 8601 (instants in UTC). */
export interface CdaHeader {
  /** `N1` when the body is `nonXMLBody`, `N3` when it is `structuredBody`. */
  readonly level: 'N1' | 'N3';
  readonly id: InstanceId;
  readonly setId: InstanceId;
  readonly versionNumber: number;
  readonly title: string;
  readonly typeCode: Code;
  readonly confidentiality: Confidentiality;
  readonly creationTime: string;
  readonly serviceStartTime?: string;
  readonly serviceStopTime?: string;
  readonly languageCode: string;
  readonly templateIds: readonly InstanceId[];
  readonly patient: CdaPatient;
  readonly authors: readonly Author[];
  readonly custodian: Organisation;
  readonly legalAuthenticator?: Person & { readonly time?: string };
  readonly practiceSettingCode: Code;
  readonly healthcareFacilityTypeCode: Code;
  readonly eventCodes: readonly Code[];
  /** `relatedDocument[@typeCode="RPLC"]/parentDocument/id`. */
  readonly replaces?: InstanceId;
  /** N1: `nonXMLBody/text/@mediaType`. */
  readonly mediaType?: string;
  /** From the media type (N1) or the model templateId (N3); absent when unknown (see `warnings`). */
  readonly formatCode?: Code;
  /** Problems that do not stop reading: unknown model or media type, unreadable optional times. */
  readonly warnings: readonly Issue[];
}

export interface ReadCdaOptions {
  /** Extra templateId → formatCode rows (establishment configuration), checked before the built-in table. */
  readonly formatCodes?: Readonly<Record<string, Code>>;
  /** Zone of HL7 times written without offset (default Europe/Paris). */
  readonly timeZone?: TimeZoneSetting;
}

const CD = 'ClinicalDocument';

function fail(issues: IssueCollector): never {
  const onlyIns = issues.issues.every((i) => i.code === 'MISSING_INS');
  throw new GatewayError(onlyIns ? 'MISSING_INS' : 'INVALID_INPUT', issues.issues);
}

/** `recordTarget/patientRole`: ids (INS required: error 903 of the HL7 v2 volet) and INS traits. */
function readPatient(doc: unknown, issues: IssueCollector): CdaPatient | undefined {
  const role = first(doc, 'recordTarget', 'patientRole');
  if (role === undefined) {
    issues.add('INVALID_INPUT', `${CD}/recordTarget`, 'recordTarget/patientRole is missing');
    return undefined;
  }
  const ids = kids(role, 'id').flatMap((i) => instanceId(i) ?? []);
  const ins = ids.find((i) => INS_OIDS.includes(i.root) && i.extension !== undefined);
  if (ids.length === 0) {
    issues.add('INVALID_INPUT', `${CD}/recordTarget/patientRole/id`, 'patient identifiers are missing');
  } else if (!ins) {
    issues.add('MISSING_INS', `${CD}/recordTarget/patientRole/id`, 'no INS among the patient identifiers');
  }
  return ins && { ids, ins: ins as CdaPatient['ins'], ...patientTraits(first(role, 'patient')) };
}

interface Body {
  readonly level: 'N1' | 'N3';
  readonly mediaType?: string;
  readonly formatCode?: Code;
}

/** The body level and the formatCode: by media type (N1) or by model templateId (N3). */
function readBody(
  doc: unknown,
  templateIds: readonly InstanceId[],
  options: ReadCdaOptions,
  issues: IssueCollector,
  warnings: Issue[],
): Body {
  const nonXml = first(doc, 'component', 'nonXMLBody');
  if (nonXml !== undefined) {
    // ED mediaType defaults to text/plain [HL7 v3 Data Types R1].
    const mediaType = attr(first(nonXml, 'text'), 'mediaType') ?? 'text/plain';
    const formatCode = n1FormatCode(mediaType);
    if (!formatCode) {
      const path = `${CD}/component/nonXMLBody/text/@mediaType`;
      warnings.push({ code: 'UNSUPPORTED_CONTENT', path, message: 'no N1 format code for this media type' });
    }
    return { level: 'N1', mediaType, ...(formatCode && { formatCode }) };
  }
  if (first(doc, 'component', 'structuredBody') === undefined) {
    issues.add('INVALID_INPUT', `${CD}/component`, 'body (nonXMLBody or structuredBody) is missing');
  }
  const formatCode = modelFormatCode(
    templateIds.map((t) => t.root),
    options.formatCodes,
  );
  if (!formatCode) {
    const message = 'no format code known for the CDA model; configure one';
    warnings.push({ code: 'UNSUPPORTED_CONTENT', path: `${CD}/templateId`, message });
  }
  return { level: 'N3', ...(formatCode && { formatCode }) };
}

/**
 * Reads the header of `bytes`. Throws UNSAFE_XML (DOCTYPE), INVALID_INPUT
 * (not well-formed, or missing required parts: one issue per part, with its
 * path), or MISSING_INS when the only problem is a patient without INS.
 */
export function readCdaHeader(bytes: Uint8Array, options: ReadCdaOptions = {}): CdaHeader {
  const parsed = parseXml(bytes, {}, CD);
  const doc = parsed[CD];
  const issues = new IssueCollector();
  const warnings: Issue[] = [];
  if (doc === null || typeof doc !== 'object') {
    issues.add('INVALID_INPUT', '/', 'not a CDA document: the root element is not ClinicalDocument');
    fail(issues);
  }
  const need = <T>(value: T | undefined, path: string, message: string): T | undefined => {
    if (value === undefined) issues.add('INVALID_INPUT', `${CD}/${path}`, message);
    return value;
  };
  const time = (value: string | undefined, path: string): string | undefined => {
    if (value === undefined) return undefined;
    const iso = hl7TsToIso(value, options.timeZone);
    if (iso === undefined)
      warnings.push({ code: 'INVALID_INPUT', path: `${CD}/${path}`, message: 'not a valid HL7 TS; ignored' });
    return iso;
  };

  const id = need(instanceId(first(doc, 'id')), 'id', 'document id is missing');
  const typeCode = need(code(first(doc, 'code')), 'code', 'document type code (code, codeSystem) is missing');
  const title = need(text(first(doc, 'title')), 'title', 'title is missing');
  const effective = attr(first(doc, 'effectiveTime'), 'value');
  const creationTime = need(
    effective === undefined ? undefined : hl7TsToIso(effective, options.timeZone),
    'effectiveTime',
    'creation time is missing or not a valid HL7 TS',
  );
  const conf = attr(first(doc, 'confidentialityCode'), 'code');
  const confidentiality = need(
    conf === 'N' || conf === 'R' || conf === 'V' ? conf : undefined,
    'confidentialityCode',
    'confidentiality code N, R or V is missing',
  );
  const languageCode = need(
    attr(first(doc, 'languageCode'), 'code'),
    'languageCode',
    'language code is missing',
  );
  const setId = need(instanceId(first(doc, 'setId')), 'setId', 'setId is missing');
  const version = attr(first(doc, 'versionNumber'), 'value');
  const versionNumber = need(
    version !== undefined && /^[1-9]\d{0,8}$/.test(version) ? Number(version) : undefined,
    'versionNumber',
    'version number (positive integer) is missing',
  );
  const templateIds = kids(doc, 'templateId').flatMap((t) => instanceId(t) ?? []);

  const patient = readPatient(doc, issues);
  const authorNodes = kids(doc, 'author');
  need(authorNodes[0], 'author', 'no author');
  const authors = authorNodes.flatMap((a, i) => author(a, `${CD}/author[${i + 1}]`, issues) ?? []);
  const custodianPath = `${CD}/custodian/assignedCustodian/representedCustodianOrganization`;
  const custodian = organisation(
    first(doc, 'custodian', 'assignedCustodian', 'representedCustodianOrganization'),
    custodianPath,
    issues,
  );

  const legalNode = first(doc, 'legalAuthenticator');
  const legalPerson =
    legalNode === undefined
      ? undefined
      : person(first(legalNode, 'assignedEntity'), `${CD}/legalAuthenticator/assignedEntity`, issues);
  const legalTime = time(attr(first(legalNode, 'time'), 'value'), 'legalAuthenticator/time');

  const events = kids(doc, 'documentationOf').flatMap((d) => kids(d, 'serviceEvent'));
  const mainEvent = events.find((e) => attr(first(e, 'effectiveTime', 'low'), 'value') !== undefined);
  const practiceSettingCode = need(
    events
      .flatMap((e) => kids(e, 'performer'))
      .map((p) => code(first(p, 'assignedEntity', 'representedOrganization', 'standardIndustryClassCode')))
      .find((c) => c !== undefined),
    'documentationOf/serviceEvent/performer/assignedEntity/representedOrganization/standardIndustryClassCode',
    'practice setting code is missing',
  );
  const healthcareFacilityTypeCode = need(
    code(first(doc, 'componentOf', 'encompassingEncounter', 'location', 'healthCareFacility', 'code')),
    'componentOf/encompassingEncounter/location/healthCareFacility/code',
    'healthcare facility type code is missing',
  );
  const serviceStartTime = time(
    attr(first(mainEvent, 'effectiveTime', 'low'), 'value'),
    'documentationOf/serviceEvent/effectiveTime/low',
  );
  const serviceStopTime = time(
    attr(first(mainEvent, 'effectiveTime', 'high'), 'value'),
    'documentationOf/serviceEvent/effectiveTime/high',
  );
  const replaced = kids(doc, 'relatedDocument').find((r) => attr(r, 'typeCode') === 'RPLC');
  const replaces = instanceId(first(replaced, 'parentDocument', 'id'));

  const body = readBody(doc, templateIds, options, issues, warnings);
  if (!issues.empty) fail(issues);
  return {
    level: body.level,
    id: id!,
    setId: setId!,
    versionNumber: versionNumber!,
    title: title!,
    typeCode: typeCode!,
    confidentiality: confidentiality!,
    creationTime: creationTime!,
    ...(serviceStartTime !== undefined && { serviceStartTime }),
    ...(serviceStopTime !== undefined && { serviceStopTime }),
    languageCode: languageCode!,
    templateIds,
    patient: patient as CdaPatient,
    authors,
    custodian: custodian!,
    ...(legalPerson && {
      legalAuthenticator: legalTime === undefined ? legalPerson : { ...legalPerson, time: legalTime },
    }),
    practiceSettingCode: practiceSettingCode!,
    healthcareFacilityTypeCode: healthcareFacilityTypeCode!,
    eventCodes: events.flatMap((e) => code(first(e, 'code')) ?? []),
    ...(replaces && { replaces }),
    ...(body.mediaType !== undefined && { mediaType: body.mediaType }),
    ...(body.formatCode && { formatCode: body.formatCode }),
    warnings,
  };
}
