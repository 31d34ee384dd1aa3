/**
 * PID → canonical Patient [VOLET-HL7 profils-messages.md "Les données
 * concernant le patient" (PID per PAM-FR 2.11 and the CI-SIS INS annex);
 * DOMAIN.md §3, §7]: PID-3 carries the INS (`matricule^^^ASIP-SANTE-INS-NIR&
 * <OID>&ISO^INS`) and the IPP (`^PI`); PID-5 the birth name (type `L`: family,
 * first given name, list of birth given names) and used name (type `D`);
 * PID-7 birth date; PID-8 sex; PID-11 type `BDL` the birth place (XAD-9 COG
 * code); PID-32 the identity reliability (`VALI` = qualified). The INS is
 * read whatever PID-32 says: whether it may be used is decided by the rules.
 */
import type { Config } from '../../config/schema.ts';
import { IssueCollector } from '../../errors/catalogue.ts';
import { isOid } from '../../model/code-systems.ts';
import type { IdentityStatus, InstanceId, Patient, Sex } from '../../model/types.ts';
import { INS_OIDS } from '../../model/vocabulary.ts';
import { all, componentsOf, type Hl7Message, leaf, path, repetitions, type Segment } from './message.ts';
import { checkPlain } from './values.ts';

type Id = InstanceId & { readonly extension: string };

export interface PidFacts {
  readonly segment?: Segment;
  readonly ins?: Id;
  readonly ipp?: Id;
  /** PID-32 as sent, when it is a known status. */
  readonly identityStatus?: IdentityStatus;
  /** Present when PID-3 has an INS and the INS traits are complete. */
  readonly patient?: Patient;
}

const STATUSES: readonly IdentityStatus[] = ['VALI', 'QUAL', 'RECUP', 'PROV', 'VIDE'];
/** Identity attributes PAM-FR sends in further PID-32 repetitions (doubtful, fictitious, homonym...). */
const ATTRIBUTES = ['DOUTE', 'FICTI', 'HOMON', 'DPOT', 'DOUA', 'FICT'];

/** NIR/NIA: 15 characters (2A/2B for Corsica), key = 97 − (first 13 as a number, 2A→19, 2B→18) mod 97. */
export function isValidInsMatricule(value: string): boolean {
  if (!/^\d{5}(?:\d{2}|2A|2B)\d{8}$/.test(value)) return false;
  const body = Number(value.slice(0, 13).replace('2A', '19').replace('2B', '18'));
  return 97 - (body % 97) === Number(value.slice(13));
}

function readIds(msg: Hl7Message, pid: Segment, ippAuthority: string, issues: IssueCollector) {
  let ins: Id | undefined;
  let ipp: Id | undefined;
  for (const [i, raw] of repetitions(msg, pid, 3).entries()) {
    const id = leaf(msg, raw, 1);
    const authority = leaf(msg, raw, 4, 2);
    const type = leaf(msg, raw, 5);
    if (INS_OIDS.includes(authority) && !ins) {
      if (isValidInsMatricule(id)) ins = { root: authority, extension: id };
      else {
        issues.add(
          'HL7_DATA_TYPE',
          path(pid, 3, 1, undefined, i + 1),
          'the INS matricule is not a valid NIR/NIA (15 characters with a valid key)',
        );
      }
    } else if (type === 'PI' && !ipp && id) {
      if (!checkPlain(id, path(pid, 3, 1, undefined, i + 1), 'the IPP', issues)) continue;
      const iso = leaf(msg, raw, 4, 3) === 'ISO' && isOid(authority);
      ipp = { root: iso ? authority : ippAuthority, extension: id };
    }
  }
  return { ins, ipp };
}

function readStatus(msg: Hl7Message, pid: Segment, issues: IssueCollector): IdentityStatus | undefined {
  const values = repetitions(msg, pid, 32).map((r) => leaf(msg, r));
  const status = values.find((v): v is IdentityStatus => (STATUSES as readonly string[]).includes(v));
  const unknown = values.find(
    (v) => v && !(STATUSES as readonly string[]).includes(v) && !ATTRIBUTES.includes(v),
  );
  if (unknown !== undefined) {
    issues.add(
      'HL7_TABLE_VALUE',
      path(pid, 32),
      `identity reliability must be one of ${STATUSES.join(', ')}`,
    );
  }
  return status;
}

interface Traits {
  birthFamilyName?: string;
  usedFamilyName?: string;
  givenNames: string[];
}

