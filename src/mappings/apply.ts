/**
 * applyMapping: SourceFacts + one mapping file → the XDS metadata values
 * the mapping decides, and for each value its lineage (the source field and
 * the mapping entry it came from) [DOMAIN.md §2–§3]. Pure.
 *
 * Precedence, per value, most specific first:
 * 1. the mapping entry for the local value the message carries
 *    (`types.<local type>`, `units.<unit>`, `visitClasses.<class>`,
 *    `facilities.<facility>`);
 * 2. the national value the message already carries (a JDV_J66 type,
 *    a practiceSetting...), kept as is;
 * 3. the mapping's `defaults`;
 * 4. nothing: the caller keeps its own value (configuration defaults).
 * A ready-made CDA (`documentCodesFixed`) keeps its header's typeCode,
 * practiceSetting and facilityType: it is deposited byte for byte.
 */
import type { Issue } from '../errors/catalogue.ts';
import { classCodeForType, isDmpType } from '../model/document-types.ts';
import { own } from '../model/own.ts';
import type { Code } from '../model/types.ts';
import { OID } from '../model/vocabulary.ts';
import { DEFAULT_SYSTEM, resolveTypeCode, toCode } from './check.ts';
import type { Sourced, SourceFacts } from './facts.ts';
import type { LoadedMapping } from './load.ts';
import type { LineageEntry, MappedValues, MappingResult } from './result.ts';
import { formatPath, type PathSegment } from './yaml-source.ts';

const ABSENT = '(not in the message)';

type Values = { -readonly [K in keyof MappedValues]: MappedValues[K] };

function unmatched(fact: Sourced<unknown> | undefined, section: string): string {
  return fact ? `${fact.path} (not in ${section})` : ABSENT;
}

