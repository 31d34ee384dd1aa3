/**
 * DMP TD0.2 "test d'existence du DMP et vérification des autorisations"
 * (DOMAIN.md §1): HL7 v3 `PRPA_IN201307UV02` (patient registry query by the
 * INS) answered by `PRPA_IN201308UV02`.
 *
 * The DMP integration guide (GIE SESAM-Vitale SEL-MP-037) is not public. What
 * is built and read here is what several public DMP clients agree on:
 * ANS sample code "TLSi kit éditeur" (`MessageBuilder.IsDMPExistHl7V3Message`,
 * `PatientSoapService.IsDMPExist`), ansforge/DRIM-M_DRIMbox
 * (`VerifyAuthorizationRequest.java`) and one independent .NET client:
 * - request: message id, creationTime, interactionId, processingCode,
 *   processingModeCode `T`, acceptAckCode `AL`, receiver device
 *   `1.2.250.1.213.4.1.1.1`/`DMP`, sender device, controlActProcess with
 *   reasonCode `TEST_EXST` (1.2.250.1.213.1.1.4.11) and queryByParameter
 *   (queryId, statusCode `new`, parameterList/patientIdentifier/value = the
 *   INS as II, semanticsText `Patient.id`);
 * - response: `acknowledgement/@typeCode` `AA` (else `AE`/`AR` with
 *   acknowledgementDetail code and text); `controlActProcess/queryAck/
 *   queryResponseCode/@code` `OK` (a DMP exists) or `NF` (none);
 *   `subject/registrationEvent/statusCode` ("statut du DMP") and
 *   `subject1/patient/statusCode` (`active`/`terminated` per the ANS kit).
 * Not verified, read leniently: which status value marks a closed DMP (here
 * any of {@link CLOSED_STATUSES} on either statusCode) and the authorisation,
 * read from `attentionLine[keyWordText/@code='AUTORISATION']/value` (code or
 * value) as one client does (values VALIDE, INTERDIT, EXPIRE, NON_EXISTE per
 * the DevBox-Santé documentation).
 */

import { GatewayError } from '../errors/catalogue.ts';
import type { InstanceId } from '../model/types.ts';
import { TD02, TD02_REQUEST } from '../model/vocabulary.ts';
import { asArray, attr, parseXml, textOf, type XmlObject } from '../xml/parse.ts';
import { el, type XmlElement } from '../xml/tree.ts';

export interface Td02Request {
  /** The patient's INS (root = INS OID, extension = matricule). */
  readonly ins: InstanceId & { readonly extension: string };
  /** Message id and query id extensions (UUIDs). */
  readonly messageId: string;
  readonly queryId: string;
  readonly now: Date;
  /** OID identifying the sending system (sender device id, root of the message and query ids). */
  readonly senderOid: string;
  readonly softwareName: string;
  /** HL7 processingCode: `P` production (ANS kit), `D` debugging (DRIMbox), `T` training. */
  readonly processingCode?: 'P' | 'D' | 'T';
}

