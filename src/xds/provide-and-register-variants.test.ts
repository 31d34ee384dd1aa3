import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/catalogue.ts';
import { ASSOCIATION, OID } from '../model/vocabulary.ts';
import { serialize } from '../xml/tree.ts';
import {
  codesIn,
  DE,
  enc,
  newDocumentInput,
  objectById,
  replacementInput,
  sha1,
} from './deposit-fixtures.ts';
import { classificationsIn, readProvideAndRegister, slotValues } from './ebrim-reader.ts';
import { buildProvideAndRegister } from './provide-and-register.ts';

describe('buildProvideAndRegister: variant specifics', () => {
  it('new document: all optional slots, IPP source id, confidentiality N first then every flag', () => {
    const input = newDocumentInput();
    const parsed = readProvideAndRegister(serialize(buildProvideAndRegister(input)));
    const doc = objectById(parsed, input.documents[0]!.entry.entryUUID);
    expect(codesIn(doc, DE.confidentialityCode).map((c) => [c.code, c.system])).toEqual([
      ['N', OID.hl7Confidentiality],
      ['MASQUE_PS', OID.treA07Visibility],
      ['INVISIBLE_PATIENT', OID.treA07Visibility],
      ['INVISIBLE_REPRESENTANTS_LEGAUX', OID.treA07Visibility],
    ]);
    expect(slotValues(doc, 'sourcePatientId')).toEqual(['000003^^^&1.2.250.1.999.1.1.1&ISO^PI']);
    expect(slotValues(doc, 'sourcePatientInfo')).toEqual([
      'PID-5|PAT-TROIS^DOMINIQUE^^^^^L',
      'PID-5|MARTIN^DOMINIQUE^^^^^D',
      'PID-7|19790328',
      'PID-8|F',
    ]);
    expect(slotValues(doc, 'legalAuthenticator')).toEqual([
      "810001234567^D'ARC\\S\\X^Jeanne^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS",
    ]);
    expect(slotValues(doc, 'serviceStartTime')).toEqual(['20240305070000']);
    expect(slotValues(doc, 'serviceStopTime')).toEqual(['20240305093000']);
    expect(slotValues(doc, 'urn:ihe:iti:xds:2013:referenceIdList')).toEqual(
      input.documents[0]!.entry.referenceIds,
    );
    expect(codesIn(doc, DE.eventCodeList)).toEqual([
      { code: 'C50', system: '2.16.840.1.113883.6.3', name: 'Tumeur maligne du sein' },
    ]);
    const [author] = classificationsIn(doc, DE.author);
    expect(slotValues(author!, 'authorRole')).toEqual(['RESP^Responsable^1.2.250.1.213.1.1.4.287']);
    expect(slotValues(author!, 'authorSpecialty')).toEqual([
      'G15_10/SM26^Médecine générale^1.2.250.1.213.1.1.4.5',
    ]);
    expect(parsed.associations.some((a) => a.associationType === ASSOCIATION.replace)).toBe(false);
  });

  it('replacement: RPLC new → old, system author, optional slots absent', () => {
    const input = replacementInput();
    const parsed = readProvideAndRegister(serialize(buildProvideAndRegister(input)));
    const entry = input.documents[0]!.entry;
    const doc = objectById(parsed, entry.entryUUID);
    const rplc = parsed.associations.filter((a) => a.associationType === ASSOCIATION.replace);
    expect(rplc.map((a) => [a.sourceObject, a.targetObject, a.slots.length])).toEqual([
      [entry.entryUUID, entry.replaces?.entryUUID, 0],
    ]);
    expect(codesIn(doc, DE.confidentialityCode).map((c) => c.code)).toEqual(['N']);
    for (const name of [
      'legalAuthenticator',
      'serviceStartTime',
      'serviceStopTime',
      'urn:ihe:iti:xds:2013:referenceIdList',
    ]) {
      expect(slotValues(doc, name)).toEqual([]);
    }
    expect(classificationsIn(doc, DE.eventCodeList)).toEqual([]);
    expect(slotValues(doc, 'sourcePatientId')).toEqual([`279035121518989^^^&${OID.insNirTest}&ISO^NH`]);
    const [author] = classificationsIn(doc, DE.author);
    expect(slotValues(author!, 'authorPerson')).toEqual([
      '31750100125/PFI^PFI^Gateway 1.0^^^^^^&1.2.250.1.71.4.2.1&ISO^U^^^RI',
    ]);
    expect(slotValues(author!, 'authorSpecialty')).toEqual(['AUTOMATE^Automate^1.2.250.1.213.1.1.4.6']);
    expect(slotValues(author!, 'authorRole')).toEqual([]);
    const sig = objectById(parsed, input.signature.entryUUID);
    expect(slotValues(sig, 'legalAuthenticator')).toEqual(slotValues(author!, 'authorPerson'));
    expect(objectById(parsed, input.submission.entryUUID).name).toBeUndefined();
  });

  it('refuses a replacement whose predecessor entryUUID is unknown', () => {
    const input = replacementInput();
    const entry = input.documents[0]!.entry;
    const withoutUuid = {
      ...entry,
      replaces: { uniqueId: entry.replaces!.uniqueId, cdaId: entry.replaces!.cdaId },
    };
    expect(() =>
      buildProvideAndRegister({ ...input, documents: [{ ...input.documents[0]!, entry: withoutUuid }] }),
    ).toThrow(/entryUUID.*ITI-18/);
  });

  it('refuses a CDA id with an extension (the DMP rejects OID^ext)', () => {
    const input = newDocumentInput();
    const entry = { ...input.documents[0]!.entry, id: { root: '1.2.250.1.999', extension: '42' } };
    expect(() =>
      buildProvideAndRegister({ ...input, documents: [{ ...input.documents[0]!, entry }] }),
    ).toThrow(GatewayError);
  });

  it('refuses a deposit without a document', () => {
    expect(() => buildProvideAndRegister({ ...newDocumentInput(), documents: [] })).toThrow(
      /at least one document/,
    );
  });

  it('hash and size follow the bytes actually sent, not the entry content', () => {
    const input = newDocumentInput();
    const other = enc.encode('<ClinicalDocument xmlns="urn:hl7-org:v3"/>');
    const parsed = readProvideAndRegister(
      serialize(buildProvideAndRegister({ ...input, documents: [{ ...input.documents[0]!, bytes: other }] })),
    );
    const doc = objectById(parsed, input.documents[0]!.entry.entryUUID);
    expect(slotValues(doc, 'hash')).toEqual([sha1(other)]);
    expect(slotValues(doc, 'size')).toEqual([String(other.length)]);
  });
});