/** Applies `mapping` to `facts`. */
export function applyMapping(facts: SourceFacts, mapping: LoadedMapping): MappingResult {
  const m = mapping.data;
  const lineage: LineageEntry[] = [];
  const issues: Issue[] = [];
  const values: Values = {};
  const note: Note = (field, value, source, path, table) => {
    if (path)
      lineage.push({
        field,
        value,
        source,
        rule: `${mapping.file}:${formatPath(path)}`,
        line: mapping.lineOf(path),
      });
    else lineage.push(table ? { field, value, source, rule: table } : { field, value, source });
  };

  // Unit and site.
  const unitKey = facts.unit?.value;
  const unit = own(m.units, unitKey);
  if (facts.unit) values.unit = facts.unit.value;
  let siteKey: string | undefined = m.defaults.facility;
  let siteSource = unmatched(facts.facility, 'facilities');
  let sitePath: PathSegment[] = ['defaults', 'facility'];
  let explicitSite = false;
  // A site of the establishment that the message names for its author (HL7 PRT-8) is the site, whatever
  // the unit says. Another structure (one the mapping does not list) stays the author's institution only:
  // the deposit goes under a site of the establishment (its certificate, its VIHF, its CME rules).
  const named = facts.structure;
  const namedKey =
    named && Object.keys(m.facilities).find((k) => `1${m.facilities[k]!.finess}` === named.value);
  if (named && namedKey === undefined)
    note('authorInstitution (not a site: not in facilities)', named.value, named.path);
  if (named && namedKey !== undefined) {
    values.namedStructure = named.value;
    [siteKey, siteSource, sitePath, explicitSite] = [namedKey, named.path, ['facilities', namedKey], true];
  } else if (unit?.facility && facts.unit && unitKey !== undefined) {
    [siteKey, siteSource, sitePath, explicitSite] = [
      unit.facility,
      facts.unit.path,
      ['units', unitKey, 'facility'],
      true,
    ];
  } else if (facts.facility && own(m.facilities, facts.facility.value)) {
    const key = facts.facility.value;
    [siteKey, siteSource, sitePath, explicitSite] = [key, facts.facility.path, ['facilities', key], true];
  }
  const facility = own(m.facilities, siteKey);
  if (facility && siteKey !== undefined) {
    const site = {
      key: siteKey,
      finess: facility.finess,
      name: facility.name,
      structureId: `1${facility.finess}`,
    };
    values.site = site;
    note('site FINESS (authorInstitution, custodian)', site.finess, siteSource, sitePath);
    const secteur = facility.vihf?.secteurActivite ?? facility.facilityType;
    const secteurPath = facility.vihf?.secteurActivite ? ['vihf', 'secteurActivite'] : ['facilityType'];
    values.vihf = {
      structureId: site.structureId,
      secteurActivite: toCode(secteur, DEFAULT_SYSTEM.facilityType),
    };
    note('VIHF Identifiant_Structure', site.structureId, siteSource, sitePath);
    note('VIHF Secteur_Activite', secteur.code, siteSource, ['facilities', siteKey, ...secteurPath]);
    const siteType = toCode(facility.facilityType, DEFAULT_SYSTEM.facilityType);
    if (facts.facilityType && (facts.documentCodesFixed || !explicitSite)) {
      values.healthcareFacilityTypeCode = facts.facilityType.value;
      note('healthcareFacilityTypeCode', facts.facilityType.value.code, facts.facilityType.path);
    } else if (!facts.documentCodesFixed) {
      values.healthcareFacilityTypeCode = siteType;
      note('healthcareFacilityTypeCode', siteType.code, siteSource, ['facilities', siteKey, 'facilityType']);
    }
  }

  mapType(facts, mapping, values, note, issues);

  // practiceSettingCode.
  if (facts.documentCodesFixed) {
    if (facts.practiceSetting) {
      values.practiceSettingCode = facts.practiceSetting.value;
      note('practiceSettingCode', facts.practiceSetting.value.code, facts.practiceSetting.path);
    }
  } else if (unit?.practiceSetting && facts.unit && unitKey !== undefined) {
    values.practiceSettingCode = toCode(unit.practiceSetting, DEFAULT_SYSTEM.practiceSetting);
    note('practiceSettingCode', unit.practiceSetting.code, facts.unit.path, [
      'units',
      unitKey,
      'practiceSetting',
    ]);
  } else if (facts.practiceSetting) {
    values.practiceSettingCode = facts.practiceSetting.value;
    note('practiceSettingCode', facts.practiceSetting.value.code, facts.practiceSetting.path);
  } else if (m.defaults.practiceSetting) {
    values.practiceSettingCode = toCode(m.defaults.practiceSetting, DEFAULT_SYSTEM.practiceSetting);
    const source =
      unit && facts.unit
        ? `${facts.unit.path} (units.${unitKey} has no practiceSetting)`
        : unmatched(facts.unit, 'units');
    note('practiceSettingCode', m.defaults.practiceSetting.code, source, ['defaults', 'practiceSetting']);
  }
  if (unit?.specialty && facts.unit && unitKey !== undefined) {
    values.unitSpecialty = toCode(unit.specialty, DEFAULT_SYSTEM.specialty);
    note('unit specialty (feeding rules)', unit.specialty.code, facts.unit.path, [
      'units',
      unitKey,
      'specialty',
    ]);
  }

  // contentTypeCode from the visit class.
  const visitKey = facts.visitClass?.value;
  const visitCode = own(m.visitClasses, visitKey);
  if (visitCode !== undefined && facts.visitClass && visitKey !== undefined) {
    values.contentTypeCode = { code: visitCode, codeSystem: OID.contentType };
    note('contentTypeCode', visitCode, facts.visitClass.path, ['visitClasses', visitKey]);
  } else if (facts.contentType) {
    values.contentTypeCode = facts.contentType.value;
    note('contentTypeCode', facts.contentType.value.code, facts.contentType.path);
  } else if (m.defaults.contentType !== undefined) {
    values.contentTypeCode = { code: m.defaults.contentType, codeSystem: OID.contentType };
    note('contentTypeCode', m.defaults.contentType, unmatched(facts.visitClass, 'visitClasses'), [
      'defaults',
      'contentType',
    ]);
  }

  mapAuthor(facts, m, values, note);
  return { values, lineage, issues, mapping: { file: mapping.file, version: mapping.version } };
}

