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
import type { Author, Code, DocumentEntry, Organisation, Submission } from '../model/types.ts';
import type { MappedSite, MappedValues, MappingResult } from './result.ts';

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

/**
 * The mapping's author and site where the message left the gateway's defaults: what names the configured
 * establishment (`fallback`, its structure id: the message named no structure of its own) moves to the
 * mapped site, so the VIHF, the submission set and the document name one site; the gateway's default
 * system author gives way to the mapping's `authorDefaults.system`, and the message's author to the same
 * author completed by `authorDefaults` (role, specialty).
 */
class SiteMove {
  readonly #fallback: string | undefined;
  readonly #site: MappedSite | undefined;
  readonly #author: Author | undefined;

  constructor(fallback: string | undefined, values: MappedValues | undefined) {
    this.#fallback = fallback;
    // A message that names its own structure keeps it: nothing of it is a default to move.
    this.#site = values?.namedStructure === undefined ? values?.site : undefined;
    this.#author = values?.author;
  }

  #mappedAuthor(author: Author): Author {
    const mapped = this.#author;
    if (!mapped) return author;
    if (mapped.kind === 'person')
      return author.kind === 'person' && author.person.id === mapped.person.id ? mapped : author;
    const gatewayDefault =
      author.kind === 'system' &&
      author.organisation.id === this.#fallback &&
      author.id.startsWith(`${this.#fallback}/`);
    return gatewayDefault ? mapped : author;
  }

  organisation(org: Organisation): Organisation {
    const site = this.#site;
    return site && org.id === this.#fallback && !org.idSystem
      ? { id: site.structureId, name: site.name }
      : org;
  }

  author(sent: Author): Author {
    const author = this.#mappedAuthor(sent);
    const organisation = this.organisation(author.organisation);
    if (organisation === author.organisation) return author;
    if (author.kind === 'person') return { ...author, organisation };
    const own = author.id.startsWith(`${this.#fallback}/`);
    const id = own ? `${organisation.id}${author.id.slice(this.#fallback!.length)}` : author.id;
    return { ...author, id, organisation };
  }
}

function mapDocument(doc: DocumentEntry, values: MappedValues, move: SiteMove): DocumentEntry {
  if (doc.content.kind === 'cda') return doc;
  return {
    ...doc,
    authors: doc.authors.map((a) => move.author(a)),
    custodian: move.organisation(doc.custodian),
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
export function finessOf(structureId: string): string | undefined {
  return /^1\d[\dAB]\d{7}$/.test(structureId) ? structureId.slice(1) : undefined;
}

/** The feeding facts of one document: the mapping's, else the site its author institution names. */
export function feedingFactsOf(values: MappedValues | undefined, doc: DocumentEntry): FeedingFacts {
  // The mapped site (the one the message names, when it is a site), else the author institution's FINESS.
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
 * the submission-set contentTypeCode and the site of the VIHF. Authors and
 * custodians naming `establishment` (the configured structure id `1<FINESS>`,
 * the default when the message names none) are moved to the mapped site.
 */
export function applyResults(
  submission: Submission,
  results: readonly (MappingResult | undefined)[],
  establishment?: string,
): Mapped {
  const first = results[0]?.values;
  const contentType = first?.contentTypeCode;
  // The VIHF names the mapped site (the one the message names when it is a site), else (absent) the
  // configured establishment.
  const site: Submission['site'] = first?.vihf && {
    structureId: first.vihf.structureId,
    secteurActivite: first.vihf.secteurActivite,
  };
  const documents = submission.documents.map((doc, i) => {
    const values = results[i]?.values;
    return values ? mapDocument(doc, values, new SiteMove(establishment, values)) : doc;
  });
  const author = new SiteMove(establishment, first).author(submission.author);
  const files = new Map<string, string>();
  for (const r of results) if (r) files.set(r.mapping.file, r.mapping.version);
  return {
    submission: {
      ...submission,
      author,
      ...(contentType ? { contentTypeCode: contentType } : {}),
      ...(site ? { site } : {}),
      documents,
    },
    feeding: documents.map((doc, i) => feedingFactsOf(results[i]?.values, doc)),
    files: [...files].map(([file, version]) => ({ file, version })),
  };
}
