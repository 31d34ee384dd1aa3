/**
 * XDS author classifications → canonical authors (ITI TF-3 §4.2.3.1.4;
 * CI-SIS author: DOMAIN.md §3). authorPerson is an XCN: a health
 * professional `8<RPPS>^NOM^Prénom^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS`,
 * or a software `<id>^name^model^^^^^^&<oid>&ISO^U^^^RI` (authorSpecialty
 * `AUTOMATE`). authorInstitution is an XON carrying the national structure
 * id (`1`+FINESS); an institution named without one is the source's site
 * (the source mapping's FINESS, else the establishment's).
 */
import type { Author, Code, Organisation, Person } from '../../model/types.ts';
import { OID, SLOT, SYSTEM_AUTHOR_SPECIALTY } from '../../model/vocabulary.ts';
import { classificationsIn, type RimClassification, slotValues } from '../../xds/ebrim-reader.ts';
import { parseCodedValue, parseXcn, parseXon, type Xcn } from '../../xds/hl7-read.ts';
import type { ObjectReader } from './rim-reader.ts';

function authorPart(scheme: string, c: RimClassification, index: number): string {
  return c.id
    ? `Classification[@id='${c.id}']`
    : `Classification[@classificationScheme='${scheme}'][${index + 1}]`;
}

/** The institution: XON with a national structure id, else the site. */
function institution(values: readonly string[], site: Organisation): Organisation {
  for (const value of values) {
    const xon = parseXon(value);
    if (xon.id && xon.idSystem === OID.structureId) return { id: xon.id, name: xon.name ?? site.name };
  }
  return site;
}

/** Coded values of `slot` (`code^display^OID`); each unreadable one is reported. */
function readCoded(reader: ObjectReader, c: RimClassification, where: string, slot: string): Code[] {
  return slotValues(c, slot).flatMap((value) => {
    const code = parseCodedValue(value);
    if (!code) reader.fail(`${where}/Slot[@name='${slot}']`, 'must be code^display^OID (CI-SIS)');
    return code ?? [];
  });
}

function isSystem(xcn: Xcn, specialties: readonly Code[]): boolean {
  return (
    xcn.idType === 'RI' ||
    xcn.nameType === 'U' ||
    specialties.some(
      (s) => s.code === SYSTEM_AUTHOR_SPECIALTY.code && s.codeSystem === SYSTEM_AUTHOR_SPECIALTY.codeSystem,
    )
  );
}

/** One author classification; undefined (with errors) when it cannot be read. */
function readAuthor(
  reader: ObjectReader,
  c: RimClassification,
  where: string,
  site: Organisation,
): Author | undefined {
  const personSlot = `${where}/Slot[@name='${SLOT.authorPerson}']`;
  const xcnValue = slotValues(c, SLOT.authorPerson)[0];
  const roles = readCoded(reader, c, where, SLOT.authorRole);
  const specialties = readCoded(reader, c, where, SLOT.authorSpecialty);
  const organisation = institution(slotValues(c, SLOT.authorInstitution), site);
  if (!xcnValue) {
    reader.fail(personSlot, 'is required (CI-SIS: the author is a health professional or a software)');
    return undefined;
  }
  const xcn = parseXcn(xcnValue);
  if (!xcn.id || !xcn.idSystem) {
    reader.fail(personSlot, 'needs an id with its assigning authority (XCN-1 and XCN-9 &<OID>&ISO)');
    return undefined;
  }
  if (isSystem(xcn, specialties)) {
    if (!xcn.familyName) {
      reader.fail(personSlot, 'a software author needs its name (XCN-2)');
      return undefined;
    }
    return {
      kind: 'system',
      id: xcn.id,
      idSystem: xcn.idSystem,
      name: xcn.familyName,
      model: xcn.givenName ?? '',
      organisation,
    };
  }
  if (xcn.idSystem !== OID.personId) {
    reader.fail(personSlot, `must identify the professional by a national id (authority ${OID.personId})`);
    return undefined;
  }
  if (!xcn.familyName) {
    reader.fail(personSlot, 'needs the family name (XCN-2)');
    return undefined;
  }
  const person: Person = {
    id: xcn.id,
    idSystem: xcn.idSystem,
    familyName: xcn.familyName,
    ...(xcn.givenName ? { givenName: xcn.givenName } : {}),
    ...(xcn.prefix ? { prefix: xcn.prefix } : {}),
  };
  return {
    kind: 'person',
    person,
    ...(roles[0] ? { role: roles[0] } : {}),
    ...(specialties[0] ? { specialty: specialties[0] } : {}),
    organisation,
  };
}

/** Every author of `scheme` on the reader's object; at least one is required (CI-SIS). */
export function readAuthors(reader: ObjectReader, scheme: string, site: Organisation): Author[] {
  const found = classificationsIn(reader.object, scheme);
  if (found.length === 0) {
    reader.fail(`Classification[@classificationScheme='${scheme}']`, 'is required');
    return [];
  }
  return found.flatMap((c, i) => readAuthor(reader, c, authorPart(scheme, c, i), site) ?? []);
}

/** legalAuthenticator (XCN of a professional with a national id), when the slot is present. */
export function readLegalAuthenticator(reader: ObjectReader): Person | undefined {
  const value = reader.slot(SLOT.legalAuthenticator, false);
  if (value === undefined) return undefined;
  const xcn = parseXcn(value);
  if (!xcn.id || xcn.idSystem !== OID.personId || !xcn.familyName) {
    reader.fail(
      `Slot[@name='${SLOT.legalAuthenticator}']`,
      `must be an XCN with a national id (authority ${OID.personId}) and a family name`,
    );
    return undefined;
  }
  return {
    id: xcn.id,
    idSystem: xcn.idSystem,
    familyName: xcn.familyName,
    ...(xcn.givenName ? { givenName: xcn.givenName } : {}),
  };
}
