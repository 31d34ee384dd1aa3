import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusFile, SCHEMA, xsdErrors } from '../../test/support/xsd.ts';
import { GatewayError } from '../errors/catalogue.ts';
import { STATUS } from '../model/vocabulary.ts';
import { asArray, attr, parseXml, textOf, type XmlObject } from '../xml/parse.ts';
import { serialize } from '../xml/tree.ts';
import {
  buildFindDocuments,
  buildGetDocumentsByUniqueId,
  quotedList,
  readAdhocQueryResponse,
} from './stored-query.ts';

const corpus = (path: string): Buffer => readFileSync(corpusFile(path));
const INS_CX = '279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH';

/** The query id and parameter values of an AdhocQueryRequest, read back the way a registry would. */
function readQuery(xml: string | Buffer) {
  const root = parseXml(xml, { arrays: ['Slot', 'Value'] });
  const request = root.AdhocQueryRequest as XmlObject;
  const query = request.AdhocQuery as XmlObject;
  const params = Object.fromEntries(
    asArray(query.Slot as XmlObject[]).map((s) => [
      attr(s, 'name'),
      asArray((s.ValueList as XmlObject).Value).map((v) => textOf(v)),
    ]),
  );
  return { id: attr(query, 'id'), returnType: attr(request.ResponseOption, 'returnType'), params };
}

describe('stored query requests', () => {
  it('GetDocuments by uniqueId is schema-valid and carries the quoted uniqueId list', () => {
    const xml = serialize(buildGetDocumentsByUniqueId(['1.2.250.1.999.1.4.7', '2.25.42'], 'LeafClass'));
    expect(xsdErrors(xml, SCHEMA.xdsRepository)).toEqual([]);
    expect(readQuery(xml)).toEqual({
      id: 'urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4',
      returnType: 'LeafClass',
      params: { $XDSDocumentEntryUniqueId: ["('1.2.250.1.999.1.4.7','2.25.42')"] },
    });
    expect(readQuery(serialize(buildGetDocumentsByUniqueId(['2.25.1'], 'ObjectRef'))).returnType).toBe(
      'ObjectRef',
    );
  });

  it('FindDocuments is schema-valid and has the structure of the NIST sq-req.xml sample', () => {
    const xml = serialize(buildFindDocuments(INS_CX, [STATUS.approved, STATUS.deprecated]));
    expect(xsdErrors(xml, SCHEMA.xdsRepository)).toEqual([]);
    const built = readQuery(xml);
    const nist = readQuery(corpus('xds/nist/sq-req.xml'));
    expect(built.id).toBe(nist.id);
    expect(built.returnType).toBe(nist.returnType);
    expect(Object.keys(built.params)).toEqual(
      Object.keys(nist.params).filter((k) => k !== '$XDSDocumentEntryClassCode'),
    );
    expect(built.params).toEqual({
      $XDSDocumentEntryPatientId: [`'${INS_CX}'`],
      $XDSDocumentEntryStatus: [
        "('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved','urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated')",
      ],
    });
  });

  it('doubles single quotes inside values and refuses empty lists', () => {
    expect(quotedList(["a'b", 'c'])).toBe("('a''b','c')");
    expect(() => buildGetDocumentsByUniqueId([], 'LeafClass')).toThrow();
    expect(() => buildFindDocuments(INS_CX, [])).toThrow();
  });
});

