import { describe, expect, it } from 'vitest';
import { TINY_PDF } from '../../../fixtures/cda/sample.ts';
import { cdaN1, cdaN3, PATIENT } from '../../../fixtures/hl7v2/cda.ts';
import { context, located, rejection } from '../../../fixtures/hl7v2/context.ts';
import {
  bytes,
  type DocumentObx,
  ed,
  type MessageOptions,
  message,
} from '../../../fixtures/hl7v2/messages.ts';
import { translateHl7 } from './translate.ts';

const BIO = { code: '11502-2', displayName: "CR d'examens biologiques" };
const TYPE = "11502-2^CR d'examens biologiques^LN";
const N1 = '1.2.250.1.999.1.3.2001';
const N3 = '1.2.250.1.999.1.3.2002';

const n1 = (o: { id?: string; replaces?: string; version?: number } = {}): DocumentObx => ({
  ed: ed(cdaN1({ id: o.id ?? N1, typeCode: BIO, setId: `${N1}.0`, ...o })),
  type: TYPE,
});
const n3 = (o: { id?: string; replaces?: string; version?: number } = {}): DocumentObx => ({
  ed: ed(cdaN3({ id: o.id ?? N3, setId: `${N3}.0`, ...o })),
  type: TYPE,
});
const oru = (o: Partial<MessageOptions>) => bytes(message({ type: 'ORU', documents: [n1()], ...o }));

