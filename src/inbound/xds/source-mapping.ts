/**
 * The per-source mapping of an XDS source (hook of the ITI-41 recipient):
 * local codes → CI-SIS codes for the coded metadata a hospital system often
 * sends in its own terminology, and the geographic site (FINESS) the source
 * belongs to. Pure; loaded from the configuration (`xds.sources`, see
 * ./config.ts). A later issue generalises mappings to every door
 * (ARCHITECTURE.md `mappings/`); this interface stays small on purpose.
 */
import type { Code, Organisation } from '../../model/types.ts';

/** The coded attributes a source mapping may translate (DOMAIN.md §2–§3). */
export type MappedAttribute =
  | 'typeCode'
  | 'practiceSettingCode'
  | 'healthcareFacilityTypeCode'
  | 'contentTypeCode';

/** One translation: the source's code (code + coding scheme as sent) → the CI-SIS code. */
export interface CodeMapping {
  readonly from: { readonly code: string; readonly codeSystem: string };
  readonly to: Code;
}

/** The mapping of one XDS source, chosen by the sourceId of its submission sets. */
export interface XdsSourceMapping {
  /** `XDSSubmissionSet.sourceId` (OID) of the source system. */
  readonly sourceId: string;
  /**
   * The geographic site of the source: its FINESS (9 characters) and name. It
   * becomes the author institution when the source names its institution
   * without a national structure id, and the custodian of wrapped (N1)
   * documents. Default: the establishment of the configuration.
   */
  readonly site?: { readonly finess: string; readonly name: string };
  /** Code translations by attribute; a code without a row is kept as sent. */
  readonly codes?: Readonly<Partial<Record<MappedAttribute, readonly CodeMapping[]>>>;
}

/** The mapping of `sourceId`, if one is configured. */
export function mappingFor(
  mappings: readonly XdsSourceMapping[],
  sourceId: string | undefined,
): XdsSourceMapping | undefined {
  return sourceId === undefined ? undefined : mappings.find((m) => m.sourceId === sourceId);
}

/** `code` translated by the mapping of `attribute`, or `code` itself when no row matches. */
export function mapCode(mapping: XdsSourceMapping | undefined, attribute: MappedAttribute, code: Code): Code {
  const row = mapping?.codes?.[attribute]?.find(
    (r) => r.from.code === code.code && r.from.codeSystem === code.codeSystem,
  );
  return row ? row.to : code;
}

/** The site organisation (`1`+FINESS) of the source, else of the establishment. */
export function siteOf(
  mapping: XdsSourceMapping | undefined,
  establishment: { readonly finess: string; readonly name: string },
): Organisation {
  const site = mapping?.site ?? establishment;
  return { id: `1${site.finess}`, name: site.name };
}
