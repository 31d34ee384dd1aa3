import { beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/support/context.ts';
import { type TestSigner, testSigner } from '../../../test/support/deposit.ts';
import {
  type HttpMessage,
  hospitalDeposit,
  hospitalSubmission,
  inlineMessage,
  mtomMessage,
  rawDocumentMessage,
} from '../../../test/support/xds-requests.ts';
import { randomIds } from '../../model/ids.ts';
import type { Submission } from '../../model/types.ts';
import { OID, SLOT, XDS } from '../../model/vocabulary.ts';
import { standaloneXml } from '../../soap/envelope.ts';
import type { MimePart } from '../../soap/mtom.ts';
import { sha1Hex } from '../../xds/document-entry.ts';
import { type RimObject, type RimSubmission, readProvideAndRegister } from '../../xds/ebrim-reader.ts';
import { checkIti41Envelope, readSoapRequest } from './request.ts';
import type { XdsSourceMapping } from './source-mapping.ts';
import { type PredecessorFacts, rimToSubmission, type XdsMapResult } from './to-submission.ts';

const DE = XDS.documentEntry;
const LIMITS = { maxDepth: 64, maxElements: 100_000, maxParts: 10, maxBytes: 10_000_000 };
let signer: TestSigner;
beforeAll(async () => {
  signer = await testSigner();
});

function read(message: HttpMessage): { rim: RimSubmission; parts: ReadonlyMap<string, MimePart> } {
  const request = readSoapRequest(message.contentType, message.body, LIMITS);
  return {
    rim: readProvideAndRegister(standaloneXml(checkIti41Envelope(request.envelope))),
    parts: request.parts,
  };
}

function map(
  input: { rim: RimSubmission; parts: ReadonlyMap<string, MimePart> },
  options: { sources?: XdsSourceMapping[]; predecessors?: Map<string, PredecessorFacts> } = {},
): XdsMapResult {
  return rimToSubmission(input.rim, input.parts, {
    config: testConfig,
    sources: options.sources ?? [],
    ids: randomIds,
    now: new Date(),
    predecessors: options.predecessors ?? new Map(),
  });
}

const ok = (r: XdsMapResult) => {
  if (!r.ok) throw new Error(JSON.stringify(r.errors, null, 1));
  return r;
};
const errorsOf = (r: XdsMapResult) => (r.ok ? [] : r.errors.map((e) => [e.errorCode, e.location]));

/** The object `id` of `rim` changed by `change`. */
function editObject(rim: RimSubmission, id: string, change: (o: RimObject) => RimObject): RimSubmission {
  return { ...rim, objects: rim.objects.map((o) => (o.id === id ? change(o) : o)) };
}

function withCode(o: RimObject, scheme: string, code: string, system: string): RimObject {
  return {
    ...o,
    classifications: o.classifications.map((c) =>
      c.classificationScheme === scheme
        ? { ...c, nodeRepresentation: code, slots: [{ name: SLOT.codingScheme, values: [system] }] }
        : c,
    ),
  };
}

const withExternal = (o: RimObject, scheme: string, value: string): RimObject => ({
  ...o,
  externalIdentifiers: o.externalIdentifiers.map((e) =>
    e.identificationScheme === scheme ? { ...e, value } : e,
  ),
});

const withSlot = (o: RimObject, name: string, values: string[]): RimObject => ({
  ...o,
  slots: [...o.slots.filter((s) => s.name !== name), ...(values.length > 0 ? [{ name, values }] : [])],
});

describe('a CDA deposit from a hospital source → one canonical submission', () => {
  let submission: Submission;
  let message: HttpMessage;
  beforeAll(() => {
    submission = hospitalSubmission();
    message = mtomMessage(hospitalDeposit(submission, signer));
  });

  it('maps patient, author, codes and the CDA kept byte for byte; the source signature entry is dropped', () => {
    const result = ok(map(read(message)));
    const doc = submission.documents[0]!;
    const out = result.submission.documents;
    expect(out).toHaveLength(1);
    expect(result.submission.patient).toEqual({ ...submission.patient, identityStatus: 'VALI' });
    // XCN carries no prefix (XCN-6 is not sent), and names the national id authority
    if (submission.author.kind !== 'person') throw new Error('the fixture author is a person');
    const { prefix: _prefix, ...person } = submission.author.person;
    expect(result.submission.author).toEqual({
      ...submission.author,
      person: { ...person, idSystem: OID.personId },
    });
    expect(result.submission.sourceId).toBe(testConfig.ids.sourceId);
    expect(result.submission.contentTypeCode).toMatchObject({ code: '97', codeSystem: OID.contentType });
    expect(out[0]).toMatchObject({
      id: doc.id,
      entryUUID: doc.entryUUID,
      title: doc.title,
      typeCode: { code: doc.typeCode.code, codeSystem: doc.typeCode.codeSystem },
      classCode: { code: '10', codeSystem: OID.treA03Class },
      formatCode: { code: 'urn:ihe:iti:xds-sd:pdf:2008' },
      healthcareFacilityTypeCode: { code: 'SA01' },
      practiceSettingCode: { code: 'ETABLISSEMENT' },
      confidentiality: 'N',
      languageCode: 'fr-FR',
      versionNumber: 1,
      content: { kind: 'cda' },
    });
    const part = [...read(message).parts.values()][0]!;
    expect(sha1Hex(out[0]!.content.bytes)).toBe(sha1Hex(part.bytes));
    expect(result.identity).toBe(`xds:${submission.sourceId}:${submission.uniqueId}`);
  });

  it('MTOM and inline forms of one request have one identity and one content hash', () => {
    const deposit = hospitalDeposit(submission, signer);
    const a = ok(map(read(mtomMessage(deposit))));
    const b = ok(map(read(inlineMessage(deposit))));
    expect([b.identity, b.contentHash]).toEqual([a.identity, a.contentHash]);
  });

  it('metadata that contradicts the CDA header: INS, uniqueId, typeCode', () => {
    const input = read(message);
    const id = submission.documents[0]!.entryUUID;
    const rim = editObject(input.rim, id, (o) =>
      withCode(withExternal(o, DE.uniqueId, '1.2.3.4'), DE.typeCode, '11488-4', OID.loinc),
    );
    expect(errorsOf(map({ ...input, rim }))).toEqual([
      [
        'XDSRegistryMetadataError',
        `ExtrinsicObject[@id='${id}']/ExternalIdentifier[@identificationScheme='${DE.uniqueId}']`,
      ],
      [
        'XDSRegistryMetadataError',
        `ExtrinsicObject[@id='${id}']/Classification[@classificationScheme='${DE.typeCode}']`,
      ],
    ]);
    const other = (o: RimObject) =>
      withExternal(o, DE.patientId, '190017512345612^^^&1.2.250.1.213.1.4.10&ISO^NH');
    const ssId = submission.entryUUID;
    const rim2 = editObject(editObject(input.rim, id, other), ssId, (o) =>
      withExternal(o, XDS.submissionSet.patientId, '190017512345612^^^&1.2.250.1.213.1.4.10&ISO^NH'),
    );
    expect(errorsOf(map({ ...input, rim: rim2 }))).toContainEqual([
      'XDSPatientIdDoesNotMatch',
      `ExtrinsicObject[@id='${id}']/ExternalIdentifier[@identificationScheme='${DE.patientId}']`,
    ]);
  });

  it('hash and size that are not those of the bytes → XDSRepositoryMetadataError on the slot', () => {
    const input = read(message);
    const id = submission.documents[0]!.entryUUID;
    const rim = editObject(input.rim, id, (o) =>
      withSlot(withSlot(o, SLOT.hash, ['0'.repeat(40)]), SLOT.size, ['1']),
    );
    expect(errorsOf(map({ ...input, rim }))).toEqual([
      ['XDSRepositoryMetadataError', `ExtrinsicObject[@id='${id}']/Slot[@name='hash']`],
      ['XDSRepositoryMetadataError', `ExtrinsicObject[@id='${id}']/Slot[@name='size']`],
    ]);
  });

  it('the INS traits come from the CDA recordTarget (every given name), even without sourcePatientInfo', () => {
    const input = read(message);
    const rim = editObject(input.rim, submission.documents[0]!.entryUUID, (o) =>
      withSlot(o, SLOT.sourcePatientInfo, []),
    );
    expect(ok(map({ ...input, rim })).submission.patient.birthFamilyName).toBe(
      submission.patient.birthFamilyName,
    );
  });
});

describe('the source mapping', () => {
  const local = { code: 'CR-SORTIE', codeSystem: '1.2.250.1.999.9.1' };
  it('local codes become CI-SIS codes; an unmapped local code is an error naming the classification', () => {
    const submission = hospitalSubmission();
    const input = read(mtomMessage(hospitalDeposit(submission, signer)));
    const id = submission.documents[0]!.entryUUID;
    const rim = editObject(input.rim, id, (o) =>
      withCode(
        withCode(o, DE.typeCode, local.code, local.codeSystem),
        DE.practiceSettingCode,
        'URG',
        '1.2.250.1.999.9.2',
      ),
    );
    expect(errorsOf(map({ ...input, rim })).map(([code, where]) => [code, where?.split('/')[1]])).toEqual([
      ['XDSRegistryMetadataError', `Classification[@classificationScheme='${DE.typeCode}']`],
      ['XDSRegistryMetadataError', `Classification[@classificationScheme='${DE.practiceSettingCode}']`],
    ]);
    const mapping: XdsSourceMapping = {
      sourceId: submission.sourceId,
      codes: {
        typeCode: [
          { from: local, to: { code: '11490-0', codeSystem: OID.loinc, displayName: 'CR de sortie' } },
        ],
        practiceSettingCode: [
          {
            from: { code: 'URG', codeSystem: '1.2.250.1.999.9.2' },
            to: { code: 'ETABLISSEMENT', codeSystem: OID.treA01PracticeSetting },
          },
        ],
      },
    };
    const doc = ok(map({ ...input, rim }, { sources: [mapping] })).submission.documents[0]!;
    // the CDA says 11490-0 too: the mapped code must agree with it
    expect(doc.typeCode).toEqual({ code: '11490-0', codeSystem: OID.loinc, displayName: 'CR de sortie' });
    expect(doc.practiceSettingCode.code).toBe('ETABLISSEMENT');
  });

  it('an author institution without a national id becomes the site of the source (FINESS)', () => {
    const submission = hospitalSubmission();
    const input = read(mtomMessage(hospitalDeposit(submission, signer)));
    const ssId = submission.entryUUID;
    const rim = editObject(input.rim, ssId, (o) => ({
      ...o,
      classifications: o.classifications.map((c) =>
        c.classificationScheme === XDS.submissionSet.author
          ? {
              ...c,
              slots: c.slots.map((s) =>
                s.name === SLOT.authorInstitution ? { ...s, values: ['Service de cardiologie'] } : s,
              ),
            }
          : c,
      ),
    }));
    const site = { finess: '330781196', name: 'CHU Site Sud' };
    const result = ok(map({ ...input, rim }, { sources: [{ sourceId: submission.sourceId, site }] }));
    expect(result.submission.author.organisation).toEqual({ id: '1330781196', name: 'CHU Site Sud' });
  });
});

describe('a raw document (PDF) and its replacement', () => {
  it('wraps it as N1: unstructured content, N1 format code, the site as custodian, a new set', () => {
    const submission = hospitalSubmission();
    const doc = ok(map(read(rawDocumentMessage(submission)))).submission.documents[0]!;
    expect(doc.content).toMatchObject({ kind: 'unstructured', mediaType: 'application/pdf' });
    expect(doc.formatCode).toEqual({ code: 'urn:ihe:iti:xds-sd:pdf:2008', codeSystem: OID.formatCodeScheme });
    expect(doc.custodian).toEqual({
      id: `1${testConfig.establishment.finess}`,
      name: testConfig.establishment.name,
    });
    expect(doc.versionNumber).toBe(1);
  });

  it('without sourcePatientInfo there are no INS traits: refused on that slot', () => {
    const submission = hospitalSubmission();
    const input = read(rawDocumentMessage(submission));
    const id = submission.documents[0]!.entryUUID;
    const rim = editObject(input.rim, id, (o) => withSlot(o, SLOT.sourcePatientInfo, []));
    const where = `ExtrinsicObject[@id='${id}']/Slot[@name='sourcePatientInfo']`;
    expect(errorsOf(map({ ...input, rim }))).toEqual([
      ['XDSRegistryMetadataError', where],
      ['XDSRegistryMetadataError', where],
      ['XDSRegistryMetadataError', where],
    ]);
  });

  it('RPLC: the known predecessor continues its set; an unknown one is refused', () => {
    const base = hospitalSubmission();
    const target = `urn:uuid:${randomIds.uuid()}`;
    const replacement: Submission = {
      ...base,
      documents: [
        {
          ...base.documents[0]!,
          replaces: { uniqueId: '1.2.3', entryUUID: target, cdaId: { root: '1.2.3' } },
        },
      ],
    };
    const input = read(rawDocumentMessage(replacement));
    const facts = {
      uniqueId: '1.2.250.1.999.1.3.7',
      setId: { root: '1.2.250.1.999.1.5.7' },
      versionNumber: 3,
    };
    const doc = ok(map(input, { predecessors: new Map([[target, facts]]) })).submission.documents[0]!;
    expect(doc).toMatchObject({
      setId: facts.setId,
      versionNumber: 4,
      replaces: { entryUUID: target, uniqueId: facts.uniqueId, cdaId: { root: facts.uniqueId } },
    });
    expect(errorsOf(map(input))).toEqual([
      ['XDSRegistryMetadataError', `ExtrinsicObject[@id='${base.documents[0]!.entryUUID}']`],
    ]);
  });
});

describe('structure and patient', () => {
  let submission: Submission;
  let input: ReturnType<typeof read>;
  beforeAll(() => {
    submission = hospitalSubmission();
    input = read(mtomMessage(hospitalDeposit(submission, signer)));
  });

  it('a non-INS patientId → XDSUnknownPatientId on the submission set', () => {
    const rim = editObject(input.rim, submission.entryUUID, (o) =>
      withExternal(o, XDS.submissionSet.patientId, 'PAT-42^^^&1.3.6.1.4.1.21367.2005.3.7&ISO'),
    );
    expect(errorsOf(map({ ...input, rim }))).toContainEqual([
      'XDSUnknownPatientId',
      `RegistryPackage[@id='${submission.entryUUID}']/ExternalIdentifier[@identificationScheme='${XDS.submissionSet.patientId}']`,
    ]);
  });

  it('a folder, an unknown association, an unreferenced MIME part, a repeated uniqueId', () => {
    const folder = { ...input.rim.objects.find((o) => o.kind === 'RegistryPackage')!, id: 'Folder01' };
    expect(
      errorsOf(map({ ...input, rim: { ...input.rim, objects: [...input.rim.objects, folder] } })),
    ).toEqual([['XDSRegistryMetadataError', 'RegistryObjectList']]);
    const apnd = {
      ...input.rim.associations[0]!,
      id: 'as99',
      associationType: 'urn:ihe:iti:2007:AssociationType:APND',
    };
    expect(
      errorsOf(map({ ...input, rim: { ...input.rim, associations: [...input.rim.associations, apnd] } })),
    ).toEqual([['XDSRegistryMetadataError', "Association[@id='as99']"]]);
    const extra: MimePart = {
      contentId: 'extra@x',
      contentType: 'text/plain',
      headers: {},
      bytes: Buffer.from('x'),
    };
    expect(errorsOf(map({ ...input, parts: new Map([...input.parts, ['extra@x', extra]]) }))).toEqual([
      ['XDSMissingDocumentMetadata', "multipart/part[@Content-ID='extra@x']"],
    ]);
    const entry = input.rim.objects.find((o) => o.id === submission.documents[0]!.entryUUID)!;
    const twin = { ...entry, id: 'Document02' };
    const rim = {
      ...input.rim,
      objects: [...input.rim.objects, twin],
      documents: [...input.rim.documents, { ...input.rim.documents[0]!, id: 'Document02' }],
      associations: [
        ...input.rim.associations,
        { ...input.rim.associations[0]!, id: 'as98', targetObject: 'Document02' },
      ],
    };
    expect(errorsOf(map({ ...input, rim }))).toContainEqual([
      'XDSRepositoryDuplicateUniqueIdInMessage',
      'RegistryObjectList',
    ]);
  });
});
