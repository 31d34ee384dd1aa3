/**
 * TD0.2, the DMP existence test (DOMAIN.md §1): HL7 v3 `PRPA_IN201307UV02`
 * (patientIdentifier = the INS) answered by `PRPA_IN201308UV02`. Shape as
 * DMP clients read it (ansforge/DRIM-M_DRIMbox VerifyAuthorizationRequest
 * and check-access.service; the ANS TLSi kit GDP client):
 * `acknowledgement/@typeCode` AA (AE for a malformed request, with an
 * acknowledgementDetail), `controlActProcess/queryAck/queryResponseCode`
 * OK (a DMP exists) or NF (none), and for an existing DMP a
 * `subject/registrationEvent/subject1/patient` with the INS and a status:
 * `active` for an open DMP; a closed DMP is `terminated` (patient, HL7 v3
 * RoleStatus) with a `completed` registration; an open DMP also carries the
 * attentionLine AUTORISATION = VALIDE.
 */
import { randomUUID } from 'node:crypto';
import { GatewayError } from '../errors/catalogue.ts';
import { INS_OIDS, NS, TD02 } from '../model/vocabulary.ts';
import { standaloneXml } from '../soap/envelope.ts';
import { sameIns } from '../xds/cx.ts';
import { attr, parseXml, type XmlObject } from '../xml/parse.ts';
import { el, type XmlElement } from '../xml/tree.ts';
import { SoapFaultError, type SoapRequest } from './soap-endpoint.ts';
import type { EndpointResult, SandboxState } from './state.ts';
import type { DmpState, InsId } from './types.ts';
import type { VihfContext } from './vihf-check.ts';

interface Td02Request {
  readonly id?: { root?: string; extension?: string };
  readonly senderId?: string;
  readonly processingCode?: string;
  readonly queryId?: { root?: string; extension?: string };
  readonly ins?: InsId;
  /** HL7 AcknowledgementDetailCode of a malformed request. */
  readonly problem?: { code: string; text: string };
}

function at(node: unknown, ...path: string[]): XmlObject | undefined {
  let current = node;
  for (const key of path)
    current = current && typeof current === 'object' ? (current as XmlObject)[key] : undefined;
  return current && typeof current === 'object' ? (current as XmlObject) : undefined;
}

function ii(node: XmlObject | undefined) {
  return node && { root: attr(node, 'root'), extension: attr(node, 'extension') };
}

function readRequest(xml: string): Td02Request {
  const message = parseXml(xml).PRPA_IN201307UV02 as XmlObject | undefined;
  const base = {
    id: ii(at(message, 'id')),
    senderId: attr(at(message, 'sender', 'device', 'id'), 'root'),
    processingCode: attr(at(message, 'processingCode'), 'code'),
    queryId: ii(at(message, 'controlActProcess', 'queryByParameter', 'queryId')),
  };
  if (attr(at(message, 'interactionId'), 'extension') !== TD02.request) {
    return { ...base, problem: { code: 'SYN102', text: `interactionId must be ${TD02.request}` } };
  }
  const value = at(
    message,
    'controlActProcess',
    'queryByParameter',
    'parameterList',
    'patientIdentifier',
    'value',
  );
  const root = attr(value, 'root');
  const extension = attr(value, 'extension');
  if (!root || !extension) {
    return {
      ...base,
      problem: { code: 'SYN105', text: 'parameterList/patientIdentifier/value (the INS) is required' },
    };
  }
  if (!INS_OIDS.includes(root)) {
    return { ...base, problem: { code: 'SYN102', text: 'patientIdentifier/value/@root must be an INS OID' } };
  }
  return { ...base, ins: { root, extension } };
}

