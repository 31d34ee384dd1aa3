/**
 * Readers of the HL7 v2 datatypes carried in XDS slot values (IHE ITI TF-3
 * §4.2.3.1.7 "Metadata attribute data types"): the reverse of ./hl7-types.ts,
 * for metadata received from XDS sources. Components are split first, then
 * unescaped (HL7 v2.5 §2.7.4), so an escaped delimiter never splits a value.
 * Every reader returns undefined for a value it cannot read; callers report.
 */
import type { Code } from '../model/types.ts';

const UNESCAPES: Readonly<Record<string, string>> = { E: '\\', F: '|', S: '^', T: '&', R: '~' };

/** Reverses the HL7 v2 escape sequences (`\S\`, `\T\`, `\F\`, `\E\`, `\R\`, `\X0D\`...) [HL7 v2.5 §2.7.4]. */
export function hl7Unescape(value: string): string {
  return value.replace(/\\([EFSTR]|X[0-9A-Fa-f]{2,})\\/g, (_m, seq: string) =>
    seq.startsWith('X')
      ? Buffer.from(seq.slice(1).length % 2 === 0 ? seq.slice(1) : '', 'hex').toString('latin1')
      : (UNESCAPES[seq] ?? ''),
  );
}

/** Components (`^`) of a value, each unescaped; `sub` splits a component into subcomponents (`&`). */
export function components(value: string): string[] {
  return value.split('^').map(hl7Unescape);
}

function subcomponents(component: string | undefined): string[] {
  return (component ?? '').split('&').map(hl7Unescape);
}

/** The universal id of an HD written `&<oid>&ISO` (the only form the CI-SIS uses). */
function isoOid(component: string | undefined): string | undefined {
  const [, oid, type] = subcomponents(component);
  return oid && type === 'ISO' ? oid : undefined;
}

/** A person or system of an XCN value (authorPerson, legalAuthenticator). */
export interface Xcn {
  readonly id?: string;
  /** XCN-9 assigning authority (universal id). */
  readonly idSystem?: string;
  readonly familyName?: string;
  readonly givenName?: string;
  readonly prefix?: string;
  /** XCN-10 name type (`D` person, `U` software in the CI-SIS). */
  readonly nameType?: string;
  /** XCN-13 identifier type (`IDNPS` person, `RI` software). */
  readonly idType?: string;
}

/**
 * XCN `id^family^given^^^prefix^^^&oid&ISO^nameType^^^idType` [ITI TF-3
 * §4.2.3.1.7 XCN; CI-SIS authorPerson]. Escaped delimiters are decoded.
 */
export function parseXcn(value: string): Xcn {
  const c = value.split('^');
  const text = (i: number) => {
    const v = hl7Unescape(c[i] ?? '').trim();
    return v === '' ? undefined : v;
  };
  return {
    id: text(0),
    idSystem: isoOid(c[8]),
    familyName: text(1),
    givenName: text(2),
    prefix: text(5),
    nameType: text(9),
    idType: text(12),
  };
}

/** An organisation of an XON value (authorInstitution). */
export interface Xon {
  readonly name?: string;
  /** XON-6 assigning authority (universal id). */
  readonly idSystem?: string;
  /** XON-10 organisation identifier (`1`+FINESS...); XON-3 in older senders. */
  readonly id?: string;
}

/** XON `Name^^^^^&oid&ISO^IDNST^^^id` [ITI TF-3 §4.2.3.1.7 XON; CI-SIS authorInstitution]. */
export function parseXon(value: string): Xon {
  const c = value.split('^');
  const text = (i: number) => {
    const v = hl7Unescape(c[i] ?? '').trim();
    return v === '' ? undefined : v;
  };
  return { name: text(0), idSystem: isoOid(c[5]), id: text(9) ?? text(2) };
}

/** A coded value written `code^display^codeSystemOid` (authorRole, authorSpecialty) [CI-SIS]. */
export function parseCodedValue(value: string): Code | undefined {
  const [code, displayName, codeSystem] = components(value).map((v) => v.trim());
  if (!code || !codeSystem) return undefined;
  return { code, codeSystem, ...(displayName ? { displayName } : {}) };
}

const DTM = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(?:(\d{2})(\d{2})?)?)?$/;

/**
 * An XDS DTM (UTC, ITI TF-3 §4.2.3.1.7) with at least the day → ISO 8601:
 * `YYYYMMDD` → `YYYY-MM-DD`; with a time → a UTC instant `YYYY-MM-DDThh:mm:ssZ`.
 * Undefined for anything else, out-of-range fields included.
 */
export function dtmToIso(value: string): string | undefined {
  const m = DTM.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  const back = new Date(ms);
  const valid =
    back.getUTCFullYear() === Number(y) &&
    back.getUTCMonth() === Number(mo) - 1 &&
    back.getUTCDate() === Number(d) &&
    back.getUTCHours() === Number(h ?? 0) &&
    back.getUTCMinutes() === Number(mi ?? 0);
  if (!valid || Number(s ?? 0) > 59) return undefined;
  if (h === undefined) return `${y}-${mo}-${d}`;
  return `${y}-${mo}-${d}T${h}:${mi ?? '00'}:${s ?? '00'}Z`;
}

/** The traits of a sourcePatientInfo slot [ITI TF-3 §4.2.3.2.23; CI-SIS sourcePatientInfo]. */
export interface SourcePatientInfo {
  /** PID-5 of name type `L` (or the first PID-5 without type): birth name. */
  readonly birthFamilyName?: string;
  /** PID-5 of name type `D`, when it differs from the birth name. */
  readonly usedFamilyName?: string;
  /** PID-5.2, then the other birth given names of PID-5.3 (space separated). */
  readonly givenNames: readonly string[];
  /** PID-7 (`YYYYMMDD`, or fewer digits when partly unknown). */
  readonly birthDate?: string;
  /** PID-8 as written. */
  readonly sex?: string;
}

/** Reads the `PID-n|value` lines of a sourcePatientInfo slot (unknown fields ignored). */
export function parseSourcePatientInfo(lines: readonly string[]): SourcePatientInfo {
  let birth: string[] | undefined;
  let used: string[] | undefined;
  let birthDate: string | undefined;
  let sex: string | undefined;
  for (const line of lines) {
    const bar = line.indexOf('|');
    const field = line.slice(0, bar).trim();
    const value = line.slice(bar + 1);
    if (bar < 0) continue;
    if (field === 'PID-5') {
      for (const repetition of value.split('~')) {
        const c = components(repetition).map((v) => v.trim());
        if (c[6] === 'D') used ??= c;
        else if (c[6] === 'L' || birth === undefined) birth = c;
      }
    } else if (field === 'PID-7') birthDate = hl7Unescape(value).trim() || undefined;
    else if (field === 'PID-8') sex = hl7Unescape(value).trim() || undefined;
  }
  const first = birth?.[1] ?? used?.[1];
  const others = (birth?.[2] ?? '').split(/\s+/).filter((g) => g !== '' && g !== first);
  const usedFamilyName = used?.[0] && used[0] !== birth?.[0] ? used[0] : undefined;
  return {
    ...(birth?.[0] ? { birthFamilyName: birth[0] } : {}),
    ...(usedFamilyName ? { usedFamilyName } : {}),
    givenNames: first ? [first, ...others] : others,
    ...(birthDate ? { birthDate: birthDate.slice(0, 8) } : {}),
    ...(sex ? { sex } : {}),
  };
}
