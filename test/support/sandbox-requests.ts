/**
 * Minimal ITI-18, ITI-57 and TD0.2 requests for the sandbox DMP tests,
 * built with the typed XML tree and signed with a fresh VIHF (the gateway's
 * own DMP client lives in src/dmp; these are deliberately independent).
 */
import { randomUUID } from 'node:crypto';
import {
  METADATA_UPDATE,
  NS,
  SOAP_ACTION,
  STATUS,
  STORED_QUERY,
  TD02,
  XDS,
} from '../../src/model/vocabulary.ts';
import type { InsId } from '../../src/sandbox/types.ts';
import type { SigningKey } from '../../src/signature/signer.ts';
import { buildVihf, type VihfParams } from '../../src/signature/vihf.ts';
import { buildSoapEnvelope } from '../../src/soap/envelope.ts';
import { association, externalIdentifier, idMinter, slot } from '../../src/xds/ebrim-parts.ts';
import { el, serialize, signedFragment, type XmlElement } from '../../src/xml/tree.ts';
import { FIXED_NOW, testConfig } from './context.ts';

export interface RequestEnv {
  readonly signingKey: SigningKey;
  readonly signerDn: string;
  /** The patient of the VIHF (resource-id). */
  readonly ins: InsId;
  /** Identifiant_Structure (default: `1` + the test FINESS). */
  readonly structureId?: string;
  readonly now?: Date;
}

export interface SoapMessage {
  readonly contentType: string;
  readonly body: Buffer;
  readonly messageId: string;
}

const cx = (ins: InsId) => `${ins.extension}^^^&${ins.root}&ISO^NH`;

export function vihfParams(env: RequestEnv): VihfParams {
  return {
    issuer: env.signerDn,
    nameId: 'dmp-gateway',
    structureId: env.structureId ?? `1${testConfig.establishment.finess}`,
    facilityType: testConfig.establishment.facilityType,
    subjectId: 'dmp-gateway',
    role: { code: 'AUTOMATE', codeSystem: '1.2.250.1.213.1.1.4.6' },
    resourceId: cx(env.ins),
    purposeOfUse: { code: 'normal', codeSystem: '1.2.250.1.213.1.1.4.248' },
    lps: { name: 'dmp-gateway', version: '0.1.0', homologation: 'TEST' },
  };
}

/** A plain SOAP 1.2 request (application/soap+xml) with WS-Addressing and a signed VIHF. */
export function soapMessage(action: string, body: XmlElement, env: RequestEnv, vihf?: string): SoapMessage {
  const messageId = `urn:uuid:${randomUUID()}`;
  const assertion =
    vihf ?? buildVihf(vihfParams(env), env.signingKey, { now: env.now ?? FIXED_NOW, id: `_${randomUUID()}` });
  const xml = serialize(
    buildSoapEnvelope({
      action,
      messageId,
      to: 'https://127.0.0.1/dmp',
      security: [signedFragment(assertion)],
      body,
    }),
    { declaration: true },
  );
  return {
    contentType: `application/soap+xml; charset=UTF-8; action="${action}"`,
    body: Buffer.from(xml, 'utf8'),
    messageId,
  };
}

function adhocQuery(
  queryId: string,
  returnType: string,
  params: readonly [string, readonly string[]][],
): XmlElement {
  return el(
    'query:AdhocQueryRequest',
    { 'xmlns:query': NS.query, 'xmlns:rim': NS.rim },
    el('query:ResponseOption', { returnComposedObjects: 'true', returnType }),
    el(
      'rim:AdhocQuery',
      { id: queryId },
      params.map(([name, values]) => slot(name, values)),
    ),
  );
}

const list = (values: readonly string[]) => `(${values.map((v) => `'${v}'`).join(',')})`;

/** ITI-18 FindDocuments for the VIHF patient. */
export function findDocuments(
  env: RequestEnv,
  opts: {
    statuses?: readonly string[];
    returnType?: string;
    extra?: readonly [string, readonly string[]][];
    patient?: InsId;
  } = {},
): SoapMessage {
  const body = adhocQuery(STORED_QUERY.findDocuments, opts.returnType ?? 'LeafClass', [
    ['$XDSDocumentEntryPatientId', [`'${cx(opts.patient ?? env.ins)}'`]],
    ['$XDSDocumentEntryStatus', [list(opts.statuses ?? [STATUS.approved])]],
    ...(opts.extra ?? []),
  ]);
  return soapMessage(SOAP_ACTION.iti18, body, env);
}

