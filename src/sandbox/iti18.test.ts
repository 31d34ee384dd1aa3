/**
 * ITI-18 on the sandbox DMP: FindDocuments by patient and status,
 * GetDocuments by uniqueId and by entryUUID, LeafClass and ObjectRef
 * answers valid against the ebRS schemas, errors for bad queries.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ACTIVE,
  CLOSED,
  fixtureDeposit,
  idsFrom,
  post,
  readAnswer,
  startTestSandbox,
  type TestSandbox,
} from '../../test/support/sandbox-client.ts';
import { findDocuments, getDocuments, type RequestEnv } from '../../test/support/sandbox-requests.ts';
import { SCHEMA, xsdErrors } from '../../test/support/xsd.ts';
import { STATUS } from '../model/vocabulary.ts';
import { asArray, attr, parseXml, type XmlObject } from '../xml/parse.ts';

let t: TestSandbox;
let env: RequestEnv;

beforeAll(async () => {
  t = await startTestSandbox();
  env = { ...t, ins: ACTIVE };
});
afterAll(async () => {
  await t.sandbox.close();
});
beforeEach(async () => {
  t.sandbox.reset();
  await post(t, 'iti41', fixtureDeposit(t).http);
  await post(t, 'iti41', fixtureDeposit(t, 'documentreference-text.json', { ids: idsFrom(100) }).http);
  expect(t.sandbox.documents()).toHaveLength(4);
});

async function query(message: { contentType: string; body: Buffer }) {
  const { envelope, body } = readAnswer(await post(t, 'iti18', message));
  expect(envelope.action).toBe('urn:ihe:iti:2007:RegistryStoredQueryResponse');
  expect(xsdErrors(body, SCHEMA.xdsRepository)).toEqual([]);
  const response = parseXml(body, {
    arrays: ['ExtrinsicObject', 'ObjectRef', 'RegistryError', 'ExternalIdentifier'],
  }).AdhocQueryResponse as XmlObject;
  const list = response.RegistryObjectList as XmlObject | string;
  const objects = typeof list === 'object' ? list : {};
  return {
    status: attr(response, 'status'),
    extrinsic: asArray(objects.ExtrinsicObject as XmlObject[] | undefined),
    refs: asArray(objects.ObjectRef as XmlObject[] | undefined).map((r) => attr(r, 'id')),
    errors: asArray(
      (response.RegistryErrorList as XmlObject | undefined)?.RegistryError as XmlObject[] | undefined,
    ).map((e) => attr(e, 'errorCode')),
  };
}

const uniqueIdOf = (o: XmlObject) =>
  attr(
    asArray(o.ExternalIdentifier as XmlObject[]).find(
      (e) => attr(e, 'identificationScheme') === 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab',
    ),
    'value',
  );

describe('GetDocuments', () => {
  it('by uniqueId: the entry as a LeafClass ExtrinsicObject with its status and metadata', async () => {
    const r = await query(getDocuments(env, { uniqueIds: ['1.2.250.1.999.1.3.1001'] }));
    expect(r.status).toBe('urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success');
    expect(r.extrinsic).toHaveLength(1);
    const entry = r.extrinsic[0]!;
    const stored = t.sandbox.document('1.2.250.1.999.1.3.1001')!;
    expect(attr(entry, 'id')).toBe(stored.entryUUID);
    expect(attr(entry, 'status')).toBe(STATUS.approved);
    expect(uniqueIdOf(entry)).toBe('1.2.250.1.999.1.3.1001');
  });

  it('by entryUUID, as ObjectRef', async () => {
    const stored = t.sandbox.document('1.2.250.1.999.1.3.1002')!;
    const r = await query(getDocuments(env, { entryUUIDs: [stored.entryUUID], returnType: 'ObjectRef' }));
    expect(r.refs).toEqual([stored.entryUUID]);
  });

  it('an unknown uniqueId: Success, empty list (how a client sees that a deposit did not land)', async () => {
    const r = await query(getDocuments(env, { uniqueIds: ['1.2.250.1.999.1.3.4242'] }));
    expect(r.status).toBe('urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success');
    expect(r.extrinsic).toEqual([]);
  });

  it("another patient's documents are not returned", async () => {
    const r = await query(getDocuments({ ...env, ins: CLOSED }, { uniqueIds: ['1.2.250.1.999.1.3.1001'] }));
    expect(r.extrinsic).toEqual([]);
  });

  it('both uniqueId and entryUUID → XDSStoredQueryParamNumber', async () => {
    const r = await query(getDocuments(env, { uniqueIds: ['1.2.3'], entryUUIDs: ['urn:uuid:x'] }));
    expect(r.status).toBe('urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure');
    expect(r.errors).toEqual(['XDSStoredQueryParamNumber']);
  });

  it('an unknown stored query → XDSUnknownStoredQuery', async () => {
    const r = await query(
      getDocuments(env, { uniqueIds: ['1.2.3'], queryId: 'urn:uuid:00000000-0000-4000-8000-00000000dead' }),
    );
    expect(r.errors).toEqual(['XDSUnknownStoredQuery']);
  });
});

describe('FindDocuments', () => {
  it('by patient and status: every Approved entry of the patient', async () => {
    const r = await query(findDocuments(env));
    expect(r.extrinsic.map(uniqueIdOf).sort()).toEqual(
      t.sandbox
        .documents()
        .map((d) => d.uniqueId)
        .sort(),
    );
  });

  it('the status filter is applied', async () => {
    expect(t.sandbox.documents().every((d) => d.status === STATUS.approved)).toBe(true);
    const r = await query(findDocuments(env, { statuses: [STATUS.deprecated] }));
    expect(r.extrinsic).toEqual([]);
  });

  it('a coded filter (typeCode) keeps matching entries only', async () => {
    const doc = t.sandbox.document('1.2.250.1.999.1.3.1001')!;
    const r = await query(
      findDocuments(env, {
        extra: [['$XDSDocumentEntryTypeCode', [`('${doc.typeCode!.code}^^${doc.typeCode!.codeSystem}')`]]],
      }),
    );
    expect(r.extrinsic.map(uniqueIdOf).sort()).toEqual(
      t.sandbox
        .documents()
        .filter((d) => d.typeCode?.code === doc.typeCode!.code)
        .map((d) => d.uniqueId)
        .sort(),
    );
    expect(r.extrinsic.length).toBeGreaterThan(0);
  });

  it('a patient other than the VIHF one → XDSPatientIdDoesNotMatch', async () => {
    const r = await query(findDocuments(env, { patient: CLOSED }));
    expect(r.errors).toEqual(['XDSPatientIdDoesNotMatch']);
  });

  it('without status → XDSStoredQueryMissingParam', async () => {
    const message = findDocuments(env, { statuses: [] });
    const r = await query(message);
    expect(r.errors).toContain('XDSStoredQueryMissingParam');
  });
});
