/**
 * Builders of the CI-SIS CDA R2 header elements (typed XML trees), following
 * the ANS "En-tête des documents médicaux CDA" profiles (repo
 * ansforge/IG-document-core, `input/fsh/ResourcesCDAEntete/*.fsh`) and the
 * corpus examples DOC_NON_STRUCTURE_CDA-R2-N1.xml and
 * IMG_CR_IMG_2024.01_CDA-R2-Niveau-1.xml. Element order follows the CDA R2
 * schema (POCD_MT000040). Times are already HL7 TS strings here.
 */
import type {
  Author,
  Code,
  Confidentiality,
  InstanceId,
  Organisation,
  Patient,
  Person,
} from '../model/types.ts';
import { OID } from '../model/vocabulary.ts';
import { el, type XmlChild, type XmlElement } from '../xml/tree.ts';

/** An instance identifier element (`id`, `setId`...). */
export function ii(name: string, id: InstanceId): XmlElement {
  return el(name, { root: id.root, extension: id.extension });
}

/** A coded element (`code`, `standardIndustryClassCode`...). */
export function cd(name: string, code: Code): XmlElement {
  return el(name, { code: code.code, displayName: code.displayName, codeSystem: code.codeSystem });
}

const CONFIDENTIALITY_DISPLAY: Readonly<Record<Confidentiality, string>> = {
  N: 'Normal',
  R: 'Restreint',
  V: 'Très restreint',
};

/** `confidentialityCode` from HL7 Confidentiality (N/R/V) [DOMAIN.md §4]. */
export function confidentialityCode(value: Confidentiality): XmlElement {
  return cd('confidentialityCode', {
    code: value,
    displayName: CONFIDENTIALITY_DISPLAY[value],
    codeSystem: OID.hl7Confidentiality,
  });
}

const GENDER_DISPLAY = { F: 'Féminin', M: 'Masculin', U: 'Inconnu' } as const;

/**
 * `recordTarget`: the INS first, then the IPP; the INS identity traits: birth
 * name (`family qualifier="BR"`), the list of birth given names (`given`
 * without qualifier), the first birth given name (`given qualifier="BR"`), the
 * used name (`family qualifier="CL"`), sex, birth date and the INSEE code of
 * the birth place (`birthplace/place/addr/county`) [CI-SIS en-tête, FrPatient].
 */
export function recordTarget(patient: Patient): XmlElement {
  const first = patient.givenNames[0];
  return el(
    'recordTarget',
    {},
    el(
      'patientRole',
      {},
      ii('id', patient.ins),
      patient.ipp !== undefined && ii('id', patient.ipp),
      el(
        'patient',
        {},
        el(
          'name',
          {},
          el('family', { qualifier: 'BR' }, patient.birthFamilyName),
          first !== undefined && [
            el('given', {}, patient.givenNames.join(' ')),
            el('given', { qualifier: 'BR' }, first),
          ],
          patient.usedFamilyName !== undefined && el('family', { qualifier: 'CL' }, patient.usedFamilyName),
        ),
        cd('administrativeGenderCode', {
          code: patient.sex,
          displayName: GENDER_DISPLAY[patient.sex],
          codeSystem: OID.hl7Gender,
        }),
        el('birthTime', { value: patient.birthDate }),
        patient.birthPlaceCode !== undefined &&
          el('birthplace', {}, el('place', {}, el('addr', {}, el('county', {}, patient.birthPlaceCode)))),
      ),
    ),
  );
}

/** An organisation (`representedOrganization`...) with its national id and name, then `extra` children. */
export function organisation(name: string, org: Organisation, ...extra: XmlChild[]): XmlElement {
  return el(
    name,
    {},
    el('id', { root: org.idSystem ?? OID.structureId, extension: org.id }),
    el('name', {}, org.name),
    ...extra,
  );
}

function personId(person: Person): XmlElement {
  return el('id', { root: person.idSystem ?? OID.personId, extension: person.id });
}

function personName(person: Person): XmlElement {
  return el(
    'name',
    {},
    person.prefix !== undefined && el('prefix', {}, person.prefix),
    person.givenName !== undefined && el('given', {}, person.givenName),
    el('family', {}, person.familyName),
  );
}

/** Author specialty of a software author: `AUTOMATE` [DOMAIN.md §3, VIHF role of an automaton]. */
const AUTOMATON: Code = { code: 'AUTOMATE', codeSystem: OID.authorSpecialtyAutomaton };

/**
 * `author`: a person (`assignedPerson`; `functionCode` ← role, `assignedAuthor/code`
 * ← specialty) or a software (`assignedAuthoringDevice`, code `AUTOMATE`), with
 * the organisation it acts for [FrAuthor, FrAssignedAuthor, FrAuthoringDevice].
 */