/** Records a lineage entry: from a mapping entry (`path`), a national table, or the message alone. */
type Note = (
  field: string,
  value: string,
  source: string,
  path?: readonly PathSegment[],
  table?: string,
) => void;

function mapType(
  facts: SourceFacts,
  mapping: LoadedMapping,
  values: Values,
  note: Note,
  issues: Issue[],
): void {
  const sent = facts.documentType;
  if (!sent) {
    issues.push({ code: 'INVALID_INPUT', path: ABSENT, message: 'the message gives no document type' });
    return;
  }
  const local = facts.localType;
  if (local && own(mapping.data.types, local.value)) {
    values.localType = local.value;
    note('local type (feeding rules)', local.value, local.path, ['types', local.value]);
  }
  const entry = facts.documentCodesFixed ? undefined : own(mapping.data.types, sent.value.code);
  let typeCode: Code | undefined;
  if (entry) {
    typeCode = resolveTypeCode(entry.typeCode, entry.system);
    values.localType = sent.value.code;
    if (typeCode) note('typeCode', typeCode.code, sent.path, ['types', sent.value.code]);
  } else if (
    sent.value.codeSystem &&
    isDmpType({ code: sent.value.code, codeSystem: sent.value.codeSystem })
  ) {
    typeCode = { code: sent.value.code, codeSystem: sent.value.codeSystem };
    if (sent.value.displayName) typeCode = { ...typeCode, displayName: sent.value.displayName };
    note('typeCode', typeCode.code, sent.path);
  } else {
    const hint = facts.documentCodesFixed ? '' : ` and ${mapping.file} has no types.${sent.value.code} entry`;
    issues.push({
      code: 'INVALID_INPUT',
      path: sent.path,
      message: `${sent.value.code} is not a DMP document type (JDV_J66)${hint}`,
    });
    return;
  }
  if (!typeCode) return;
  values.typeCode = typeCode;
  const classCode = classCodeForType(typeCode);
  if (classCode) {
    values.classCode = classCode;
    note(
      'classCode',
      classCode.code,
      'typeCode',
      undefined,
      'ASS_X16 (mappings/terminology/type-class.json)',
    );
  }
}

function mapAuthor(facts: SourceFacts, m: LoadedMapping['data'], values: Values, note: Note): void {
  const defaults = m.authorDefaults;
  const author = facts.author?.value;
  const site = values.site;
  if (!author) {
    if (defaults?.system && site) {
      const organisation = { id: site.structureId, name: site.name };
      values.author = {
        kind: 'system',
        id: `${site.structureId}/${defaults.system.id}`,
        name: defaults.system.name,
        model: defaults.system.model,
        organisation,
      };
      note('author', values.author.id, ABSENT, ['authorDefaults', 'system']);
    }
    return;
  }
  note('author', author.kind === 'person' ? author.person.id : author.id, facts.author?.path ?? ABSENT);
  if (author.kind !== 'person' || !defaults) return;
  let completed = author;
  if (!author.role && defaults.role) {
    completed = { ...completed, role: toCode(defaults.role, DEFAULT_SYSTEM.role) };
    note('authorRole', defaults.role.code, ABSENT, ['authorDefaults', 'role']);
  }
  if (!author.specialty && defaults.specialty) {
    completed = { ...completed, specialty: toCode(defaults.specialty, DEFAULT_SYSTEM.specialty) };
    note('authorSpecialty', defaults.specialty.code, ABSENT, ['authorDefaults', 'specialty']);
  }
  if (completed !== author) values.author = completed;
}
