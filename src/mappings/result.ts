/**
 * What applying a mapping yields (apply.ts): the metadata values it decides
 * and, for each, its lineage: the source field and the mapping entry it
 * came from.
 */
import type { Issue } from '../errors/catalogue.ts';
import type { Author, Code } from '../model/types.ts';

/** The site (geographic establishment) a document is attributed to. */
export interface MappedSite {
  /** Key in the mapping's `facilities`. */
  readonly key: string;
  readonly finess: string;
  readonly name: string;
  /** National structure id `1<FINESS>`: authorInstitution, custodian, VIHF Identifiant_Structure. */
  readonly structureId: string;
}

/** The values a mapping decides; absent ones are left to the caller. */
export interface MappedValues {
  readonly typeCode?: Code;
  /** TRE_A03, derived from typeCode by ASS_X16, never mapped on its own. */
  readonly classCode?: Code;
  readonly practiceSettingCode?: Code;
  readonly healthcareFacilityTypeCode?: Code;
  /** Submission-set contentTypeCode (1.2.250.1.213.2.2). */
  readonly contentTypeCode?: Code;
  readonly site?: MappedSite;
  /** A site of the mapping the message named itself (SourceFacts.structure): its author is not moved. */
  readonly namedStructure?: string;
  /** VIHF structure attributes [DOMAIN.md §5]: Identifiant_Structure, Secteur_Activite. */
  readonly vihf?: { readonly structureId: string; readonly secteurActivite: Code };
  /** Set only when the mapping's authorDefaults supplied or completed the author. */
  readonly author?: Author;
  /** Facts the feeding rules match on: the local unit, its specialty, the local type as sent. */
  readonly unit?: string;
  readonly unitSpecialty?: Code;
  readonly localType?: string;
}

/** Where one metadata value came from. */
export interface LineageEntry {
  /** Metadata name: `typeCode`, `practiceSettingCode`, `VIHF Secteur_Activite`... */
  readonly field: string;
  readonly value: string;
  /** Field of the sender's message (`OBX[1]-3.1`), or `(not in the message)`. */
  readonly source: string;
  /** Mapping entry `mappings/chu-demo.yaml:types.CRH`, or the national table used (`ASS_X16`). */
  readonly rule?: string;
  /** Line of the mapping entry. */
  readonly line?: number;
}

export interface MappingResult {
  readonly values: MappedValues;
  readonly lineage: readonly LineageEntry[];
  /** Problems located in the sender's message (e.g. a local type the mapping does not know). */
  readonly issues: readonly Issue[];
  /** File and version of the mapping applied (to record on the submission). */
  readonly mapping: { readonly file: string; readonly version: string };
}

/** `typeCode = 11490-0 ← OBX[1]-3.1 via mappings/chu-x.yaml:types.CRH (line 12)`. */
export function formatLineage(entry: LineageEntry): string {
  const via = entry.rule ? ` via ${entry.rule}${entry.line ? ` (line ${entry.line})` : ''}` : '';
  return `${entry.field} = ${entry.value} ← ${entry.source}${via}`;
}