/** ITI-18 GetDocuments by uniqueId or entryUUID. */
export function getDocuments(
  env: RequestEnv,
  by: {
    uniqueIds?: readonly string[];
    entryUUIDs?: readonly string[];
    returnType?: string;
    queryId?: string;
  },
): SoapMessage {
  const params: [string, readonly string[]][] = [];
  if (by.uniqueIds) params.push(['$XDSDocumentEntryUniqueId', [list(by.uniqueIds)]]);
  if (by.entryUUIDs) params.push(['$XDSDocumentEntryEntryUUID', [list(by.entryUUIDs)]]);
  return soapMessage(
    SOAP_ACTION.iti18,
    adhocQuery(by.queryId ?? STORED_QUERY.getDocuments, by.returnType ?? 'LeafClass', params),
    env,
  );
}

/** ITI-57 availability status change of one entry (default: Approved → Deleted). */
export function updateStatus(
  env: RequestEnv,
  target: { entryUUID: string; originalStatus?: string; newStatus?: string; patient?: InsId },
): SoapMessage {
  const ids = idMinter();
  const ss = 'SubmissionSet01';
  const body = el(
    'lcm:SubmitObjectsRequest',
    { 'xmlns:lcm': NS.lcm, 'xmlns:rim': NS.rim },
    el(
      'rim:RegistryObjectList',
      {},
      el(
        'rim:RegistryPackage',
        { id: ss },
        slot('submissionTime', ['20261120103000']),
        externalIdentifier(
          ids,
          XDS.submissionSet.patientId,
          ss,
          cx(target.patient ?? env.ins),
          'XDSSubmissionSet.patientId',
        ),
        externalIdentifier(
          ids,
          XDS.submissionSet.sourceId,
          ss,
          '1.2.250.1.999.1.1',
          'XDSSubmissionSet.sourceId',
        ),
        externalIdentifier(
          ids,
          XDS.submissionSet.uniqueId,
          ss,
          `1.2.250.1.999.1.9.${Date.now()}`,
          'XDSSubmissionSet.uniqueId',
        ),
      ),
      el('rim:Classification', {
        id: 'cl-ss',
        classifiedObject: ss,
        classificationNode: XDS.submissionSet.classificationNode,
      }),
      association(
        ids,
        METADATA_UPDATE.updateAvailabilityStatus,
        ss,
        target.entryUUID,
        slot(METADATA_UPDATE.originalStatusSlot, [target.originalStatus ?? STATUS.approved]),
        slot(METADATA_UPDATE.newStatusSlot, [target.newStatus ?? STATUS.deleted]),
      ),
    ),
  );
  return soapMessage(SOAP_ACTION.iti57, body, env);
}

/** TD0.2 PRPA_IN201307UV02 asking whether `ins` (default: the VIHF patient) has a DMP. */
export function td02(env: RequestEnv, ins: InsId = env.ins): SoapMessage {
  const body = el(
    TD02.request,
    { xmlns: NS.hl7v3, ITSVersion: 'XML_1.0' },
    el('id', { root: '1.2.250.1.999.1.1.1', extension: randomUUID() }),
    el('creationTime', { value: '20261120103000' }),
    el('interactionId', { root: TD02.interactionIdRoot, extension: TD02.request }),
    el('processingCode', { code: 'P' }),
    el('processingModeCode', { code: 'T' }),
    el('acceptAckCode', { code: 'AL' }),
    el(
      'receiver',
      { typeCode: 'RCV' },
      el('device', { classCode: 'DEV', determinerCode: 'INSTANCE' }, el('id', { root: TD02.dmpDeviceId })),
    ),
    el(
      'sender',
      { typeCode: 'SND' },
      el('device', { classCode: 'DEV', determinerCode: 'INSTANCE' }, el('id', { root: '1.2.250.1.999.1.1' })),
    ),
    el(
      'controlActProcess',
      { classCode: 'CACT', moodCode: 'EVN' },
      el('reasonCode', TD02.reasonExistenceTest),
      el(
        'queryByParameter',
        {},
        el('queryId', { root: '1.2.250.1.999.1.1.2', extension: randomUUID() }),
        el('statusCode', { code: 'new' }),
        el(
          'parameterList',
          {},
          el(
            'patientIdentifier',
            {},
            el('value', { root: ins.root, extension: ins.extension }),
            el('semanticsText', {}, 'Patient.id'),
          ),
        ),
      ),
    ),
  );
  return soapMessage(SOAP_ACTION.td02, body, env);
}
