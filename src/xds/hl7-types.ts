/**
 * HL7 v2 datatypes carried in XDS slot values and external identifiers
 * (IHE ITI TF-3 §4.2.3.1.7 "Metadata attribute data types"), in the form the
 * CI-SIS "Volet Partage de Documents de Santé" and the ANS PDSm-for-DMP
 * logical models (AuthorPersonPS, AuthorPersonSystem, AuthorInstitution,
 * SourcePatientInfo) prescribe. Every component value is escaped with the
 * HL7 v2 escape sequences (HL7 v2.5 §2.7.4), so no field can add a component.
 */

import type { Code, InstanceId, Organisation, Patient, Person, SystemAuthor } from '../model/types.ts';
import { OID } from '../model/vocabulary.ts';

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\E\\',
  '|': '\\F\\',
  '^': '\\S\\',
  '&': '\\T\\',
  '~': '\\R\\',
  '\r': '\\X0D\\',
  '\n': '\\X0A\\',
};

/** Escapes the HL7 v2 delimiters `| ^ & ~ \` (and CR/LF) in one component value [HL7 v2.5 §2.7.4]. */
export function hl7Escape(value: string): string {
  return value.replace(/[\\|^&~\r\n]/g, (c) => ESCAPES[c] ?? c);
}

/** Joins already-escaped components with `^`, dropping trailing empty ones. */
function components(...parts: readonly string[]): string {
  let end = parts.length;
  while (end > 0 && parts[end - 1] === '') end--;
  return parts.slice(0, end).join('^');
}

/** HD with only the universal id: `&<oid>&ISO` (assigning authority / facility). */
function isoAuthority(oid: string): string {
  return `&${hl7Escape(oid)}&ISO`;
}

/**
 * CX identifier: `value^^^&<oid>&ISO^<type>` [ITI TF-3 §4.2.3.1.7 CX].
 * The INS is typed `NH`, a local IPP `PI` (DOMAIN.md §3).
 */
export function cx(id: InstanceId & { readonly extension: string }, identifierType: 'NH' | 'PI'): string {
  return components(hl7Escape(id.extension), '', '', isoAuthority(id.root), identifierType);
}

/**
 * XCN of a health professional: `<id>^NOM^Prénom^^^^^^&<oid>&ISO^D^^^IDNPS`
 * (components 1, 2, 3, 9, 10 = name type D, 13 = identifier type IDNPS)
 * [CI-SIS authorPerson; PDSM4DMP AuthorPersonPS]. The prefix (XCN-6) is not sent.
 */
export function xcnPerson(person: Person): string {
  return components(
    hl7Escape(person.id),
    hl7Escape(person.familyName),
    hl7Escape(person.givenName ?? ''),
    '',
    '',
    '',
    '',
    '',
    isoAuthority(person.idSystem ?? OID.personId),
    'D',
    '',
    '',
    'IDNPS',
  );
}

/**
 * XCN of a software author: `<id>^<name>^<model>^^^^^^&<oid>&ISO^U^^^RI`
 * (name type U, identifier type RI) [CI-SIS authorPerson; PDSM4DMP AuthorPersonSystem].
 */
export function xcnSystem(system: Pick<SystemAuthor, 'id' | 'idSystem' | 'name' | 'model'>): string {
  return components(
    hl7Escape(system.id),
    hl7Escape(system.name),
    hl7Escape(system.model),
    '',
    '',
    '',
    '',
    '',
    isoAuthority(system.idSystem ?? OID.personId),
    'U',
    '',
    '',
    'RI',
  );
}

/**
 * XON of a structure: `<Name>^^^^^&<oid>&ISO^IDNST^^^<id>` (components 1, 6,
 * 7 = IDNST, 10 = national structure id, e.g. `1`+FINESS)
 * [CI-SIS authorInstitution; PDSM4DMP AuthorInstitution].
 */
export function xon(organisation: Organisation): string {
  return components(
    hl7Escape(organisation.name),
    '',
    '',
    '',
    '',
    isoAuthority(organisation.idSystem ?? OID.structureId),
    'IDNST',
    '',
    '',
    hl7Escape(organisation.id),
  );
}

/**
 * A coded value as the CI-SIS writes authorRole / authorSpecialty:
 * `<code>^<displayName>^<code system OID>` (CWE components 1–3)
 * [PDSM4DMP example AuthorInstitutionSNR: `DISPOSITIF^dispositif médical^1.2.250.1.213.1.1.4.6`].
 */
export function codedValue(code: Code): string {
  return components(hl7Escape(code.code), hl7Escape(code.displayName ?? ''), hl7Escape(code.codeSystem));
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|([+-])(\d{2}):?(\d{2}))$/;
const PARTIAL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * XDS DTM in UTC [ITI TF-3 §4.2.3.1.7 DTM]: an ISO 8601 instant with an
 * offset becomes `YYYYMMDDhhmmss` (fractions truncated); a date (`YYYY`,
 * `YYYY-MM`, `YYYY-MM-DD`) keeps its precision. A date-time without offset
 * is refused: its UTC value is unknown.
 */
export function dtm(iso: string): string {
  const partial = PARTIAL_DATE.exec(iso);
  if (partial) {
    const [, y, m, d] = partial;
    if (m !== undefined) checkDate(Number(y), Number(m), Number(d ?? '01'));
    return `${y}${m ?? ''}${d ?? ''}`;
  }
  const match = INSTANT.exec(iso);
  if (!match) throw new Error('not an ISO 8601 instant with a UTC offset (or a date)');
  const [, y, mo, d, h, mi, s, zone, sign, oh, om] = match;
  checkDate(Number(y), Number(mo), Number(d));
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? '0') > 59) throw new Error('invalid time of day');
  const offsetMinutes = zone === 'Z' ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const utc = utcDate(Number(y), Number(mo), Number(d));
  utc.setUTCHours(Number(h), Number(mi) - offsetMinutes, Number(s ?? '0'));
  return (
    pad(utc.getUTCFullYear(), 4) +
    pad(utc.getUTCMonth() + 1) +
    pad(utc.getUTCDate()) +
    pad(utc.getUTCHours()) +
    pad(utc.getUTCMinutes()) +
    pad(utc.getUTCSeconds())
  );
}

/** A UTC midnight; unlike `Date.UTC`, years 0–99 stay as given. */
function utcDate(year: number, month: number, day: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date;
}

function checkDate(year: number, month: number, day: number): void {
  const date = utcDate(year, month, day);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) throw new Error('invalid calendar date');
}

/**
 * sourcePatientInfo values [CI-SIS sourcePatientInfo; ITI TF-3 §4.2.3.2.23]:
 * `PID-5|NOM^Prénom^^^^^L` (birth name, name type L as in the ANS PAM/HL7 v2
 * examples), a second `PID-5|…^D` for a different used name, `PID-7|<birth
 * date>`, `PID-8|<F/M/U>`. PID-3 is not repeated (sourcePatientId carries it);
 * PID-6 and PID-11 are not used (no such traits in the model).
 */
export function sourcePatientInfo(patient: Patient): string[] {
  const given = hl7Escape(patient.givenNames[0] ?? '');
  const lines = [`PID-5|${components(hl7Escape(patient.birthFamilyName), given, '', '', '', '', 'L')}`];
  if (patient.usedFamilyName && patient.usedFamilyName !== patient.birthFamilyName) {
    lines.push(`PID-5|${components(hl7Escape(patient.usedFamilyName), given, '', '', '', '', 'D')}`);
  }
  lines.push(`PID-7|${hl7Escape(patient.birthDate)}`, `PID-8|${patient.sex}`);
  return lines;
}
