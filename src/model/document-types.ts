/**
 * DMP document types and the class each one implies.
 *
 * The DMP accepts a typeCode only from JDV_J66-TypeCode-DMP (LOINC or
 * TRE_A05). The classCode (TRE_A03) is never chosen freely: it follows from
 * the typeCode through the ANS association table. For the DMP that table is
 * ASS_X16-CorrespondanceType-Classe-DMP, which is ASS_X04 restricted to
 * JDV_J66 → JDV_J57 [CI-SIS "Volet partage de documents de santé", XDS
 * metadata classCode/typeCode; DOMAIN.md §3]. The data and its exact sources
 * are in `mappings/terminology/type-class.json`.
 */
import table from '../../mappings/terminology/type-class.json' with { type: 'json' };
import type { Code } from './types.ts';
import { OID } from './vocabulary.ts';

interface TypeRow {
  readonly code: string;
  readonly codeSystem: string;
  readonly displayName: string;
  readonly classCode: string;
}

const CLASS_LABELS: Readonly<Record<string, string>> = table.classes;

const key = (code: string, codeSystem: string): string => `${codeSystem}|${code}`;

const BY_TYPE: ReadonlyMap<string, TypeRow> = new Map(
  (table.types as readonly TypeRow[]).map((row) => [key(row.code, row.codeSystem), row]),
);

/**
 * True when `typeCode` (code + code-system OID) belongs to JDV_J66-TypeCode-DMP.
 * The code system must be the OID (LOINC `2.16.840.1.113883.6.1` or TRE_A05
 * `1.2.250.1.213.1.1.4.12`); FHIR URIs must be turned into OIDs first.
 */
export function isDmpType(typeCode: Code): boolean {
  return BY_TYPE.has(key(typeCode.code, typeCode.codeSystem));
}

/**
 * The TRE_A03 classCode (`1.2.250.1.213.1.1.4.1`, with its label) that
 * ASS_X16 / ASS_X04 assigns to `typeCode`, or undefined when the type is not a
 * DMP type.
 */
export function classCodeForType(typeCode: Code): Code | undefined {
  const row = BY_TYPE.get(key(typeCode.code, typeCode.codeSystem));
  if (!row) return undefined;
  return { code: row.classCode, codeSystem: OID.treA03Class, displayName: CLASS_LABELS[row.classCode] };
}
