/**
 * The metadata of one XDS DocumentEntry of an ITI-41 request → the canonical
 * document entry fields (ITI TF-3 Table 4.2.3.2-1 with the CI-SIS
 * requirements, DOMAIN.md §3–§4), after the source's code mapping
 * (./source-mapping.ts): typeCode in JDV_J66 with its class from ASS_X16,
 * healthcareFacilityTypeCode in TRE_R02, practiceSettingCode in TRE_A01,
 * confidentialityCode N/R/V then TRE_A07 visibility codes, bare-OID
 * uniqueId. Content, setId, version and replacement are read elsewhere
 * (./content.ts, ./to-submission.ts).
 */
import { classCodeForType, isDmpType } from '../../model/document-types.ts';
import type { Author, Code, Confidentiality, Organisation, Person, Visibility } from '../../model/types.ts';
import { CONFIDENTIALITY_DISPLAY, OID, SLOT, VISIBILITY_CODE, XDS } from '../../model/vocabulary.ts';
import { slotValues } from '../../xds/ebrim-reader.ts';
import { isUniqueIdOid, LANGUAGE, SHA1_HEX, SIZE } from '../../xds/metadata-values.ts';
import { readAuthors, readLegalAuthenticator } from './authors.ts';
import { type ObjectReader, part } from './rim-reader.ts';
import { mapCode, type XdsSourceMapping } from './source-mapping.ts';

const DE = XDS.documentEntry;

/** What the DocumentEntry says, mapped; every required part present. */
export interface EntryMetadata {
  readonly uniqueId: string;
  readonly mimeType: string;
  readonly title: string;
  readonly typeCode: Code;
  readonly classCode: Code;
  /** As sent, when in a French format code scheme (TRE_A11, TRE_A06). */
  readonly formatCode?: Code;
  readonly healthcareFacilityTypeCode: Code;
  readonly practiceSettingCode: Code;
  readonly confidentiality: Confidentiality;
  readonly visibility: Visibility;
  readonly creationTime: string;
  readonly serviceStartTime?: string;
  readonly serviceStopTime?: string;
  readonly languageCode: string;
  readonly authors: readonly Author[];
  readonly legalAuthenticator?: Person;
  readonly eventCodes: readonly Code[];
  readonly referenceIds: readonly string[];
  /** The hash and size slots as sent (lower-case hex), checked against the bytes later. */
  readonly hash?: string;
  readonly size?: string;
}

const VISIBILITY: ReadonlyMap<string, keyof Visibility> = new Map([
  [VISIBILITY_CODE.hiddenFromPatient, 'hiddenFromPatient'],
  [VISIBILITY_CODE.hiddenFromLegalRepresentatives, 'hiddenFromLegalRepresentatives'],
  ['INVISIBLE_REP_LEGAUX', 'hiddenFromLegalRepresentatives'],
  [VISIBILITY_CODE.maskedFromProfessionals, 'maskedFromProfessionals'],
]);

/** confidentialityCode: first N/R/V (HL7 Confidentiality), then TRE_A07 flags; 1 to 4 codes (DOMAIN.md §4). */
function readConfidentiality(
  reader: ObjectReader,
): { confidentiality: Confidentiality; visibility: Visibility } | undefined {
  const where = part.classification(DE.confidentialityCode);
  const codes = reader.codes(DE.confidentialityCode);
  const flags: Record<keyof Visibility, boolean> = {
    hiddenFromPatient: false,
    hiddenFromLegalRepresentatives: false,
    maskedFromProfessionals: false,
  };
  const [first, ...rest] = codes;
  const nrv =
    first && first.codeSystem === OID.hl7Confidentiality && first.code in CONFIDENTIALITY_DISPLAY
      ? (first.code as Confidentiality)
      : undefined;
  if (!nrv) reader.fail(where, `first must be N, R or V in ${OID.hl7Confidentiality}`);
  if (codes.length > 4) reader.fail(where, 'may occur at most 4 times');
  for (const c of rest) {
    const flag = c.codeSystem === OID.treA07Visibility ? VISIBILITY.get(c.code) : undefined;
    if (flag) flags[flag] = true;
    else reader.fail(where, `${c.code} is not a TRE_A07 visibility code`);
  }
  return nrv && { confidentiality: nrv, visibility: flags };
}

/** A mapped code whose code system must be one of `systems`. */
function mappedCode(
  reader: ObjectReader,
  mapping: XdsSourceMapping | undefined,
  attribute: 'practiceSettingCode' | 'healthcareFacilityTypeCode',
  scheme: string,
  systems: readonly string[],
): Code | undefined {
  const sent = reader.code(scheme, true);
  const code = sent && mapCode(mapping, attribute, sent);
  if (code && !systems.includes(code.codeSystem)) {
    reader.fail(part.classification(scheme), `must be in ${systems.join(' or ')}; map it`);
    return undefined;
  }
  return code;
}

