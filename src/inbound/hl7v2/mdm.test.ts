import { describe, expect, it } from 'vitest';
import { TINY_PDF } from '../../../fixtures/cda/sample.ts';
import { AUTHOR, cdaN1, PATIENT } from '../../../fixtures/hl7v2/cda.ts';
import { context, located, rejection } from '../../../fixtures/hl7v2/context.ts';
import {
  bytes,
  ed,
  type MessageOptions,
  message,
  PID_FIELDS,
  SENDER_PRT,
} from '../../../fixtures/hl7v2/messages.ts';
import { SCHEMA, xsdErrors } from '../../../test/support/xsd.ts';
import { readCdaHeader } from '../../cda/header.ts';
import { wrapN1 } from '../../cda/n1.ts';
import { encodeHl7 } from './decode.ts';
import { translateHl7 } from './translate.ts';
import type { Hl7Document, Hl7Intake } from './types.ts';

const V1 = '1.2.250.1.999.1.3.1001';
const V2 = '1.2.250.1.999.1.3.1002';
const mdm = (o: Partial<MessageOptions> = {}): string =>
  message({ type: 'MDM', txa12: V1, documents: [{ ed: ed(cdaN1({ id: V1 })) }], ...o });

function only(intake: Hl7Intake): Hl7Document {
  if (intake.kind !== 'documents' || intake.documents.length !== 1)
    throw new Error(`unexpected ${intake.kind}`);
  return intake.documents[0] as Hl7Document;
}

describe('MDM^T02 with a CDA', () => {
  const cda = cdaN1({ id: V1 });
  const doc = only(translateHl7(bytes(mdm({ documents: [{ ed: ed(cda) }] })), context()));
  const entry = doc.submission.documents[0];

  it('passes the CDA through byte for byte, its header giving the document metadata', () => {
    expect(entry?.content).toEqual({ kind: 'cda', bytes: cda });
    expect(entry).toMatchObject({
      id: { root: V1 },
      setId: { root: `${V1}.0` },
      versionNumber: 1,
      typeCode: { code: '11490-0', codeSystem: '2.16.840.1.113883.6.1' },
      classCode: { code: '10', codeSystem: '1.2.250.1.213.1.1.4.1' },
      formatCode: { code: 'urn:ihe:iti:xds-sd:pdf:2008' },
      confidentiality: 'N',
      authors: [{ kind: 'person', person: { id: AUTHOR.person.id } }],
    });
    expect(entry?.replaces).toBeUndefined();
  });

  it('takes the patient from PID (INS, IPP, traits, PID-32) and the submission author from PRT SB', () => {
    expect(doc.submission.patient).toEqual(PATIENT);
    expect(doc.submission.author).toEqual({
      kind: 'person',
      person: { id: '810101201234', familyName: 'LECLERC', givenName: 'SOPHIE', prefix: 'DR' },
      organisation: { id: '1999000019', name: 'Centre Hospitalier de Démonstration' },
    });
    expect(doc.submission.contentTypeCode).toEqual({ code: '07', codeSystem: '1.2.250.1.213.2.2' });
    expect(doc.location).toBe('OBX[1]');
    expect(doc.flags).toEqual({
      toDmp: true,
      confidentialityChange: false,
      secretConnection: false,
      businessAck: false,
      businessAckStated: true,
    });
  });

  it('maps PV1-2 to the activity: I→03, O→07, R→19, E→07, N→97', () => {
    for (const [cls, code] of [
      ['I', '03'],
      ['O', '07'],
      ['R', '19'],
      ['E', '07'],
      ['N', '97'],
    ]) {
      const d = only(translateHl7(bytes(mdm({ patientClass: cls })), context()));
      expect(d.submission.contentTypeCode.code).toBe(code);
    }
  });

  it('maps MetaDMPMSS flags to visibility and routing flags', () => {
    const flags = {
      MASQUE_PS: 'Y',
      INVISIBLE_PATIENT: 'Y',
      INVISIBLE_REP_LEGAUX: 'Y',
      DESTDMP: 'N',
    } as const;
    const all = only(
      translateHl7(
        bytes(mdm({ flags: { ...flags, CONNEXION_SECRETE: 'Y', ACK_RECEPTION: 'Y' } })),
        context(),
      ),
    );
    expect(all.submission.documents[0]?.visibility).toEqual({
      hiddenFromPatient: true,
      hiddenFromLegalRepresentatives: true,
      maskedFromProfessionals: true,
    });
    expect(all.flags).toEqual({
      toDmp: false,
      confidentialityChange: false,
      secretConnection: true,
      businessAck: true,
      businessAckStated: true,
    });
  });

  it('gives the same submissions whatever the segment separator, with or without BOM', () => {
    const text = mdm();
    const reference = translateHl7(bytes(text), context());
    for (const [sep, bom] of [
      ['\n', false],
      ['\r\n', false],
      ['\r\n', true],
      ['\n', true],
    ] as const) {
      expect(translateHl7(bytes(text, sep, bom), context())).toEqual(reference);
    }
  });
});

