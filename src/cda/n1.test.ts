import { describe, expect, it } from 'vitest';
import {
  content,
  documentEntry,
  patient,
  personAuthor,
  submission,
  systemAuthor,
  TINY_JPEG,
  TINY_PDF,
  TINY_TEXT,
} from '../../fixtures/cda/sample.ts';
import { SCHEMA, xsdErrors } from '../../test/support/xsd.ts';
import { GatewayError } from '../errors/catalogue.ts';
import type { DocumentEntry, Submission } from '../model/types.ts';
import { CDA_N1_TEMPLATE_IDS } from '../model/vocabulary.ts';
import { attr, parseXml } from '../xml/parse.ts';
import { wrapN1 } from './n1.ts';
import { first, kids, text } from './read-parts.ts';

function wrapAndCheck(sub: Submission, doc: DocumentEntry) {
  const bytes = wrapN1(sub, doc);
  expect(xsdErrors(bytes, SCHEMA.cda)).toEqual([]);
  const cda = parseXml(bytes).ClinicalDocument;
  // exactly the three N1 templateIds, in order
  expect(kids(cda, 'templateId').map((t) => attr(t, 'root'))).toEqual([...CDA_N1_TEMPLATE_IDS]);
  expect(kids(cda, 'templateId').map((t) => attr(t, 'extension'))).toEqual([undefined, undefined, undefined]);
  // INS first, then the IPP
  const ids = kids(first(cda, 'recordTarget', 'patientRole'), 'id').map((i) => [
    attr(i, 'root'),
    attr(i, 'extension'),
  ]);
  expect(ids[0]).toEqual([sub.patient.ins.root, sub.patient.ins.extension]);
  if (sub.patient.ipp) expect(ids[1]).toEqual([sub.patient.ipp.root, sub.patient.ipp.extension]);
  expect(ids).toHaveLength(sub.patient.ipp ? 2 : 1);
  // the body decodes back to the input bytes
  const body = first(cda, 'component', 'nonXMLBody', 'text');
  expect(attr(body, 'representation')).toBe('B64');
  if (doc.content.kind !== 'unstructured') throw new Error('test needs unstructured content');
  expect(attr(body, 'mediaType')).toBe(doc.content.mediaType);
  expect(new Uint8Array(Buffer.from(text(body) ?? '', 'base64'))).toEqual(doc.content.bytes);
  return { bytes, xml: new TextDecoder().decode(bytes), cda };
}

