/**
 * Patient age in whole years at a document's date, from an HL7/CDA birth
 * date that may be partial (`YYYYMMDD`, `YYYYMM`, `YYYY`): a partial date
 * gives a range, and a criterion only holds when the whole range satisfies it.
 */

export interface AgeRange {
  readonly min: number;
  readonly max: number;
}

interface Ymd {
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

function yearsBetween(birth: Ymd, at: Ymd): number {
  const beforeBirthday = at.m < birth.m || (at.m === birth.m && at.d < birth.d);
  return at.y - birth.y - (beforeBirthday ? 1 : 0);
}

function lastDay(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const PARIS_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' });

/** The calendar date (`YYYY-MM-DD`) of an ISO date, or of an instant in metropolitan French time. */
function calendarDate(at: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(at)) return at;
  const t = Date.parse(at);
  return Number.isNaN(t) ? undefined : PARIS_DATE.format(t);
}

/**
 * Age range at `at` (ISO 8601 date, or instant taken at its date in
 * Europe/Paris) of `birthDate`; undefined when either is not a date or the
 * birth is after `at`.
 */
export function ageRange(birthDate: string | undefined, at: string): AgeRange | undefined {
  const b = /^(\d{4})(\d{2})?(\d{2})?$/.exec(birthDate ?? '');
  const a = /^(\d{4})-(\d{2})-(\d{2})$/.exec(calendarDate(at) ?? '');
  if (!b || !a) return undefined;
  const atDate = { y: Number(a[1]), m: Number(a[2]), d: Number(a[3]) };
  const y = Number(b[1]);
  const earliest = { y, m: b[2] ? Number(b[2]) : 1, d: b[3] ? Number(b[3]) : 1 };
  const latestMonth = b[2] ? Number(b[2]) : 12;
  const latest = { y, m: latestMonth, d: b[3] ? Number(b[3]) : lastDay(y, latestMonth) };
  if (earliest.m < 1 || earliest.m > 12 || earliest.d < 1 || earliest.d > lastDay(y, earliest.m))
    return undefined;
  const max = yearsBetween(earliest, atDate);
  const min = yearsBetween(latest, atDate);
  if (max < 0) return undefined;
  return { min: Math.max(0, min), max };
}

/** Majority in France: 18 years (Code civil art. 414). */
export const AGE_OF_MAJORITY = 18;

/** True / false when the patient is surely a minor / an adult at `at`; undefined when unknown or uncertain. */
export function isMinorAt(birthDate: string | undefined, at: string): boolean | undefined {
  const range = ageRange(birthDate, at);
  if (!range) return undefined;
  if (range.max < AGE_OF_MAJORITY) return true;
  if (range.min >= AGE_OF_MAJORITY) return false;
  return undefined;
}