describe('MDM^T10 and T04', () => {
  const v2 = cdaN1({ id: V2, setId: `${V1}.0`, version: 2, replaces: V1 });

  it('T10 replaces the document of TXA-13, which the CDA names too', () => {
    const d = only(
      translateHl7(
        bytes(
          mdm({
            event: 'T10',
            txa12: V2,
            txa13: V1,
            documents: [{ ed: ed(v2) }],
            flags: { MODIF_CONF_CODE: 'Y' },
          }),
        ),
        context(),
      ),
    );
    expect(d.submission.documents[0]).toMatchObject({
      id: { root: V2 },
      versionNumber: 2,
      replaces: { uniqueId: V1, cdaId: { root: V1 } },
    });
    expect(d.flags.confidentialityChange).toBe(true);
  });

  it('T10 is refused when TXA-13 is missing or names another document, or the CDA replaces nothing', () => {
    const noParent = rejection(() =>
      translateHl7(bytes(mdm({ event: 'T10', txa12: V2, documents: [{ ed: ed(v2) }] })), context()),
    );
    expect(located(noParent)).toEqual(['TXA[1]-13 HL7_REQUIRED_FIELD']);
    const other = rejection(() =>
      translateHl7(
        bytes(mdm({ event: 'T10', txa12: V2, txa13: '1.2.250.1.999.1.3.7', documents: [{ ed: ed(v2) }] })),
        context(),
      ),
    );
    expect(located(other)).toEqual(['TXA[1]-13 INVALID_INPUT']);
    const v1 = rejection(() => translateHl7(bytes(mdm({ event: 'T10', txa13: V1 })), context()));
    expect(located(v1)).toEqual(['OBX[1]-5.5 INVALID_INPUT']);
  });

  it('T04 deletes the document of TXA-12 (= the CDA id)', () => {
    const intake = translateHl7(bytes(mdm({ event: 'T04' })), context());
    expect(intake).toMatchObject({
      kind: 'deletion',
      documentUniqueId: V1,
      documentUniqueIds: [V1],
      location: 'TXA[1]-12',
      patient: { ins: PATIENT.ins },
      author: { person: { id: '810101201234' } },
      contentTypeCode: { code: '07' },
    });
    const mismatch = rejection(() => translateHl7(bytes(mdm({ event: 'T04', txa12: V2 })), context()));
    expect(located(mismatch)).toEqual(['TXA[1]-12 INVALID_INPUT']);
  });

  it('refuses a T02 whose CDA is a replacement, and an event its ORC-1 contradicts', () => {
    const replacing = rejection(() =>
      translateHl7(bytes(mdm({ txa12: V2, documents: [{ ed: ed(v2) }] })), context()),
    );
    expect(located(replacing)).toEqual(['OBX[1]-11 HL7_INCONSISTENT_TRIGGER']);
    const orc = rejection(() => translateHl7(bytes(mdm({ orderControl: 'RO' })), context()));
    expect(located(orc)).toEqual(['ORC[1]-1 HL7_INCONSISTENT_TRIGGER']);
    const obx = rejection(() =>
      translateHl7(bytes(mdm({ documents: [{ ed: ed(cdaN1({ id: V1 })), status: 'D' }] })), context()),
    );
    expect(located(obx)).toEqual(['OBX[1]-11 HL7_INCONSISTENT_TRIGGER']);
  });
});