export function author(a: Author, time: string): XmlElement {
  const org = organisation('representedOrganization', a.organisation);
  if (a.kind === 'system') {
    return el(
      'author',
      {},
      el('time', { value: time }),
      el(
        'assignedAuthor',
        {},
        el('id', { root: a.idSystem ?? OID.personId, extension: a.id }),
        cd('code', AUTOMATON),
        el(
          'assignedAuthoringDevice',
          {},
          el('manufacturerModelName', {}, a.model),
          el('softwareName', {}, a.name),
        ),
        org,
      ),
    );
  }
  return el(
    'author',
    {},
    a.role !== undefined && cd('functionCode', a.role),
    el('time', { value: time }),
    el(
      'assignedAuthor',
      {},
      personId(a.person),
      a.specialty !== undefined && cd('code', a.specialty),
      el('assignedPerson', {}, personName(a.person)),
      org,
    ),
  );
}

/** `custodian`: the organisation keeping the document [FrCustodian]. */
export function custodian(org: Organisation): XmlElement {
  return el(
    'custodian',
    {},
    el('assignedCustodian', {}, organisation('representedCustodianOrganization', org)),
  );
}

/** `legalAuthenticator` with `signatureCode S` [FrLegalAuthenticator]. */
export function legalAuthenticator(person: Person, time: string): XmlElement {
  return el(
    'legalAuthenticator',
    {},
    el('time', { value: time }),
    el('signatureCode', { code: 'S' }),
    el('assignedEntity', {}, personId(person), el('assignedPerson', {}, personName(person))),
  );
}

/** Service period: `low` (or `low nullFlavor="UNK"` when unknown: FrServiceEvent forbids a null effectiveTime) and `high`. */
function servicePeriod(start: string | undefined, stop: string | undefined): XmlElement {
  return el(
    'effectiveTime',
    {},
    start !== undefined ? el('low', { value: start }) : el('low', { nullFlavor: 'UNK' }),
    stop !== undefined && el('high', { value: stop }),
  );
}

export interface ServiceEventInput {
  readonly eventCodes: readonly Code[];
  readonly start?: string;
  readonly stop?: string;
  /** The performer of the main event (the first author). */
  readonly performer: Author;
  readonly practiceSetting: Code;
}

/**
 * `documentationOf`: the main service event (first event code, period,
 * performer whose organisation carries `standardIndustryClassCode` = the XDS
 * practiceSettingCode), then one `documentationOf` per further event code
 * [FrServiceEvent, FrPerformer].
 */
export function documentationOf(input: ServiceEventInput): XmlElement[] {
  const [main, ...others] = input.eventCodes;
  const p = input.performer;
  const entity = el(
    'assignedEntity',
    {},
    p.kind === 'person'
      ? personId(p.person)
      : el('id', { root: p.idSystem ?? OID.personId, extension: p.id }),
    p.kind === 'person' && el('assignedPerson', {}, personName(p.person)),
    organisation(
      'representedOrganization',
      p.organisation,
      cd('standardIndustryClassCode', input.practiceSetting),
    ),
  );
  return [
    el(
      'documentationOf',
      {},
      el(
        'serviceEvent',
        {},
        main !== undefined && cd('code', main),
        servicePeriod(input.start, input.stop),
        el('performer', { typeCode: 'PRF' }, entity),
      ),
    ),
    ...others.map((code) => el('documentationOf', {}, el('serviceEvent', {}, cd('code', code)))),
  ];
}

/** `relatedDocument typeCode="RPLC"` naming the replaced document [FrRelatedDocument, FrParentDocument]. */
export function replaces(parent: InstanceId): XmlElement {
  return el('relatedDocument', { typeCode: 'RPLC' }, el('parentDocument', {}, ii('id', parent)));
}

/**
 * `componentOf/encompassingEncounter`: period of care (null when unknown) and
 * the facility type (`healthCareFacility/code`, XDS healthcareFacilityTypeCode)
 * [FrEncompassingEncounter, FrHealthCareFacility].
 */
export function componentOf(
  start: string | undefined,
  stop: string | undefined,
  facilityType: Code,
): XmlElement {
  const period =
    start === undefined
      ? el('effectiveTime', { nullFlavor: 'UNK' })
      : el(
          'effectiveTime',
          {},
          el('low', { value: start }),
          stop !== undefined && el('high', { value: stop }),
        );
  return el(
    'componentOf',
    {},
    el(
      'encompassingEncounter',
      {},
      period,
      el('location', {}, el('healthCareFacility', {}, cd('code', facilityType))),
    ),
  );
}
