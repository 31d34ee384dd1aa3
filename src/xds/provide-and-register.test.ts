import { describe, expect, it } from 'vitest';
import { SCHEMA, xsdErrors } from '../../test/support/xsd.ts';
import { ASSOCIATION, OID } from '../model/vocabulary.ts';
import { serialize } from '../xml/tree.ts';
import { codesIn, DE, newDocumentInput, objectById, replacementInput, SS, sha1 } from './deposit-fixtures.ts';
import { classificationsIn, externalId, readProvideAndRegister, slotValues } from './ebrim-reader.ts';
import { buildProvideAndRegister } from './provide-and-register.ts';

const CODED_SCHEMES = [
  DE.classCode,
  DE.confidentialityCode,
  DE.formatCode,
  DE.healthcareFacilityTypeCode,
  DE.practiceSettingCode,
  DE.typeCode,
];

describe.each([
  ['new document, person author', newDocumentInput],
  ['replacement, system author', replacementInput],
])('buildProvideAndRegister (%s)', (_label, makeInput) => {
  const input = makeInput();
  const inlineXml = serialize(buildProvideAndRegister(input, { inline: true }), { declaration: true });
  const mtomXml = serialize(buildProvideAndRegister(input), { declaration: true });
  const parsed = readProvideAndRegister(mtomXml);
  const doc = input.documents[0]!;
  const docEntry = objectById(parsed, doc.entry.entryUUID);
  const sigEntry = objectById(parsed, input.signature.entryUUID);
  const ssId = input.submission.entryUUID;

  it('validates against the XDS.b repository schema (inline form)', () => {
    expect(xsdErrors(inlineXml, SCHEMA.xdsRepository)).toEqual([]);
  });

  it('MTOM form: the schema only objects to xop:Include inside xds:Document (base64Binary)', () => {
    const errors = xsdErrors(mtomXml, SCHEMA.xdsRepository).filter((l) => !l.endsWith('fails to validate'));
    expect(errors).toHaveLength(input.documents.length + 1);
    for (const line of errors)
      expect(line).toMatch(/Element '\{urn:ihe:iti:xds-b:2007\}Document': Element content is not allowed/);
  });

  it('MTOM form: one xds:Document per entry, each an xop:Include of its cid', () => {
    expect(parsed.documents).toEqual([
      { id: doc.entry.entryUUID, href: `cid:${doc.contentId}`, base64: undefined },
      { id: input.signature.entryUUID, href: `cid:${input.signature.contentId}`, base64: undefined },
    ]);
  });

  it('inline form: the base64 decodes to the exact bytes', () => {
    const inline = readProvideAndRegister(inlineXml).documents;
    expect(inline.map((d) => d.id)).toEqual([doc.entry.entryUUID, input.signature.entryUUID]);
    expect(Buffer.from(inline[0]!.base64!, 'base64')).toEqual(Buffer.from(doc.bytes));
    expect(Buffer.from(inline[1]!.base64!, 'base64')).toEqual(Buffer.from(input.signature.bytes));
  });

  it('submission set: time, author, contentTypeCode, identifiers, marker classification', () => {
    const ss = objectById(parsed, ssId);
    expect(ss.kind).toBe('RegistryPackage');
    expect(slotValues(ss, 'submissionTime')).toHaveLength(1);
    expect(slotValues(ss, 'submissionTime')[0]).toMatch(/^\d{14}$/);
    const [author] = classificationsIn(ss, SS.author);
    expect(author?.nodeRepresentation).toBe('');
    expect(slotValues(author!, 'authorPerson')).toHaveLength(1);
    expect(slotValues(author!, 'authorInstitution')).toEqual([
      'CH Exemple \\T\\ Fils^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^1750100125',
    ]);
    expect(slotValues(author!, 'authorSpecialty')).toHaveLength(1);
    expect(codesIn(ss, SS.contentTypeCode)).toEqual([
      {
        code: input.submission.contentTypeCode.code,
        system: OID.contentType,
        name: input.submission.contentTypeCode.displayName,
      },
    ]);
    expect(externalId(ss, SS.patientId)).toBe(`279035121518989^^^&${OID.insNirTest}&ISO^NH`);
    expect(externalId(ss, SS.sourceId)).toBe(input.submission.sourceId);
    expect(externalId(ss, SS.uniqueId)).toBe(input.submission.uniqueId);
    expect(ss.name).toBe(input.submission.title);
    expect(parsed.classifications).toEqual([
      expect.objectContaining({ classifiedObject: ssId, classificationNode: SS.classificationNode }),
    ]);
  });

  it('document entry: mime type, object type, hash and size of the exact bytes', () => {
    expect(docEntry.mimeType).toBe('text/xml');
    expect(docEntry.objectType).toBe(DE.stableObjectType);
    expect(slotValues(docEntry, 'hash')).toEqual([sha1(doc.bytes)]);
    expect(slotValues(docEntry, 'size')).toEqual([String(doc.bytes.length)]);
    expect(slotValues(docEntry, 'creationTime')).toEqual(['20240306101153']);
    expect(slotValues(docEntry, 'languageCode')).toEqual(['fr-FR']);
    expect(docEntry.name).toBe(doc.entry.title);
  });

  it('document entry: every coded classification has its codingScheme and a Name', () => {
    for (const scheme of [...CODED_SCHEMES, DE.eventCodeList]) {
      for (const c of classificationsIn(docEntry, scheme)) {
        expect(slotValues(c, 'codingScheme')).toHaveLength(1);
        expect(c.name).toBeTruthy();
        expect(c.classifiedObject).toBe(doc.entry.entryUUID);
      }
    }
    for (const scheme of CODED_SCHEMES) expect(classificationsIn(docEntry, scheme).length).toBeGreaterThan(0);
    expect(codesIn(docEntry, DE.typeCode)).toEqual([
      { code: '11488-4', system: OID.loinc, name: 'Note de consultation' },
    ]);
    expect(codesIn(docEntry, DE.classCode)[0]?.system).toBe(OID.treA03Class);
    expect(codesIn(docEntry, DE.formatCode)[0]?.code).toBe('urn:ihe:iti:xds-sd:pdf:2008');
    expect(codesIn(docEntry, DE.healthcareFacilityTypeCode)[0]?.system).toBe(OID.treR02FacilityType);
    expect(codesIn(docEntry, DE.practiceSettingCode)[0]?.system).toBe(OID.treA01PracticeSetting);
  });

  it('document entry: patientId is the INS (NH), uniqueId the CDA id root', () => {
    expect(externalId(docEntry, DE.patientId)).toBe(`279035121518989^^^&${OID.insNirTest}&ISO^NH`);
    expect(externalId(docEntry, DE.uniqueId)).toBe(doc.entry.id.root);
  });

  it('signature entry: signature codes, hidden from everybody, same patient/facility/practice', () => {
    expect(sigEntry.mimeType).toBe('text/xml');
    expect(slotValues(sigEntry, 'hash')).toEqual([sha1(input.signature.bytes)]);
    expect(slotValues(sigEntry, 'size')).toEqual([String(input.signature.bytes.length)]);
    expect(codesIn(sigEntry, DE.confidentialityCode)).toEqual([
      { code: 'N', system: OID.hl7Confidentiality, name: 'Normal' },
      { code: 'MASQUE_PS', system: OID.treA07Visibility, name: expect.any(String) },
      { code: 'INVISIBLE_PATIENT', system: OID.treA07Visibility, name: expect.any(String) },
    ]);
    expect(codesIn(sigEntry, DE.classCode)[0]).toMatchObject({
      code: 'urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1',
      system: 'URN',
    });
    expect(codesIn(sigEntry, DE.typeCode)[0]).toMatchObject({ code: 'E1762', system: 'ASTM' });
    expect(codesIn(sigEntry, DE.formatCode)[0]).toMatchObject({
      code: 'http://www.w3.org/2000/09/xmldsig#',
      system: 'URN',
    });
    expect(codesIn(sigEntry, DE.healthcareFacilityTypeCode)).toEqual(
      codesIn(docEntry, DE.healthcareFacilityTypeCode),
    );
    expect(codesIn(sigEntry, DE.practiceSettingCode)).toEqual(codesIn(docEntry, DE.practiceSettingCode));
    expect(externalId(sigEntry, DE.patientId)).toBe(externalId(docEntry, DE.patientId));
    expect(externalId(sigEntry, DE.uniqueId)).toBe(input.signature.uniqueId);
    expect(classificationsIn(sigEntry, DE.author)).toHaveLength(1);
  });

  it('associations: HasMember (Original) to each entry, signs from the signature entry', () => {
    const hasMember = parsed.associations.filter((a) => a.associationType === ASSOCIATION.hasMember);
    expect(hasMember.map((a) => [a.sourceObject, a.targetObject])).toEqual([
      [ssId, doc.entry.entryUUID],
      [ssId, input.signature.entryUUID],
    ]);
    for (const a of hasMember) expect(slotValues(a, 'SubmissionSetStatus')).toEqual(['Original']);
    const signs = parsed.associations.filter((a) => a.associationType === ASSOCIATION.signs);
    expect(signs.map((a) => [a.sourceObject, a.targetObject])).toEqual([[input.signature.entryUUID, ssId]]);
  });

  it('ids of registry parts are unique', () => {
    const all = [
      ...parsed.objects.flatMap((o) => [
        o.id,
        ...o.classifications.map((c) => c.id),
        ...o.externalIdentifiers.map((e) => e.id),
      ]),
      ...parsed.associations.map((a) => a.id),
      ...parsed.classifications.map((c) => c.id),
    ];
    expect(new Set(all).size).toBe(all.length);
  });
});