function hl7Time(t: Date): string {
  return t.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function device(typeName: 'receiver' | 'sender', id: string, softwareName: string): XmlElement {
  return el(
    typeName,
    { typeCode: typeName === 'receiver' ? 'RCV' : 'SND' },
    el(
      'device',
      { classCode: 'DEV', determinerCode: 'INSTANCE' },
      el('id', { root: id }),
      el('softwareName', {}, softwareName),
    ),
  );
}

/** Builds `PRPA_IN201307UV02` (default namespace urn:hl7-org:v3) for an existence test of one INS. */
export function buildTd02Request(r: Td02Request): XmlElement {
  return el(
    TD02.request,
    { xmlns: 'urn:hl7-org:v3', ITSVersion: 'XML_1.0' },
    el('id', { root: r.senderOid, extension: r.messageId }),
    el('creationTime', { value: hl7Time(r.now) }),
    el('interactionId', { root: TD02.interactionIdRoot, extension: TD02.request }),
    el('processingCode', { code: r.processingCode ?? 'P' }),
    el('processingModeCode', { code: 'T' }),
    el('acceptAckCode', { code: 'AL' }),
    device('receiver', TD02.dmpDeviceId, TD02_REQUEST.dmpSoftwareName),
    device('sender', r.senderOid, r.softwareName),
    el(
      'controlActProcess',
      { classCode: 'CACT', moodCode: 'EVN' },
      el('reasonCode', { ...TD02.reasonExistenceTest, displayName: TD02_REQUEST.reasonDisplayName }),
      el(
        'queryByParameter',
        {},
        el('queryId', { root: r.senderOid, extension: r.queryId }),
        el('statusCode', { code: 'new' }),
        el(
          'parameterList',
          {},
          el(
            'patientIdentifier',
            {},
            el('value', { root: r.ins.root, extension: r.ins.extension }),
            el('semanticsText', {}, TD02_REQUEST.patientIdSemantics),
          ),
        ),
      ),
    ),
  );
}

/** statusCode values read as a closed DMP (HL7 v3 RoleStatus / ActStatus values that end a record). */
export const CLOSED_STATUSES: readonly string[] = [
  'terminated',
  'nullified',
  'cancelled',
  'aborted',
  'obsolete',
  'suspended',
];

export type DmpState = 'active' | 'closed' | 'absent';

/** The DMP's answer about one patient. */
export interface Td02Answer {
  readonly kind: 'answer';
  readonly dmp: DmpState;
  /** The AUTORISATION attention line value, when present (VALIDE, INTERDIT, EXPIRE, NON_EXISTE...). */
  readonly authorisation?: string;
}

export type Td02Result =
  | Td02Answer
  | {
      /** The DMP refused or could not run the query (`AE`/`AR`, or a queryResponseCode other than OK/NF). */
      readonly kind: 'error';
      readonly ack: string;
      readonly queryResponseCode?: string;
      readonly details: readonly { readonly code: string; readonly text: string }[];
    };

const ARRAYS = ['acknowledgement', 'acknowledgementDetail', 'subject', 'attentionLine'];

function codeOf(node: unknown): string | undefined {
  return attr(node, 'code')?.trim() || undefined;
}

/** `acknowledgement/@typeCode` (GDP schema) or `acknowledgement/typeCode/@code` (HL7 v3 2008+). */
function ackType(ack: XmlObject | undefined): string {
  return (attr(ack, 'typeCode') ?? codeOf(ack?.typeCode) ?? '').trim();
}

function authorisationOf(message: XmlObject): string | undefined {
  const line = asArray(message.attentionLine as XmlObject[] | undefined).find(
    (l) => codeOf(l.keyWordText) === 'AUTORISATION' || textOf(l.keyWordText)?.trim() === 'AUTORISATION',
  );
  const value = line?.value;
  return codeOf(value) ?? attr(value, 'value') ?? textOf(value)?.trim();
}

/** Reads `PRPA_IN201308UV02`, bare or as the first child of a SOAP Body; INVALID_INPUT otherwise. */
export function readTd02Response(xml: string | Uint8Array): Td02Result {
  const root = parseXml(xml, { arrays: ARRAYS });
  const body = (root.Envelope as XmlObject | undefined)?.Body as XmlObject | undefined;
  const message = (body ?? root)[TD02.response] as XmlObject | undefined;
  if (!message || typeof message !== 'object') {
    throw new GatewayError('INVALID_INPUT', [
      { code: 'INVALID_INPUT', path: '/', message: `no ${TD02.response} found` },
    ]);
  }
  const ack = asArray(message.acknowledgement as XmlObject[] | undefined)[0];
  const details = asArray(ack?.acknowledgementDetail as XmlObject[] | undefined).map((d) => ({
    code: codeOf(d.code) ?? attr(d, 'code') ?? '',
    text: textOf(d.text)?.trim() ?? '',
  }));
  const control = message.controlActProcess as XmlObject | undefined;
  const queryResponseCode = codeOf((control?.queryAck as XmlObject | undefined)?.queryResponseCode);
  const typeCode = ackType(ack);
  if (typeCode !== 'AA') return { kind: 'error', ack: typeCode, queryResponseCode, details };
  const authorisation = authorisationOf(message);
  const withAuthorisation = authorisation ? { authorisation } : {};
  if (queryResponseCode === TD02.dmpNotFound) return { kind: 'answer', dmp: 'absent', ...withAuthorisation };
  if (queryResponseCode !== TD02.dmpFound)
    return { kind: 'error', ack: typeCode, queryResponseCode, details };
  const event = asArray(control?.subject as XmlObject[] | undefined)[0]?.registrationEvent as
    | XmlObject
    | undefined;
  const patient = (event?.subject1 as XmlObject | undefined)?.patient as XmlObject | undefined;
  const statuses = [codeOf(event?.statusCode), codeOf(patient?.statusCode)];
  const closed = statuses.some((s) => s !== undefined && CLOSED_STATUSES.includes(s));
  return { kind: 'answer', dmp: closed ? 'closed' : 'active', ...withAuthorisation };
}