describe('ORU^R01', () => {
  it('NW + F: a new document from the CDA', () => {
    const intake = translateHl7(oru({ flags: { ACK_RECEPTION: 'Y' } }), context());
    expect(intake).toMatchObject({
      kind: 'documents',
      header: { messageType: 'ORU^R01', version: '2.5', controlId: 'MSG-0001' },
      documents: [
        {
          location: 'OBX[1]',
          flags: { businessAck: true, toDmp: true },
          submission: {
            patient: { ins: PATIENT.ins, ipp: PATIENT.ipp },
            documents: [{ id: { root: N1 }, typeCode: { code: '11502-2' }, classCode: { code: '10' } }],
          },
        },
      ],
    });
  });

  it('carries the N1 and N3 instances of one report as two documents with their own ids', () => {
    const intake = translateHl7(oru({ documents: [n1(), n3()] }), context());
    if (intake.kind !== 'documents') throw new Error(intake.kind);
    expect(intake.documents.map((d) => d.location)).toEqual(['OBX[1]', 'OBX[2]']);
    const [a, b] = intake.documents.map((d) => d.submission);
    expect(a?.documents[0]).toMatchObject({
      id: { root: N1 },
      formatCode: { code: 'urn:ihe:iti:xds-sd:pdf:2008' },
    });
    expect(b?.documents[0]).toMatchObject({
      id: { root: N3 },
      formatCode: { code: 'urn:ihe:lab:xd-lab:2008' },
    });
    expect(a?.uniqueId).not.toBe(b?.uniqueId);
    expect(a?.patient).toEqual(b?.patient);
    expect(a?.author).toEqual(b?.author);
  });

  it('refuses two instances that share one document id', () => {
    const err = rejection(() => translateHl7(oru({ documents: [n1(), n3({ id: N1 })] }), context()));
    expect(located(err)).toEqual(['OBX[2]-5.5 INVALID_INPUT']);
  });

  it('RO + C: the CDAs name the versions they replace', () => {
    const v2 = { replaces: N1, version: 2, id: `${N1}.2` };
    const documents = [n1(v2), n3({ replaces: N3, id: `${N3}.2`, version: 2 })].map((d) => ({
      ...d,
      status: 'C',
    }));
    const intake = translateHl7(oru({ orderControl: 'RO', documents }), context());
    if (intake.kind !== 'documents') throw new Error(intake.kind);
    expect(intake.documents.map((d) => d.submission.documents[0]?.replaces?.uniqueId)).toEqual([N1, N3]);
    expect(intake.documents.map((d) => d.submission.documents[0]?.versionNumber)).toEqual([2, 2]);
  });

  it('RO + C without a relatedDocument in the CDA is refused', () => {
    const err = rejection(() =>
      translateHl7(oru({ orderControl: 'RO', documents: [{ ...n1(), status: 'C' }] }), context()),
    );
    expect(located(err)).toEqual(['OBX[1]-5.5 INVALID_INPUT']);
  });

  it('CA + D: deletes every document the message carries, by CDA id', () => {
    const intake = translateHl7(
      oru({
        orderControl: 'CA',
        documents: [
          { ...n1(), status: 'D' },
          { ...n3(), status: 'D' },
        ],
      }),
      context(),
    );
    expect(intake).toMatchObject({
      kind: 'deletion',
      documentUniqueId: N1,
      documentUniqueIds: [N1, N3],
      location: 'OBX[1]',
      patient: { ins: PATIENT.ins },
    });
  });

  it('refuses ORC-1 and OBX-11 that disagree, or are not in their tables', () => {
    const mixed = rejection(() =>
      translateHl7(oru({ documents: [n1(), { ...n3(), status: 'C' }] }), context()),
    );
    expect(located(mixed)).toEqual(['OBX[2]-11 HL7_INCONSISTENT_TRIGGER']);
    const unknown = rejection(() =>
      translateHl7(oru({ orderControl: 'XO', documents: [{ ...n1(), status: 'X' }] }), context()),
    );
    expect(located(unknown)).toEqual(['ORC[1]-1 HL7_TABLE_VALUE', 'OBX[1]-11 HL7_TABLE_VALUE']);
    const empty = rejection(() =>
      translateHl7(oru({ orderControl: '', documents: [{ ...n1(), status: '' }] }), context()),
    );
    expect(located(empty)).toEqual(['ORC[1]-1 HL7_REQUIRED_FIELD', 'OBX[1]-11 HL7_REQUIRED_FIELD']);
  });

  it('carries two documents at most, and one document at least', () => {
    const three = rejection(() =>
      translateHl7(oru({ documents: [n1(), n3(), n3({ id: `${N3}.9` })] }), context()),
    );
    expect(located(three)).toEqual(['OBX[3]-5 HL7_CARDINALITY']);
    const none = rejection(() => translateHl7(oru({ documents: [] }), context()));
    expect(located(none)).toEqual(['OBX[1]-2 HL7_SEGMENT_SEQUENCE', 'PRT HL7_SEGMENT_SEQUENCE']);
  });

  it('wraps a PDF as N1 with a minted id, its times from OBR-7, and cannot replace it (no TXA-13)', () => {
    const pdf = { ed: ed(TINY_PDF, 'AP', 'PDF'), type: '11490-0^Lettre de sortie^LN' };
    const intake = translateHl7(oru({ documents: [pdf] }), context());
    if (intake.kind !== 'documents') throw new Error(intake.kind);
    const entry = intake.documents[0]?.submission.documents[0];
    expect(entry?.id.root).toMatch(/^2\.25\.\d+$/);
    expect(entry).toMatchObject({
      title: 'Lettre de sortie',
      creationTime: '2026-11-20T08:00:00Z',
      serviceStartTime: '2026-11-20T08:00:00Z',
      content: { kind: 'unstructured', mediaType: 'application/pdf' },
    });
    const replace = rejection(() =>
      translateHl7(oru({ orderControl: 'RO', documents: [{ ...pdf, status: 'C' }] }), context()),
    );
    expect(located(replace)).toEqual(['OBX[1]-5.2 INVALID_INPUT']);
  });

  it('checks that OBR-4 and OBX-3 name the type of the CDA', () => {
    const other = rejection(() =>
      translateHl7(oru({ documents: [{ ...n1(), type: '11490-0^Lettre de sortie^LN' }] }), context()),
    );
    expect(located(other)).toEqual(['OBX[1]-3.1 INVALID_INPUT']);
    const system = rejection(() =>
      translateHl7(oru({ documents: [{ ...n1(), type: '11502-2^CR^SNOMED' }] }), context()),
    );
    expect(located(system)).toEqual(['OBX[1]-3.3 HL7_TABLE_VALUE']);
  });
});
