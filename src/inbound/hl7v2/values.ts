/**
 * Checks and conversions of single HL7 v2 values shared by the segment
 * readers: text that must carry no markup, coded values of the volet's
 * coding systems, timestamps, national ids.
 */
import { hl7TsToIso } from '../../cda/time.ts';
import type { IssueCollector } from '../../errors/catalogue.ts';
import { isOid } from '../../model/code-systems.ts';
import { own } from '../../model/own.ts';
import type { Code } from '../../model/types.ts';
import { OID } from '../../model/vocabulary.ts';

/**
 * Values that become XDS or CDA metadata carry no markup: a `<` or `>` in a
 * name, title or code can only be an attempt to inject XML into the deposit
 * (HL7 v2 text has no markup of its own). Reports HL7_DATA_TYPE at `path`.
 */
export function checkPlain(value: string, path: string, what: string, issues: IssueCollector): boolean {
  if (!/[<>]/.test(value)) return true;
  issues.add('HL7_DATA_TYPE', path, `${what} must be plain text: markup characters < and > are not allowed`);
  return false;
}

/** Coding systems of OBX-3.3 / OBR-4.3 for document types [VOLET-HL7 profils-messages.md OBR-4.3: `LN` or `TRE_A05`]. */
const TYPE_CODE_SYSTEMS: Readonly<Record<string, string>> = {
  LN: OID.loinc,
  LOINC: OID.loinc,
  TRE_A05: OID.treA05Type,
  [OID.loinc]: OID.loinc,
  [OID.treA05Type]: OID.treA05Type,
};

/** A document type code from a CE/CWE (`code^label^system`); issues at `path` (components `.1`, `.3`). */
/** The DMP type the establishment's mapping gives a local document type, if it knows the code. */
export type LocalTypes = (code: string) => Code | undefined;

/** The national code system of an HL7 document type coding system (LN, TRE_A05 or their OIDs), if it is one. */
export function nationalTypeSystem(system: string): string | undefined {
  return own(TYPE_CODE_SYSTEMS, system.toUpperCase()) ?? own(TYPE_CODE_SYSTEMS, system);
}

export function typeCode(
  parts: readonly string[],
  path: string,
  issues: IssueCollector,
  required = true,
  localTypes?: LocalTypes,
): Code | undefined {
  const [code = '', label = '', system = ''] = parts;
  if (!code) {
    if (required) issues.add('HL7_REQUIRED_FIELD', `${path}.1`, 'the document type code is missing');
    return undefined;
  }
  if (!/^[A-Za-z0-9._\-/]+$/.test(code)) {
    issues.add('HL7_DATA_TYPE', `${path}.1`, 'a document type code holds letters, digits and . _ - / only');
    return undefined;
  }
  const codeSystem = nationalTypeSystem(system);
  if (!codeSystem) {
    const mapped = localTypes?.(code);
    if (mapped) return mapped;
    issues.add(
      'HL7_TABLE_VALUE',
      `${path}.3`,
      localTypes
        ? `the coding system must be LN (LOINC) or TRE_A05, or the type a local code the mapping knows (${code} is not in its types)`
        : 'the coding system must be LN (LOINC) or TRE_A05',
    );
    return undefined;
  }
  if (label && !checkPlain(label, `${path}.2`, 'the document label', issues)) return undefined;
  return label ? { code, codeSystem, displayName: label } : { code, codeSystem };
}

/** An HL7 TS → ISO 8601 (instant in UTC, or a date); HL7_DATA_TYPE at `path` when not a TS. */
export function instant(value: string, path: string, issues: IssueCollector): string | undefined {
  if (!value) return undefined;
  const iso = hl7TsToIso(value);
  if (iso === undefined)
    issues.add('HL7_DATA_TYPE', path, 'not a valid HL7 timestamp (YYYYMMDD[HHMM[SS]][±ZZZZ])');
  return iso;
}

/** An OID, or HL7_DATA_TYPE at `path`. */
export function oid(value: string, path: string, what: string, issues: IssueCollector): string | undefined {
  if (isOid(value)) return value;
  issues.add('HL7_DATA_TYPE', path, `${what} must be an OID`);
  return undefined;
}

/**
 * National structure id (`1`+FINESS) of an XON organisation number: a
 * 9-character FINESS (PRT-8.7 `FINEG`/`FINEJ`) gets the `1` prefix; an id that
 * already has it (10 characters) is kept [CI-SIS identifiers of structures].
 */
export function structureId(number: string): string | undefined {
  if (/^\d[\dAB]\d{7}$/.test(number)) return `1${number}`;
  if (/^1\d[\dAB]\d{7}$/.test(number)) return number;
  return undefined;
}

/**
 * National person id (`8`+RPPS, `0`+ADELI, or as given for IDNPS) from an
 * XCN id and its type code (PRT-5.13) [CI-SIS identifiers of professionals].
 */
export function personId(id: string, type: string): string | undefined {
  if (type === 'RPPS' && /^\d{11}$/.test(id)) return `8${id}`;
  if (type === 'ADELI' && /^\d{9}$/.test(id)) return `0${id}`;
  if (/^[08]\d{9,11}$/.test(id)) return id;
  return undefined;
}
