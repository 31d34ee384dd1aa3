/**
 * PRT with PRT-4 `SB` (send by) → the submission-set author [VOLET-HL7
 * profils-messages.md "Segment PRT (Conditionnel) Participation Information
 * Expéditeur"; mapping.md "Lot de soumission" authorPerson = PRT-5,
 * authorInstitution = PRT-8]: a professional (PRT-5 XCN: id, family name,
 * given name, assigning authority `1.2.250.1.71.4.2.1`, id type `RPPS`/
 * `IDNPS`/`ADELI`) or a device (PRT-10 EI), attached to the organisation of
 * PRT-8 (XON: name, id type `FINEG`/`FINEJ`, organisation number = FINESS).
 * The volet requires this segment when the document goes to the DMP.
 */
import type { Config } from '../../config/schema.ts';
import type { IssueCollector } from '../../errors/catalogue.ts';
import type { Author, Organisation } from '../../model/types.ts';
import { OID } from '../../model/vocabulary.ts';
import { all, componentsOf, type Hl7Message, leaf, path, repetitions, type Segment } from './message.ts';
import { checkPlain, personId, structureId } from './values.ts';

/** The first PRT whose PRT-4.1 is `SB`. */
export function senderSegment(msg: Hl7Message): Segment | undefined {
  return all(msg, 'PRT').find((s) => leaf(msg, repetitions(msg, s, 4)[0]) === 'SB');
}

function organisation(
  msg: Hl7Message,
  prt: Segment,
  fallback: Organisation,
  issues: IssueCollector,
): Organisation {
  const raw = repetitions(msg, prt, 8)[0];
  if (raw === undefined) return fallback;
  const parts = componentsOf(msg, raw);
  const name = parts[0] ?? '';
  const number = parts[9] ?? '';
  const authority = leaf(msg, raw, 6, 2);
  const id =
    structureId(number) ?? (authority === OID.structureId && /^[1-4]\w+$/.test(number) ? number : undefined);
  if (!id) {
    issues.add(
      'HL7_DATA_TYPE',
      path(prt, 8, 10),
      'the organisation number must be a FINESS (PRT-8.7 FINEG or FINEJ) or a national structure id',
    );
    return fallback;
  }
  if (!checkPlain(name, path(prt, 8, 1), 'the organisation name', issues)) return fallback;
  return { id, name: name || fallback.name };
}

/**
 * The author of the submission set from the `SB` PRT. When there is none:
 * HL7_SEGMENT_SEQUENCE if the document goes to the DMP (`required`), else
 * the gateway itself as a system author of the configured site.
 */
export function readSender(
  msg: Hl7Message,
  config: Pick<Config, 'establishment' | 'software'>,
  required: boolean,
  issues: IssueCollector,
): Author | undefined {
  const site: Organisation = { id: `1${config.establishment.finess}`, name: config.establishment.name };
  const gateway: Author = {
    kind: 'system',
    id: `${site.id}/${config.software.name}`,
    name: config.software.name,
    model: config.software.version,
    organisation: site,
  };
  const prt = senderSegment(msg);
  if (!prt) {
    if (required)
      issues.add(
        'HL7_SEGMENT_SEQUENCE',
        'PRT',
        'the PRT segment with PRT-4 = SB (sender) is required for the DMP',
      );
    return required ? undefined : gateway;
  }
  const org = organisation(msg, prt, site, issues);
  const person = repetitions(msg, prt, 5)[0];
  const device = repetitions(msg, prt, 10)[0];
  if (person !== undefined) {
    const parts = componentsOf(msg, person);
    const id = personId(parts[0] ?? '', parts[12] ?? '');
    const authority = leaf(msg, person, 9, 2);
    if (!id)
      issues.add('HL7_DATA_TYPE', path(prt, 5, 1), 'the sender id must be an RPPS, ADELI or national id');
    if (authority && authority !== OID.personId) {
      issues.add('HL7_TABLE_VALUE', path(prt, 5, 9), `the assigning authority must be ${OID.personId}`);
    }
    const family = parts[1] ?? '';
    if (!family) issues.add('HL7_REQUIRED_FIELD', path(prt, 5, 2), 'the sender family name is missing');
    checkPlain(family, path(prt, 5, 2), 'the sender name', issues);
    checkPlain(parts[2] ?? '', path(prt, 5, 3), 'the sender name', issues);
    if (!id || !family) return undefined;
    const given = parts[2] || undefined;
    const prefix = parts[5] || undefined;
    return {
      kind: 'person',
      person: { id, familyName: family, ...(given && { givenName: given }), ...(prefix && { prefix }) },
      organisation: org,
    };
  }
  if (device !== undefined) {
    const [local = '', namespace = ''] = componentsOf(msg, device);
    if (!/^[\w.\-/]+$/.test(local)) {
      issues.add('HL7_DATA_TYPE', path(prt, 10, 1), 'the device id holds letters, digits and . _ - / only');
      return undefined;
    }
    if (!checkPlain(namespace, path(prt, 10, 2), 'the device name', issues)) return undefined;
    return {
      kind: 'system',
      id: `${org.id}/${local}`,
      name: namespace || local,
      model: local,
      organisation: org,
    };
  }
  issues.add(
    'HL7_REQUIRED_FIELD',
    path(prt, 5),
    'the sender is neither a person (PRT-5) nor a device (PRT-10)',
  );
  return undefined;
}