describe('readAdhocQueryResponse on the corpus', () => {
  it('NIST sq-resp-lc.xml: two LeafClass document entries', () => {
    const result = readAdhocQueryResponse(corpus('xds/nist/sq-resp-lc.xml'));
    expect(result).toMatchObject({ status: 'Success', errors: [], returnType: 'LeafClass' });
    expect(result.anomaly).toBeUndefined();
    expect(result.documents).toEqual([
      {
        entryUUID: 'urn:uuid:974330cc-26ff-4ef8-aca5-f71efc3f1fb0',
        uniqueId: '1.42.20100312104638.15',
        status: STATUS.approved,
        patientId: 'c4d77e21d0dd487^^^&1.3.6.1.4.1.21367.2005.3.7&ISO',
        hash: 'e543712c0e10501972de13a5bfcbe826c49feb75',
        size: 36,
        mimeType: 'text/xml',
        creationTime: '20061224',
        repositoryUniqueId: '1.19.6.24.109.42.1',
        title: 'DocA',
        lid: 'urn:uuid:974330cc-26ff-4ef8-aca5-f71efc3f1fb0',
        version: '1.1',
      },
      expect.objectContaining({
        entryUUID: 'urn:uuid:0bb95d7b-14cb-4da5-896f-af3be8707c03',
        uniqueId: '1.42.20100312104638.26',
        title: 'DocF',
        size: 36,
      }),
    ]);
  });

  it('NIST sq-resp-objectref.xml: six ObjectRefs, ids only', () => {
    const result = readAdhocQueryResponse(corpus('xds/nist/sq-resp-objectref.xml'));
    expect(result.returnType).toBe('ObjectRef');
    expect(result.documents).toEqual([]);
    expect(result.references).toHaveLength(6);
    expect(result.references[0]).toBe('urn:uuid:22c85315-12cd-4d52-97a9-8d827f03ddc5');
    expect(result.references[5]).toBe('urn:uuid:44b9abc1-c4dc-4b95-b099-9415baaf3880');
  });

  it('eHealth Suisse ITI-18 response: SOAP envelope, default rim namespace, one entry', () => {
    const result = readAdhocQueryResponse(corpus('xds/ehealthsuisse/ITI-18_response_raw.xml'));
    expect(result.status).toBe('Success');
    expect(result.documents).toEqual([
      {
        entryUUID: 'urn:uuid:1415538d-41bc-41b2-9ae6-8b785f7f3aa6',
        uniqueId: '2.25.306443472873218838784535217290635593269',
        status: STATUS.approved,
        patientId: 'CHPAM3946^^^&1.3.6.1.4.1.12559.11.20.1&ISO',
        hash: 'a72f1824ea1d57af00faf5dd5ccb9aea0b0ce390',
        size: 5375,
        mimeType: 'application/fhir+json',
        creationTime: '20231219095121',
        repositoryUniqueId: '1.1.4567332.1.75',
        title: 'Vaccination - FSME-Immun 0.25 ml Junior',
        lid: 'urn:uuid:1415538d-41bc-41b2-9ae6-8b785f7f3aa6',
        version: '1',
      },
    ]);
  });
});

describe('readAdhocQueryResponse on error answers', () => {
  const response = (status: string, errors: string) =>
    `<query:AdhocQueryResponse xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0" xmlns:rs="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0" status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:${status}">${errors}<rim:RegistryObjectList xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"/></query:AdhocQueryResponse>`;
  const error = (code: string, severity = 'Error') =>
    `<rs:RegistryErrorList><rs:RegistryError errorCode="${code}" codeContext="ctx" location="here" severity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:${severity}"/></rs:RegistryErrorList>`;

  it('reads a Failure with its errors, and the error answer is schema-valid', () => {
    const xml = response('Failure', error('XDSStoredQueryMissingParam'));
    expect(xsdErrors(xml, SCHEMA.xdsRepository)).toEqual([]);
    expect(readAdhocQueryResponse(xml)).toEqual({
      status: 'Failure',
      errors: [
        { errorCode: 'XDSStoredQueryMissingParam', codeContext: 'ctx', location: 'here', severity: 'Error' },
      ],
      returnType: 'LeafClass',
      documents: [],
      references: [],
    });
  });

  it('flags a Success that carries an Error, and a Failure without one', () => {
    expect(readAdhocQueryResponse(response('Success', error('XDSRegistryError')))).toMatchObject({
      status: 'Failure',
      anomaly: 'SuccessWithError',
    });
    const noError = readAdhocQueryResponse(response('Failure', error('XDSTooManyResults', 'Warning')));
    expect(noError.anomaly).toBe('FailureWithoutError');
    expect(noError.errors.map((e) => e.severity)).toEqual(['Warning', 'Error']);
  });

  it('refuses what is not an AdhocQueryResponse', () => {
    expect(() => readAdhocQueryResponse(corpus('xds/nist/soap-pnr-resp.xml'))).toThrow(GatewayError);
    expect(() => readAdhocQueryResponse(response('Bogus', ''))).toThrow(GatewayError);
    const noUniqueId = readFileSync(corpusFile('xds/nist/sq-resp-lc.xml'), 'utf8').replace(
      'identificationScheme="urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab"',
      'identificationScheme="urn:uuid:00000000-0000-4000-8000-000000000000"',
    );
    expect(() => readAdhocQueryResponse(noUniqueId)).toThrow(/uniqueId/);
  });
});
