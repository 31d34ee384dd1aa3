/**
 * The CI-SIS CDA R2 level 1 ("N1", non structuré) wrapper: an unstructured
 * document (PDF, text, JPEG, RTF, TIFF) inside a CDA header built from the
 * canonical model, body `nonXMLBody/text representation="B64"` [DOMAIN.md §6;
 * CI-SIS "Structuration minimale des documents de santé"; IHE XDS-SD; corpus
 * example cda/DOC_NON_STRUCTURE_CDA-R2-N1.xml].
 */
import { GatewayError, IssueCollector } from '../errors/catalogue.ts';
import type { Author, DocumentEntry, Person, Submission } from '../model/types.ts';
import { CDA_N1_TEMPLATE_IDS, CDA_TYPE_ID, NS } from '../model/vocabulary.ts';
import { el, serialize } from '../xml/tree.ts';
import { n1FormatCode, normaliseMediaType } from './format-codes.ts';
import {
  author,
  cd,
  componentOf,
  confidentialityCode,
  custodian,
  documentationOf,
  ii,
  legalAuthenticator,
  recordTarget,
  replaces,
} from './header-parts.ts';
import { isoToHl7Ts, type TimeZoneSetting } from './time.ts';

export interface WrapN1Options {
  /** Zone of the local times written in the header (default Europe/Paris). */
  readonly timeZone?: TimeZoneSetting;
}

/**
 * The legal authenticator written when the model has none: the CI-SIS header
 * requires one (FrClinicalDocument `legalAuthenticator 1..1`, "professionnel
 * ou patient/usager ou système responsable du document"), so the first author
 * is taken; a software author is named by its software name, as the corpus
 * example CNAM-HR_2021.01 does for a system.
 */
export function defaultLegalAuthenticator(first: Author): Person {
  if (first.kind === 'person') return first.person;
  return {
    id: first.id,
    ...(first.idSystem !== undefined && { idSystem: first.idSystem }),
    familyName: first.name,
  };
}

interface HeaderTimes {
  readonly creation: string;
  readonly start?: string;
  readonly stop?: string;
  readonly legal?: string;
}

/** Converts every header time at once; INVALID_INPUT lists each bad field. */
function headerTimes(document: DocumentEntry, zone: TimeZoneSetting | undefined): HeaderTimes {
  const issues = new IssueCollector();
  const convert = (value: string | undefined, field: string): string | undefined => {
    if (value === undefined) return undefined;
    const ts = isoToHl7Ts(value, zone);
    if (ts === undefined)
      issues.add('INVALID_INPUT', `DocumentEntry.${field}`, 'not an ISO 8601 date or date-time with zone');
    return ts;
  };
  const creation = convert(document.creationTime, 'creationTime');
  const start = convert(document.serviceStartTime, 'serviceStartTime');
  const stop = convert(document.serviceStopTime, 'serviceStopTime');
  const legal = convert(document.legalAuthenticator?.time, 'legalAuthenticator.time');
  issues.throwIfAny();
  return { creation: creation as string, start, stop, legal };
}

function unsupported(message: string): GatewayError {
  return new GatewayError('UNSUPPORTED_CONTENT', [
    { code: 'UNSUPPORTED_CONTENT', path: 'DocumentEntry.content', message },
  ]);
}

/**
 * Wraps `document` (content kind `unstructured`) as a CI-SIS N1 CDA and returns
 * its UTF-8 bytes. Throws UNSUPPORTED_CONTENT for a ready-made CDA or a media
 * type other than PDF, text, JPEG, RTF, TIFF; INVALID_INPUT for unreadable times.
 * Authors default to the submission author; a missing legal authenticator to
 * {@link defaultLegalAuthenticator}.
 */
export function wrapN1(
  submission: Submission,
  document: DocumentEntry,
  options: WrapN1Options = {},
): Uint8Array {
  const content = document.content;
  if (content.kind !== 'unstructured') throw unsupported('a ready-made CDA is passed through, not wrapped');
  const mediaType = normaliseMediaType(content.mediaType);
  if (n1FormatCode(mediaType) === undefined) {
    throw unsupported('only PDF, text, JPEG, RTF and TIFF documents can be wrapped as CDA N1');
  }
  const times = headerTimes(document, options.timeZone);
  const authors = document.authors.length > 0 ? document.authors : [submission.author];
  const firstAuthor = authors[0] as Author;
  const legal = document.legalAuthenticator ?? defaultLegalAuthenticator(firstAuthor);

  const root = el(
    'ClinicalDocument',
    { xmlns: NS.hl7v3 },
    el('realmCode', { code: 'FR' }),
    el('typeId', { root: CDA_TYPE_ID.root, extension: CDA_TYPE_ID.extension }),
    CDA_N1_TEMPLATE_IDS.map((root) => el('templateId', { root })),
    ii('id', document.id),
    cd('code', document.typeCode),
    el('title', {}, document.title),
    el('effectiveTime', { value: times.creation }),
    confidentialityCode(document.confidentiality),
    el('languageCode', { code: document.languageCode }),
    ii('setId', document.setId),
    el('versionNumber', { value: document.versionNumber }),
    recordTarget(submission.patient),
    authors.map((a) => author(a, times.creation)),
    custodian(document.custodian),
    legalAuthenticator(legal, times.legal ?? times.creation),
    documentationOf({
      eventCodes: document.eventCodes,
      start: times.start,
      stop: times.stop,
      performer: firstAuthor,
      practiceSetting: document.practiceSettingCode,
    }),
    document.replaces !== undefined && replaces(document.replaces.cdaId),
    componentOf(times.start, times.stop, document.healthcareFacilityTypeCode),
    el(
      'component',
      {},
      el(
        'nonXMLBody',
        {},
        el('text', { mediaType, representation: 'B64' }, Buffer.from(content.bytes).toString('base64')),
      ),
    ),
  );
  return new TextEncoder().encode(serialize(root, { declaration: true }));
}
