/**
 * The document of one DocumentEntry (ITI TF-3 §4.2.3.2.10 hash, §4.2.3.2.20
 * size; DOMAIN.md §3, §6): its bytes checked against the hash and size slots
 * (`XDSRepositoryMetadataError`), then either a CDA (mimeType `text/xml`:
 * deposited byte for byte, its header read and checked against the
 * metadata) or a document the gateway wraps as CDA N1 (PDF, text, JPEG, RTF,
 * TIFF). Anything else is not accepted by the DMP feed.
 */
import { type CdaHeader, readCdaHeader } from '../../cda/header.ts';
import { GatewayError } from '../../errors/catalogue.ts';
import type { DocumentContent, InstanceId } from '../../model/types.ts';
import { N1_FORMAT_CODE, SLOT, XDS } from '../../model/vocabulary.ts';
import type { InsId } from '../../xds/cx.ts';
import { sameIns } from '../../xds/cx.ts';
import { sha1Hex } from '../../xds/document-entry.ts';
import { XDS_ERROR } from '../../xds/registry-errors.ts';
import type { EntryMetadata } from './document-entry.ts';
import { type ObjectReader, part } from './rim-reader.ts';

/** Media types of a CDA document entry [VOLET-HL7 mapping.md; the XML media types of RFC 7303]. */
const CDA_MEDIA_TYPES: readonly string[] = ['text/xml', 'application/xml', 'application/hl7-cda+xml'];

export interface EntryContent {
  readonly content: DocumentContent;
  /** The header of a CDA document. */
  readonly header?: CdaHeader;
}

function checkHashAndSize(reader: ObjectReader, meta: EntryMetadata, bytes: Uint8Array): void {
  if (meta.hash !== undefined && meta.hash !== sha1Hex(bytes)) {
    reader.fail(
      part.slot(SLOT.hash),
      'is not the SHA-1 of the document received',
      XDS_ERROR.repositoryMetadataError,
    );
  }
  if (meta.size !== undefined && meta.size !== String(bytes.length)) {
    reader.fail(
      part.slot(SLOT.size),
      'is not the size of the document received',
      XDS_ERROR.repositoryMetadataError,
    );
  }
}

function readCda(reader: ObjectReader, bytes: Uint8Array): CdaHeader | undefined {
  try {
    return readCdaHeader(bytes);
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    const missingIns = err.code === 'MISSING_INS';
    const problems = err.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    reader.fail(
      undefined,
      `the CDA document cannot be deposited (${problems || err.message})`,
      missingIns ? XDS_ERROR.patientIdDoesNotMatch : XDS_ERROR.repositoryMetadataError,
    );
    return undefined;
  }
}

/** The content of the entry; undefined (with errors) when it cannot be deposited. */
export function readContent(
  reader: ObjectReader,
  meta: EntryMetadata,
  bytes: Uint8Array,
): EntryContent | undefined {
  checkHashAndSize(reader, meta, bytes);
  if (CDA_MEDIA_TYPES.includes(meta.mimeType)) {
    const header = readCda(reader, bytes);
    return header && { content: { kind: 'cda', bytes }, header };
  }
  if (N1_FORMAT_CODE[meta.mimeType])
    return { content: { kind: 'unstructured', mediaType: meta.mimeType, bytes } };
  reader.fail(
    '@mimeType',
    `${meta.mimeType} is not accepted: a CDA (text/xml) or a PDF, text, JPEG, RTF or TIFF document`,
    XDS_ERROR.repositoryMetadataError,
  );
  return undefined;
}

/** What the CDA header must agree with. */
export interface CdaExpectations {
  readonly ins?: InsId;
  /** entryUUID targeted by an RPLC association of this entry, if any. */
  readonly replacesTarget?: string;
  /** uniqueId of that target, when the gateway knows it. */
  readonly replacedUniqueId?: string;
}

/**
 * Checks a CDA header against its metadata (CI-SIS: the XDS metadata of a
 * CDA document are taken from its header): the recordTarget INS is the
 * patientId (`XDSPatientIdDoesNotMatch`); uniqueId is the CDA id (a bare
 * root), typeCode the CDA code, the first confidentialityCode the CDA's;
 * an RPLC association goes with `relatedDocument typeCode="RPLC"`
 * (`XDSRegistryMetadataError`).
 */
export function checkCdaHeader(
  reader: ObjectReader,
  meta: EntryMetadata,
  header: CdaHeader,
  expect: CdaExpectations,
): void {
  const de = XDS.documentEntry;
  if (expect.ins && !sameIns(expect.ins, header.patient.ins)) {
    reader.fail(
      part.external(de.patientId),
      'is not the INS of the CDA recordTarget',
      XDS_ERROR.patientIdDoesNotMatch,
    );
  }
  if (header.id.extension !== undefined || header.id.root !== meta.uniqueId) {
    reader.fail(part.external(de.uniqueId), 'is not the CDA id (ClinicalDocument/id@root, no extension)');
  }
  if (
    header.typeCode.code !== meta.typeCode.code ||
    header.typeCode.codeSystem !== meta.typeCode.codeSystem
  ) {
    reader.fail(part.classification(de.typeCode), 'is not the CDA code (ClinicalDocument/code)');
  }
  if (header.confidentiality !== meta.confidentiality) {
    reader.fail(part.classification(de.confidentialityCode), 'first is not the CDA confidentialityCode');
  }
  checkReplacement(reader, header.replaces, expect);
}

function checkReplacement(
  reader: ObjectReader,
  replaces: InstanceId | undefined,
  expect: CdaExpectations,
): void {
  if (expect.replacesTarget !== undefined && !replaces) {
    reader.fail(
      undefined,
      'an RPLC association needs the CDA relatedDocument[@typeCode="RPLC"]/parentDocument/id',
    );
  } else if (expect.replacesTarget === undefined && replaces) {
    reader.fail(
      undefined,
      'the CDA replaces a document (relatedDocument RPLC) but no RPLC association says which',
    );
  } else if (replaces && expect.replacedUniqueId !== undefined && replaces.root !== expect.replacedUniqueId) {
    reader.fail(undefined, 'the RPLC target is not the document the CDA parentDocument/id names');
  }
}
