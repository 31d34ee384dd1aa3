/**
 * Puts the mapping's values into a canonical Submission (pure), and keeps
 * what the feeding rules match on besides the submission itself: the site
 * whose rules apply, the local unit, its specialty and the local type. The
 * intakes and the dry run both go through here, so what the dry run shows
 * is what the gateway does.
 *
 * A ready-made CDA keeps its document-level codes (typeCode, classCode,
 * practiceSetting, facilityType): it is deposited byte for byte and its
 * header is the truth the DMP compares them with [DOMAIN.md §6]. The
 * submission-set contentTypeCode is mapped for every document kind.
 */
import type { Code, DocumentEntry, Submission } from '../model/types.ts';
import type { MappedValues, MappingResult } from './result.ts';

/** The facts of one document the feeding rules match on (codes and local keys, never patient data). */
export interface FeedingFacts {
  /** FINESS of the geographic site: selects the rules file. */
  readonly site?: string;
  readonly unit?: string;
  readonly unitSpecialty?: Code;
  readonly localType?: string;
}

/** What a submission record keeps of the mapping applied at intake. */
export interface RecordedMapping {
  /** Version of the whole `mappings/` folder in use (its snapshot), when one is loaded. */
  readonly snapshot?: string;
  /** The mapping files applied, each once, with their versions. */
  readonly files: readonly { readonly file: string; readonly version: string }[];
  /** Per document, in the order of the submission's documents. */
  readonly documents: readonly FeedingFacts[];
}

export interface Mapped {
  readonly submission: Submission;
  readonly feeding: readonly FeedingFacts[];
  readonly files: readonly { readonly file: string; readonly version: string }[];
}

function mapDocument(doc: DocumentEntry, values: MappedValues): DocumentEntry {
  if (doc.content.kind === 'cda') return doc;
  return {
    ...doc,
    ...(values.typeCode && values.classCode
      ? { typeCode: values.typeCode, classCode: values.classCode }
      : {}),
    ...(values.practiceSettingCode ? { practiceSettingCode: values.practiceSettingCode } : {}),
    ...(values.healthcareFacilityTypeCode
      ? { healthcareFacilityTypeCode: values.healthcareFacilityTypeCode }
      : {}),
  };
}

/** FINESS of a national structure id `1<FINESS>` (authorInstitution), if it is one. */
function finessOf(structureId: string): string | undefined {
  return /^1\d[\dAB]\d{7}$/.test(structureId) ? structureId.slice(1) : undefined;
}

/** The feeding facts of one document: the mapping's, else the site its author institution names. */
export function feedingFactsOf(values: MappedValues | undefined, doc: DocumentEntry): FeedingFacts {
  const institution = doc.authors[0]?.organisation.id;
  const site = values?.site?.finess ?? (institution === undefined ? undefined : finessOf(institution));
  return {
    ...(site !== undefined && { site }),
    ...(values?.unit !== undefined && { unit: values.unit }),
    ...(values?.unitSpecialty && { unitSpecialty: values.unitSpecialty }),
    ...(values?.localType !== undefined && { localType: values.localType }),
  };
}

/**
 * `submission` with the mapped codes of `results[i]` put into its document i
 * (absent values leave the submission's own); the first result also gives
 * the submission-set contentTypeCode and the site of the VIHF.
 */
export function applyResults(
  submission: Submission,
  results: readonly (MappingResult | undefined)[],
): Mapped {
  const contentType = results[0]?.values.contentTypeCode;
  const vihf = results[0]?.values.vihf;
  const documents = submission.documents.map((doc, i) => {
    const values = results[i]?.values;
    return values ? mapDocument(doc, values) : doc;
  });
  const files = new Map<string, string>();
  for (const r of results) if (r) files.set(r.mapping.file, r.mapping.version);
  return {
    submission: {
      ...submission,
      ...(contentType ? { contentTypeCode: contentType } : {}),
      ...(vihf ? { site: { structureId: vihf.structureId, secteurActivite: vihf.secteurActivite } } : {}),
      documents,
    },
    feeding: documents.map((doc, i) => feedingFactsOf(results[i]?.values, doc)),
    files: [...files].map(([file, version]) => ({ file, version })),
  };
}