function hl7Time(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function device(typeCode: 'RCV' | 'SND', root: string | undefined, name?: string): XmlElement {
  return el(
    typeCode === 'RCV' ? 'receiver' : 'sender',
    { typeCode },
    el(
      'device',
      { classCode: 'DEV', determinerCode: 'INSTANCE' },
      el('id', root ? { root } : { nullFlavor: 'UNK' }),
      name && el('softwareName', {}, name),
    ),
  );
}

function subject(ins: InsId, dmp: DmpState): XmlElement {
  const closed = dmp === 'closed';
  return el(
    'subject',
    { typeCode: 'SUBJ' },
    el(
      'registrationEvent',
      { classCode: 'REG', moodCode: 'EVN' },
      el('statusCode', { code: closed ? 'completed' : 'active' }),
      el(
        'subject1',
        { typeCode: 'SBJ' },
        el(
          'patient',
          { classCode: 'PAT' },
          el('id', { root: ins.root, extension: ins.extension }),
          el('statusCode', { code: closed ? 'terminated' : 'active' }),
          el('patientPerson', { classCode: 'PSN', determinerCode: 'INSTANCE' }),
        ),
      ),
    ),
  );
}

function responseXml(request: Td02Request, dmp: DmpState | undefined, now: Date): XmlElement {
  const found = dmp === 'active' || dmp === 'closed';
  const ins = request.ins;
  const queryCode = request.problem ? 'QE' : found ? TD02.dmpFound : TD02.dmpNotFound;
  return el(
    TD02.response,
    { xmlns: NS.hl7v3, 'xmlns:xsi': NS.xsi, ITSVersion: 'XML_1.0' },
    el('id', { root: TD02.dmpDeviceId, extension: randomUUID() }),
    el('creationTime', { value: hl7Time(now) }),
    el('interactionId', { root: TD02.interactionIdRoot, extension: TD02.response }),
    el('processingCode', { code: request.processingCode ?? 'P' }),
    el('processingModeCode', { code: 'T' }),
    el('acceptAckCode', { code: 'NE' }),
    device('RCV', request.senderId),
    device('SND', TD02.dmpDeviceId, 'DMP'),
    dmp === 'active' &&
      el(
        'attentionLine',
        {},
        el('keyWordText', { code: 'AUTORISATION' }),
        el('value', { 'xsi:type': 'CV', code: 'VALIDE' }),
      ),
    el(
      'acknowledgement',
      { typeCode: request.problem ? 'AE' : 'AA' },
      el(
        'targetMessage',
        {},
        request.id && el('id', { root: request.id.root, extension: request.id.extension }),
      ),
      request.problem &&
        el(
          'acknowledgementDetail',
          { typeCode: 'E' },
          el('code', { code: request.problem.code }),
          el('text', {}, request.problem.text),
        ),
    ),
    el(
      'controlActProcess',
      { classCode: 'CACT', moodCode: 'EVN' },
      el('code', { code: 'PRPA_TE201308UV02', codeSystem: TD02.interactionIdRoot }),
      found && ins && subject(ins, dmp),
      el(
        'queryAck',
        {},
        request.queryId &&
          el('queryId', { root: request.queryId.root, extension: request.queryId.extension }),
        el('queryResponseCode', { code: queryCode }),
      ),
    ),
  );
}

/** Handles one TD0.2 request whose envelope and VIHF were checked. */
export function handleTd02(request: SoapRequest, vihf: VihfContext, state: SandboxState): EndpointResult {
  const body = request.envelope.body;
  if (body?.namespace !== NS.hl7v3 || body.localName !== TD02.request) {
    throw new SoapFaultError('Sender', `the Body must hold an HL7 v3 ${TD02.request}`);
  }
  let td02: Td02Request;
  try {
    td02 = readRequest(standaloneXml(body));
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    td02 = { problem: { code: 'SYN102', text: 'the message could not be read' } };
  }
  if (td02.ins && !sameIns(td02.ins, vihf.ins)) {
    throw new SoapFaultError(
      'Sender',
      'the VIHF resource-id is not the queried patient',
      'wsse:FailedAuthentication',
    );
  }
  const dmp = td02.ins && state.patients.dmpOf(td02.ins);
  return {
    body: responseXml(td02, dmp, state.now()),
    outcome: td02.problem ? 'failure' : 'success',
    errorCodes: td02.problem ? [td02.problem.code] : [],
  };
}
