/**
 * SourceFacts: the wire-independent facts an intake extracts from a message
 * for the mappings (and, through them, the feeding rules). Every value comes
 * with the path of the field it was read from, in the sender's own notation,
 * so each XDS metadata value can be traced back (lineage).
 *
 * What each intake should put here (paths are examples):
 *
 * | fact | HL7 v2 (VOLET-HL7) | FHIR DocumentReference (PDSm) | ready-made CDA |
 * |---|---|---|---|
 * | application | `MSH-3.1` | the client's name (HTTP auth) | the client's name |
 * | facility | `MSH-4.1`, else `PV1-3.4` | `DocumentReference.custodian` identifier | `ClinicalDocument/custodian/.../id/@extension` |
 * | documentType | `OBX[1]-3.1` (+ `.3` system) | `DocumentReference.type.coding[0]` | `ClinicalDocument/code` |
 * | unit | `PV1-3.1` (point of care), else `PV1-10` | `DocumentReference.context.practiceSetting` local coding | `.../serviceEvent/performer/.../representedOrganization/id` |
 * | visitClass | `PV1-2` | `Encounter.class.code` | `componentOf/encompassingEncounter/code` |
 * | practiceSetting | – | `DocumentReference.context.practiceSetting` (national) | `.../standardIndustryClassCode` |
 * | facilityType | – | `DocumentReference.context.facilityType` | `.../healthCareFacility/code` |
 * | contentType | – | SubmissionSet `List.code` | – |
 * | author | `PRT-5` (PRT-4 = `SB`) | `DocumentReference.author` | `ClinicalDocument/author` |
 *
 * Local values (a type `CRH`, a unit `CARDIO`) are given as sent; national
 * values (LOINC, TRE_*) too, with their code-system OID. The mapping turns
 * the former into the latter (apply.ts); national values pass through.
 */
import type { Author, Code } from '../model/types.ts';

/** A value and where it was read in the sender's message (`OBX[1]-3.1`, `DocumentReference.type.coding[0]`...). */
export interface Sourced<T> {
  readonly value: T;
  readonly path: string;
}

/** A code as sent: local (no or a local system) or national (an OID system). */
export interface SourceCode {
  readonly code: string;
  /** OID of the code system when national (LOINC, TRE_A05...); the sender's local system name, or undefined. */
  readonly codeSystem?: string;
  readonly displayName?: string;
}

export interface SourceFacts {
  /** Sender format, for the reader of lineage. */
  readonly format: 'hl7v2' | 'fhir' | 'xds' | 'cda';
  /** Sending application: selects the mapping (`appliesTo.applications`). */
  readonly application?: Sourced<string>;
  /** Local facility code: selects the mapping (`appliesTo.facilities`) and the site (`facilities`). */
  readonly facility?: Sourced<string>;
  /** Document type as sent (local or JDV_J66). */
  readonly documentType?: Sourced<SourceCode>;
  /**
   * The sender's own type code beside a document whose type is fixed by its header (an HL7 OBX-3 in a
   * local coding system carrying a ready-made CDA): it does not change the type; the rules see it.
   */
  readonly localType?: Sourced<string>;
  /** Local unit / service code (`units`). */
  readonly unit?: Sourced<string>;
  /** Visit class (`visitClasses`), e.g. HL7 PV1-2 `I`, `O`, `E`. */
  readonly visitClass?: Sourced<string>;
  /** National values the sender already gives; a mapping entry for the local value wins over them. */
  readonly practiceSetting?: Sourced<Code>;
  readonly facilityType?: Sourced<Code>;
  readonly contentType?: Sourced<Code>;
  /**
   * The structure (`1`+FINESS) the message names for its author (HL7 PRT-8): the site when it is one of
   * the mapping's facilities, before the unit and the facility codes.
   */
  readonly structure?: Sourced<string>;
  /** The author the message names, when it names one. */
  readonly author?: Sourced<Author>;
  /**
   * The document carries its own metadata (a ready-made CDA, deposited byte
   * for byte): typeCode, practiceSetting and facilityType stay as in its
   * header; the mapping still gives the site, VIHF and contentTypeCode.
   */
  readonly documentCodesFixed?: boolean;
}
