/**
 * The ebRIM 3.0 building blocks of XDS metadata (OASIS regrep-rim-3.0;
 * IHE ITI TF-3 §4.2.3 "Metadata attributes"): Slot, Name, Classification,
 * ExternalIdentifier and Association, built as typed XML trees with the
 * `rim:` prefix. Ids of the parts are symbolic (ITI TF-3 §4.2.3.1: any id
 * not starting with `urn:uuid:`), minted in order so output is reproducible.
 */
import type { Author, Code } from '../model/types.ts';
import { OBJECT_TYPE, SLOT, SYSTEM_AUTHOR_SPECIALTY } from '../model/vocabulary.ts';
import { el, type XmlElement } from '../xml/tree.ts';
import { codedValue, xcnPerson, xcnSystem, xon } from './hl7-types.ts';

/** Mints the symbolic ids of one request (`cl1`, `ei1`, `as1`...). */
export interface IdMinter {
  next(prefix: 'cl' | 'ei' | 'as'): string;
}

export function idMinter(): IdMinter {
  const counters = { cl: 0, ei: 0, as: 0 };
  return {
    next(prefix) {
      counters[prefix] += 1;
      return `${prefix}${counters[prefix]}`;
    },
  };
}

/** `rim:Slot` with its values; `undefined` when there is no value (slot left out). */
export function slot(name: string, values: readonly string[]): XmlElement | undefined {
  if (values.length === 0) return undefined;
  return el(
    'rim:Slot',
    { name },
    el(
      'rim:ValueList',
      {},
      values.map((v) => el('rim:Value', {}, v)),
    ),
  );
}

/** `rim:Name` holding one LocalizedString. */
export function rimName(value: string): XmlElement {
  return el('rim:Name', {}, el('rim:LocalizedString', { value }));
}

/**
 * A coded classification [ITI TF-3 §4.2.3.1, coded attributes]: `nodeRepresentation` = code,
 * `codingScheme` slot = code system, Name = display name (the code itself when
 * the code carries no display name).
 */
export function codeClassification(
  ids: IdMinter,
  scheme: string,
  classifiedObject: string,
  code: Code,
): XmlElement {
  return el(
    'rim:Classification',
    {
      classificationScheme: scheme,
      classifiedObject,
      nodeRepresentation: code.code,
      objectType: OBJECT_TYPE.classification,
      id: ids.next('cl'),
    },
    slot(SLOT.codingScheme, [code.codeSystem]),
    rimName(code.displayName ?? code.code),
  );
}

/**
 * The author classification [ITI TF-3 §4.2.3.1.4; CI-SIS author]: empty
 * nodeRepresentation, slots authorPerson (XCN), authorInstitution (XON),
 * authorRole and authorSpecialty (`code^display^system`). A software author's
 * specialty is `AUTOMATE` (DOMAIN.md §3).
 */
export function authorClassification(
  ids: IdMinter,
  scheme: string,
  classifiedObject: string,
  author: Author,
): XmlElement {
  const person = author.kind === 'person' ? xcnPerson(author.person) : xcnSystem(author);
  const role = author.kind === 'person' ? author.role : undefined;
  const specialty = author.kind === 'person' ? author.specialty : SYSTEM_AUTHOR_SPECIALTY;
  return el(
    'rim:Classification',
    {
      classificationScheme: scheme,
      classifiedObject,
      nodeRepresentation: '',
      objectType: OBJECT_TYPE.classification,
      id: ids.next('cl'),
    },
    slot(SLOT.authorPerson, [person]),
    slot(SLOT.authorInstitution, [xon(author.organisation)]),
    slot(SLOT.authorRole, role ? [codedValue(role)] : []),
    slot(SLOT.authorSpecialty, specialty ? [codedValue(specialty)] : []),
  );
}

/** An ExternalIdentifier with its IHE name (e.g. `XDSDocumentEntry.uniqueId`) [ITI TF-3 §4.2.3.2 / §4.2.3.3]. */
export function externalIdentifier(
  ids: IdMinter,
  scheme: string,
  registryObject: string,
  value: string,
  name: string,
): XmlElement {
  return el(
    'rim:ExternalIdentifier',
    {
      identificationScheme: scheme,
      value,
      objectType: OBJECT_TYPE.externalIdentifier,
      id: ids.next('ei'),
      registryObject,
    },
    rimName(name),
  );
}

/** An Association, with optional slots [ITI TF-3 §4.2.2]. */
export function association(
  ids: IdMinter,
  associationType: string,
  sourceObject: string,
  targetObject: string,
  ...slots: (XmlElement | undefined)[]
): XmlElement {
  return el(
    'rim:Association',
    {
      associationType,
      sourceObject,
      targetObject,
      objectType: OBJECT_TYPE.association,
      id: ids.next('as'),
    },
    ...slots,
  );
}