function readNames(msg: Hl7Message, pid: Segment, issues: IssueCollector): Traits {
  const names = repetitions(msg, pid, 5).map((raw, i) => ({ parts: componentsOf(msg, raw), rep: i + 1 }));
  const birth = names.find((n) => n.parts[6] === 'L') ?? names.find((n) => !n.parts[6]);
  const used = names.find((n) => n.parts[6] === 'D');
  for (const n of [birth, used]) {
    for (const c of [1, 2, 3]) {
      if (n) checkPlain(n.parts[c - 1] ?? '', path(pid, 5, c, undefined, n.rep), 'a patient name', issues);
    }
  }
  const family = birth?.parts[0] || undefined;
  const list = birth?.parts[2] ? birth.parts[2].split(/\s+/) : birth?.parts[1] ? [birth.parts[1]] : [];
  const usedFamily = used?.parts[0] || undefined;
  return {
    birthFamilyName: family,
    usedFamilyName: usedFamily && usedFamily !== family ? usedFamily : undefined,
    givenNames: list.filter((g) => g.length > 0),
  };
}

function readSex(value: string): Sex | undefined {
  if (!value) return undefined;
  return value === 'F' || value === 'M' ? value : 'U';
}

function readBirthPlace(msg: Hl7Message, pid: Segment): string | undefined {
  const birth = repetitions(msg, pid, 11).find((raw) => leaf(msg, raw, 7) === 'BDL');
  const code = birth === undefined ? '' : leaf(msg, birth, 9);
  return /^[0-9][0-9AB]\d{3}$/.test(code) ? code : undefined;
}

/**
 * Reads the one PID segment. Issues: PID missing (100) or repeated (198),
 * PID-3 missing (101), a bad INS matricule (102), markup in names (102),
 * unknown PID-32 (103); with `insRequired` also no INS (903) and INS traits
 * missing (905).
 */
export function readPid(
  msg: Hl7Message,
  config: Pick<Config, 'ids'>,
  issues: IssueCollector,
  insRequired = true,
): PidFacts {
  const pids = all(msg, 'PID');
  const pid = pids[0];
  if (!pid) {
    issues.add('HL7_SEGMENT_SEQUENCE', 'PID', 'the PID segment is missing');
    return {};
  }
  if (pids.length > 1)
    issues.add('HL7_CARDINALITY', 'PID[2]', 'one PID segment only: the message is about one patient');
  if (repetitions(msg, pid, 3).length === 0) {
    issues.add('HL7_REQUIRED_FIELD', path(pid, 3), 'patient identifiers (PID-3) are missing');
    return { segment: pid };
  }
  const { ins, ipp } = readIds(msg, pid, config.ids.ippAuthority, issues);
  const identityStatus = readStatus(msg, pid, issues);
  const names = readNames(msg, pid, issues);
  const birthDate = leaf(msg, repetitions(msg, pid, 7)[0]).slice(0, 8);
  const sex = readSex(leaf(msg, repetitions(msg, pid, 8)[0]));
  const facts = { segment: pid, ins, ipp, identityStatus };
  if (!ins) {
    if (insRequired && !issues.issues.some((i) => i.path.startsWith(`${path(pid, 3)}`))) {
      issues.add(
        'MISSING_INS',
        path(pid, 3),
        'no INS (NIR or NIA with its OID) among the patient identifiers',
      );
    }
    return facts;
  }
  const traits = insRequired ? issues : new IssueCollector();
  const before = traits.issues.length;
  if (!names.birthFamilyName)
    traits.add('INS_INCOMPLETE', path(pid, 5, 1), 'birth family name (type L) required with an INS');
  if (names.givenNames.length === 0)
    traits.add('INS_INCOMPLETE', path(pid, 5, 3), 'birth given names required with an INS');
  if (!/^\d{4}(\d{2}){0,2}$/.test(birthDate)) {
    traits.add('INS_INCOMPLETE', path(pid, 7), 'birth date (YYYY[MM[DD]]) required with an INS');
  }
  if (!sex) traits.add('INS_INCOMPLETE', path(pid, 8), 'sex required with an INS');
  if (traits.issues.length > before) return facts;
  const birthPlaceCode = readBirthPlace(msg, pid);
  const patient: Patient = {
    ins,
    ...(ipp && { ipp }),
    birthFamilyName: names.birthFamilyName as string,
    ...(names.usedFamilyName && { usedFamilyName: names.usedFamilyName }),
    givenNames: names.givenNames,
    birthDate,
    sex: sex as Sex,
    ...(birthPlaceCode && { birthPlaceCode }),
    identityStatus: identityStatus ?? 'PROV',
  };
  return { ...facts, patient };
}
