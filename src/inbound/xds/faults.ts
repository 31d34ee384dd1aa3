/**
 * SOAP 1.2 Faults of the ITI-41 recipient, for problems below the XDS level
 * (the HTTP message, MIME packaging, XML, SOAP envelope, WS-Addressing): W3C
 * SOAP 1.2 Part 1 §5.4 (Fault), §5.4.7 (VersionMismatch with an Upgrade
 * header), §5.4.8 (MustUnderstand with NotUnderstood headers); WS-Addressing
 * 1.0 SOAP Binding §6 (fault action, subcodes). HTTP status codes follow SOAP
 * 1.2 Part 2 §7.5.2.2: 400 for Sender, 500 otherwise; 413 and 415 when the
 * body is refused before it is read.
 */

import { NS, WSA } from '../../model/vocabulary.ts';
import { buildSoapFault, newMessageId } from '../../soap/envelope.ts';
import { el, type XmlElement } from '../../xml/tree.ts';

export type XdsFaultCode = 'Sender' | 'Receiver' | 'VersionMismatch' | 'MustUnderstand';

/** A header block flagged mustUnderstand that this recipient does not process. */
export interface QualifiedName {
  readonly namespace: string;
  readonly localName: string;
}

/** An envelope-level problem, answered with a SOAP Fault. */
export class XdsFault extends Error {
  readonly code: XdsFaultCode;
  /** A QName with a prefix of NS (`wsa:ActionNotSupported`), or unprefixed. */
  readonly subcode?: string;
  /** HTTP status; default by code (SOAP 1.2 Part 2 §7.5.2.2). */
  readonly status: number;
  readonly notUnderstood: readonly QualifiedName[];

  constructor(
    code: XdsFaultCode,
    reason: string,
    options: { subcode?: string; status?: number; notUnderstood?: readonly QualifiedName[] } = {},
  ) {
    super(reason);
    this.name = 'XdsFault';
    this.code = code;
    this.subcode = options.subcode;
    this.status = options.status ?? (code === 'Sender' ? 400 : 500);
    this.notUnderstood = options.notUnderstood ?? [];
  }
}

/** A Sender fault: the message is at fault and must not be resent unchanged. */
export function senderFault(reason: string, subcode?: string, status?: number): XdsFault {
  return new XdsFault('Sender', reason, { subcode, status });
}

function addressingHeaders(messageId: string | undefined) {
  if (messageId === undefined) return [];
  return [
    el('wsa:Action', { 'soap:mustUnderstand': '1' }, WSA.faultAction),
    el('wsa:MessageID', {}, newMessageId()),
    el('wsa:RelatesTo', {}, messageId),
  ];
}

/**
 * The Fault envelope of `fault`. With the request's MessageID, it carries
 * the WS-Addressing fault action and RelatesTo (WS-Addressing SOAP Binding §6).
 */
export function faultEnvelope(fault: XdsFault, requestMessageId?: string): XmlElement {
  if (fault.code === 'Sender' || fault.code === 'Receiver') {
    const addressing =
      requestMessageId === undefined ? undefined : { relatesTo: requestMessageId, messageId: newMessageId() };
    return buildSoapFault(fault.code, fault.message, fault.subcode, addressing);
  }
  const blocks =
    fault.code === 'VersionMismatch'
      ? [
          el(
            'soap:Upgrade',
            {},
            el('soap:SupportedEnvelope', { qname: 'up:Envelope', 'xmlns:up': NS.soap12 }),
          ),
        ]
      : fault.notUnderstood.map((q) =>
          el(
            'soap:NotUnderstood',
            q.namespace === ''
              ? { qname: q.localName }
              : { qname: `nu:${q.localName}`, 'xmlns:nu': q.namespace },
          ),
        );
  const header = el('soap:Header', {}, addressingHeaders(requestMessageId), blocks);
  const body = el(
    'soap:Body',
    {},
    el(
      'soap:Fault',
      {},
      el('soap:Code', {}, el('soap:Value', {}, `soap:${fault.code}`)),
      el('soap:Reason', {}, el('soap:Text', { 'xml:lang': 'en' }, fault.message)),
    ),
  );
  return el('soap:Envelope', { 'xmlns:soap': NS.soap12, 'xmlns:wsa': NS.wsa }, header, body);
}
