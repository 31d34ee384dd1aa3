/**
 * Timestamps between the canonical model (ISO 8601) and HL7 v3 `TS`
 * (`YYYYMMDDhhmmss±ZZZZ`), as the CI-SIS CDA header writes them: times to the
 * second with the offset from UTC (e.g. `20240101120000+0100`), dates as
 * `YYYYMMDD` [CI-SIS "Structuration minimale" §en-tête, HL7 v3 Data Types R1 TS].
 *
 * Pure functions; the local offset of a UTC instant comes from an IANA time
 * zone (default `Europe/Paris`, daylight saving included) or a fixed offset.
 */

/** Where local times live: an IANA zone name, or a fixed offset in minutes east of UTC. */
export type TimeZoneSetting = string | { readonly offsetMinutes: number };

/** The zone of French establishments, used when none is configured. */
export const DEFAULT_TIME_ZONE = 'Europe/Paris';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const HL7_TS =
  /^(\d{4})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:\.(\d{1,4}))?)?)?)?)?)?([+-]\d{4})?$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Offset from UTC (minutes) of `zone` at the instant `epochMs`. */
export function zoneOffsetMinutes(epochMs: number, zone: TimeZoneSetting = DEFAULT_TIME_ZONE): number {
  if (typeof zone !== 'string') return zone.offsetMinutes;
  let fmt = formatters.get(zone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    formatters.set(zone, fmt);
  }
  const name = fmt.formatToParts(new Date(epochMs)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

function formatOffset(minutes: number): string {
  return `${minutes < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(minutes) / 60))}${pad(Math.abs(minutes) % 60)}`;
}

/** Minutes of `±hhmm` / `±hh:mm`, or undefined beyond ±14:00 or with minutes ≥ 60. */
function parseOffset(text: string): number | undefined {
  const digits = text.replace(':', '');
  const hours = Number(digits.slice(1, 3));
  const mins = Number(digits.slice(3, 5));
  if (hours > 14 || mins >= 60) return undefined;
  return (digits.startsWith('-') ? -1 : 1) * (hours * 60 + mins);
}

/** Epoch ms of local fields, or undefined when a field is out of range (Feb 30, 25h...). */
function fieldsToUtc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number | undefined {
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  const same =
    back.getUTCFullYear() === y &&
    back.getUTCMonth() === mo - 1 &&
    back.getUTCDate() === d &&
    back.getUTCHours() === h &&
    back.getUTCMinutes() === mi &&
    back.getUTCSeconds() === s;
  return same ? ms : undefined;
}

function formatTs(localMs: number, offsetMinutes: number): string {
  const t = new Date(localMs);
  return (
    `${pad(t.getUTCFullYear(), 4)}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}` +
    `${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}${pad(t.getUTCSeconds())}${formatOffset(offsetMinutes)}`
  );
}

/**
 * ISO 8601 date or date-time → HL7 TS. A date stays a date (`YYYYMMDD`). A
 * date-time with a numeric offset keeps its own local time and offset; a UTC
 * (`Z`) instant is written in the local time of `zone`. Fractions of a second
 * are dropped (the CI-SIS asks for the second). Returns undefined when `iso`
 * is not a valid date or date-time with a zone designator.
 */
export function isoToHl7Ts(iso: string, zone: TimeZoneSetting = DEFAULT_TIME_ZONE): string | undefined {
  const date = ISO_DATE.exec(iso);
  if (date) {
    const [, y, mo, d] = date;
    return fieldsToUtc(Number(y), Number(mo), Number(d)) === undefined ? undefined : `${y}${mo}${d}`;
  }
  const m = ISO_DATE_TIME.exec(iso);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, tz] = m;
  const localMs = fieldsToUtc(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s ?? 0));
  if (localMs === undefined || tz === undefined) return undefined;
  if (tz !== 'Z') {
    const offset = parseOffset(tz);
    return offset === undefined ? undefined : formatTs(localMs, offset);
  }
  const offset = zoneOffsetMinutes(localMs, zone);
  return formatTs(localMs + offset * 60_000, offset);
}

function isoInstant(epochMs: number, fraction: string | undefined): string {
  const iso = new Date(epochMs).toISOString();
  return fraction === undefined ? `${iso.slice(0, 19)}Z` : iso;
}

/**
 * HL7 TS → ISO 8601. Dates (`YYYY`, `YYYYMM`, `YYYYMMDD`) become ISO dates;
 * date-times become UTC instants (`2024-01-01T11:00:00Z`). A date-time without
 * offset is read as local time of `zone`. Returns undefined for anything that
 * is not a valid TS (e.g. a three-digit offset).
 */
export function hl7TsToIso(ts: string, zone: TimeZoneSetting = DEFAULT_TIME_ZONE): string | undefined {
  const m = HL7_TS.exec(ts.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const offset = tz === undefined ? undefined : parseOffset(tz);
  if (tz !== undefined && offset === undefined) return undefined;
  if (mo === undefined) return y;
  if (fieldsToUtc(Number(y), Number(mo), Number(d ?? '01')) === undefined) return undefined;
  if (d === undefined) return `${y}-${mo}`;
  if (h === undefined) return `${y}-${mo}-${d}`;
  const localMs = fieldsToUtc(Number(y), Number(mo), Number(d), Number(h), Number(mi ?? 0), Number(s ?? 0));
  if (localMs === undefined) return undefined;
  const fractionMs = frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * 1000);
  if (offset !== undefined) return isoInstant(localMs - offset * 60_000 + fractionMs, frac);
  // Local time without offset: find the instant whose local time in `zone` it is.
  const guess = localMs - zoneOffsetMinutes(localMs, zone) * 60_000;
  const utc = localMs - zoneOffsetMinutes(guess, zone) * 60_000;
  return isoInstant(utc + fractionMs, frac);
}