describe('wrapN1', () => {
  it.each([
    ['application/pdf', TINY_PDF],
    ['text/plain', TINY_TEXT],
    ['image/jpeg', TINY_JPEG],
  ])('wraps %s as a schema-valid N1 CDA', (mediaType, bytes) => {
    const doc = documentEntry({ content: content(mediaType, bytes) });
    const { xml, cda } = wrapAndCheck(submission(doc), doc);
    expect(
      xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><ClinicalDocument xmlns="urn:hl7-org:v3">'),
    ).toBe(true);
    expect(attr(first(cda, 'effectiveTime'), 'value')).toBe('20240101120000+0100');
    expect(attr(first(cda, 'realmCode'), 'code')).toBe('FR');
    const name = first(cda, 'recordTarget', 'patientRole', 'patient', 'name');
    expect(kids(name, 'family').map((f) => [attr(f, 'qualifier'), text(f)])).toEqual([
      ['BR', 'TESTNAISSANCE'],
      ['CL', 'TESTUSAGE'],
    ]);
    expect(kids(name, 'given').map((g) => [attr(g, 'qualifier'), text(g)])).toEqual([
      [undefined, 'CAMILLE ANNE'],
      ['BR', 'CAMILLE'],
    ]);
    const org = first(
      cda,
      'documentationOf',
      'serviceEvent',
      'performer',
      'assignedEntity',
      'representedOrganization',
    );
    expect(attr(first(org, 'standardIndustryClassCode'), 'code')).toBe('ETABLISSEMENT');
    expect(
      attr(
        first(cda, 'componentOf', 'encompassingEncounter', 'location', 'healthCareFacility', 'code'),
        'code',
      ),
    ).toBe('SA01');
    expect(first(cda, 'relatedDocument')).toBeUndefined();
  });

  it('writes a replacement as relatedDocument RPLC', () => {
    const doc = documentEntry({
      versionNumber: 2,
      replaces: { uniqueId: '1.2.250.1.999.1.1.1', cdaId: { root: '1.2.250.1.999.1.1', extension: 'v1' } },
    });
    const { cda } = wrapAndCheck(submission(doc), doc);
    const related = first(cda, 'relatedDocument');
    expect(attr(related, 'typeCode')).toBe('RPLC');
    const parent = first(related, 'parentDocument', 'id');
    expect([attr(parent, 'root'), attr(parent, 'extension')]).toEqual(['1.2.250.1.999.1.1', 'v1']);
    expect(attr(first(cda, 'versionNumber'), 'value')).toBe('2');
  });

  it('writes a system author as an authoring device, named as legal authenticator when none is given', () => {
    const doc = documentEntry({ authors: [systemAuthor], legalAuthenticator: undefined });
    const { cda } = wrapAndCheck(submission(doc, systemAuthor), doc);
    const assigned = first(cda, 'author', 'assignedAuthor');
    expect(attr(first(assigned, 'id'), 'extension')).toBe(systemAuthor.id);
    expect(attr(first(assigned, 'code'), 'code')).toBe('AUTOMATE');
    expect(first(assigned, 'assignedPerson')).toBeUndefined();
    expect(text(first(assigned, 'assignedAuthoringDevice', 'softwareName'))).toBe(systemAuthor.name);
    expect(text(first(assigned, 'assignedAuthoringDevice', 'manufacturerModelName'))).toBe(
      systemAuthor.model,
    );
    const legal = first(cda, 'legalAuthenticator', 'assignedEntity');
    expect(attr(first(legal, 'id'), 'extension')).toBe(systemAuthor.id);
    expect(text(first(legal, 'assignedPerson', 'name', 'family'))).toBe(systemAuthor.name);
  });

  it('stays valid with every optional field absent', () => {
    const doc = documentEntry({
      authors: [],
      serviceStartTime: undefined,
      serviceStopTime: undefined,
      legalAuthenticator: undefined,
      eventCodes: [],
      replaces: undefined,
    });
    const bare = { ...patient, ipp: undefined, usedFamilyName: undefined, birthPlaceCode: undefined };
    const sub = { ...submission(doc), patient: bare };
    const { cda } = wrapAndCheck(sub, doc);
    // the submission author stands in for the missing document authors
    expect(attr(first(cda, 'author', 'assignedAuthor', 'id'), 'extension')).toBe(personAuthor.person.id);
    expect(attr(first(cda, 'documentationOf', 'serviceEvent', 'effectiveTime', 'low'), 'nullFlavor')).toBe(
      'UNK',
    );
    expect(attr(first(cda, 'componentOf', 'encompassingEncounter', 'effectiveTime'), 'nullFlavor')).toBe(
      'UNK',
    );
    expect(first(cda, 'recordTarget', 'patientRole', 'patient', 'birthplace')).toBeUndefined();
    expect(first(cda, 'documentationOf', 'serviceEvent', 'code')).toBeUndefined();
  });

  it('writes one documentationOf per further event code', () => {
    const extra = { code: 'ZCQK004', codeSystem: '1.2.250.1.213.2.5' };
    const doc = documentEntry({ eventCodes: [...documentEntry().eventCodes, extra] });
    const { cda } = wrapAndCheck(submission(doc), doc);
    const codes = kids(cda, 'documentationOf').map((d) => attr(first(d, 'serviceEvent', 'code'), 'code'));
    expect(codes).toEqual(['ZBQK002', 'ZCQK004']);
  });

  it('refuses content it cannot wrap', () => {
    const png = documentEntry({ content: content('image/png', TINY_JPEG) });
    expect(() => wrapN1(submission(png), png)).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_CONTENT' }),
    );
    const cda = documentEntry({ content: { kind: 'cda', bytes: TINY_TEXT } });
    expect(() => wrapN1(submission(cda), cda)).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_CONTENT' }),
    );
  });

  it('lists every unreadable time at once', () => {
    const doc = documentEntry({ creationTime: '01/01/2024', serviceStopTime: '2024-01-01T12:00' });
    try {
      wrapN1(submission(doc), doc);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(GatewayError);
      expect((err as GatewayError).issues.map((i) => i.path)).toEqual([
        'DocumentEntry.creationTime',
        'DocumentEntry.serviceStopTime',
      ]);
    }
  });
});