/** typeCode (mapped) in JDV_J66 and the classCode ASS_X16 gives it; a TRE_A03 class sent must agree. */
function typeAndClass(
  reader: ObjectReader,
  mapping: XdsSourceMapping | undefined,
): { typeCode: Code; classCode: Code } | undefined {
  const sent = reader.code(DE.typeCode, true);
  const typeCode = sent && mapCode(mapping, 'typeCode', sent);
  const sentClass = reader.code(DE.classCode, true);
  if (!typeCode) return undefined;
  const classCode = classCodeForType(typeCode);
  if (!isDmpType(typeCode) || !classCode) {
    reader.fail(part.classification(DE.typeCode), 'is not a DMP document type (JDV_J66); map it');
    return undefined;
  }
  if (sentClass?.codeSystem === OID.treA03Class && sentClass.code !== classCode.code) {
    reader.fail(
      part.classification(DE.classCode),
      `${sentClass.code} is not the class of the typeCode (ASS_X16: ${classCode.code})`,
    );
  }
  return { typeCode, classCode };
}

function checkedSlot(reader: ObjectReader, name: string, pattern: RegExp, what: string): string | undefined {
  const value = reader.slot(name, false);
  if (value !== undefined && !pattern.test(value)) reader.fail(part.slot(name), what);
  return value;
}

/** Reads a DocumentEntry; undefined when a required part is missing or wrong (errors added). */
export function readEntryMetadata(
  reader: ObjectReader,
  mapping: XdsSourceMapping | undefined,
  site: Organisation,
): EntryMetadata | undefined {
  const e = reader.object;
  const before = reader.errors.list.length;
  if (e.objectType !== DE.stableObjectType)
    reader.fail('@objectType', 'must be the stable DocumentEntry type');
  if (!e.mimeType) reader.fail('@mimeType', 'is required');
  if (!e.name?.trim()) reader.fail('Name', 'is required (CI-SIS)');
  const uniqueId = reader.external(DE.uniqueId);
  if (uniqueId !== undefined && !isUniqueIdOid(uniqueId)) {
    reader.fail(part.external(DE.uniqueId), 'must be a bare OID of at most 64 characters');
  }
  const creationTime = reader.time(SLOT.creationTime, true);
  const serviceStartTime = reader.time(SLOT.serviceStartTime, false);
  const serviceStopTime = reader.time(SLOT.serviceStopTime, false);
  const languageCode = reader.slot(SLOT.languageCode, true);
  if (languageCode !== undefined && !LANGUAGE.test(languageCode)) {
    reader.fail(part.slot(SLOT.languageCode), 'must be a language tag such as fr-FR');
  }
  const hash = checkedSlot(reader, SLOT.hash, SHA1_HEX, 'must be a SHA-1, 40 hexadecimal digits');
  const size = checkedSlot(reader, SLOT.size, SIZE, 'must be a size in bytes');
  const codes = typeAndClass(reader, mapping);
  const facility = mappedCode(reader, mapping, 'healthcareFacilityTypeCode', DE.healthcareFacilityTypeCode, [
    OID.treR02FacilityType,
  ]);
  const practice = mappedCode(reader, mapping, 'practiceSettingCode', DE.practiceSettingCode, [
    OID.treA01PracticeSetting,
  ]);
  const sentFormat = reader.code(DE.formatCode, false);
  const french = [OID.formatCodeScheme, OID.formatCodeComplementaryScheme] as string[];
  const security = readConfidentiality(reader);
  const authors = readAuthors(reader, DE.author, site);
  const legalAuthenticator = readLegalAuthenticator(reader);
  const eventCodes = reader.codes(DE.eventCodeList);
  if (reader.errors.list.length > before) return undefined;
  return {
    uniqueId: uniqueId as string,
    mimeType: (e.mimeType as string).split(';')[0]!.trim().toLowerCase(),
    title: (e.name as string).trim(),
    ...(codes as { typeCode: Code; classCode: Code }),
    ...(sentFormat && french.includes(sentFormat.codeSystem) ? { formatCode: sentFormat } : {}),
    healthcareFacilityTypeCode: facility as Code,
    practiceSettingCode: practice as Code,
    ...(security as { confidentiality: Confidentiality; visibility: Visibility }),
    creationTime: creationTime as string,
    ...(serviceStartTime ? { serviceStartTime } : {}),
    ...(serviceStopTime ? { serviceStopTime } : {}),
    languageCode: languageCode as string,
    authors,
    ...(legalAuthenticator ? { legalAuthenticator } : {}),
    eventCodes,
    referenceIds: slotValues(e, SLOT.referenceIdList)
      .map((v) => v.trim())
      .filter((v) => v !== ''),
    ...(hash ? { hash: hash.toLowerCase() } : {}),
    ...(size ? { size } : {}),
  };
}