describe('MDM with a PDF in the OBX', () => {
  const pdf = { ed: ed(TINY_PDF, 'application', 'pdf') };

  it('becomes an unstructured document for the N1 wrapper, metadata from TXA, OBX-3 and PRT', () => {
    const d = only(translateHl7(bytes(mdm({ documents: [pdf] })), context()));
    const entry = d.submission.documents[0];
    expect(entry).toMatchObject({
      id: { root: V1 },
      versionNumber: 1,
      title: 'Lettre de sortie',
      typeCode: { code: '11490-0', codeSystem: '2.16.840.1.113883.6.1', displayName: 'Lettre de sortie' },
      classCode: { code: '10' },
      formatCode: { code: 'urn:ihe:iti:xds-sd:pdf:2008' },
      healthcareFacilityTypeCode: { code: 'SA01' },
      practiceSettingCode: { code: 'ETABLISSEMENT' },
      creationTime: '2026-11-20T09:00:00Z',
      serviceStartTime: '2026-11-20T08:00:00Z',
      custodian: { id: '1999000019' },
      content: { kind: 'unstructured', mediaType: 'application/pdf', bytes: TINY_PDF },
    });
    const cda = wrapN1(d.submission, entry!);
    expect(xsdErrors(cda, SCHEMA.cda)).toEqual([]);
    expect(readCdaHeader(cda).patient.ins).toEqual(PATIENT.ins);
  });

  it('numbers a replacement from the gateway facts about the replaced version', () => {
    const lookup = (id: string) =>
      id === V1
        ? { setId: { root: '1.2.250.1.999.9' }, versionNumber: 3, entryUUID: 'urn:uuid:x' }
        : undefined;
    const d = only(
      translateHl7(
        bytes(mdm({ event: 'T10', txa12: V2, txa13: V1, documents: [pdf] })),
        context({ predecessor: lookup }),
      ),
    );
    expect(d.submission.documents[0]).toMatchObject({
      id: { root: V2 },
      setId: { root: '1.2.250.1.999.9' },
      versionNumber: 4,
      replaces: { uniqueId: V1, entryUUID: 'urn:uuid:x' },
    });
    const unknown = rejection(() =>
      translateHl7(bytes(mdm({ event: 'T10', txa12: V2, txa13: V1, documents: [pdf] })), context()),
    );
    expect(located(unknown)).toEqual(['TXA[1]-13 INVALID_INPUT']);
  });

  it('decodes escaped names (\\S\\ \\T\\ \\F\\ \\E\\ \\X..\\) and keeps them text in the wrapped CDA', () => {
    const family = 'L\\XC389\\GER\\F\\\\S\\X\\T\\Y\\E\\';
    const d = only(
      translateHl7(
        bytes(mdm({ documents: [pdf], pid: { 5: `${family}^ZO\\XC38B\\^ZO\\XC38B\\^^^^L` } })),
        context(),
      ),
    );
    expect(d.submission.patient.birthFamilyName).toBe('LÉGER|^X&Y\\');
    expect(d.submission.patient.givenNames).toEqual(['ZOË']);
    const header = readCdaHeader(wrapN1(d.submission, d.submission.documents[0]!));
    expect(header.patient.birthFamilyName).toBe('LÉGER|^X&Y\\');
  });

  it('reads an 8859/15 message with accents', () => {
    const sender = SENDER_PRT.replace('\\XC3A9\\', '\\XE9\\');
    const pid = { ...PID_FIELDS, 5: 'CŒUR^HÉLÈNE^HÉLÈNE^^^^L' };
    const text = mdm({ charset: '8859/15', documents: [pdf], pid, sender });
    const d = only(translateHl7(encodeHl7(text, 'iso-8859-15'), context()));
    expect(d.submission.patient).toMatchObject({ birthFamilyName: 'CŒUR', givenNames: ['HÉLÈNE'] });
    expect(d.submission.author.organisation.name).toBe('Centre Hospitalier de Démonstration');
  });
});
