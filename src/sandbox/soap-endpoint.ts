/**
 * The SOAP 1.2 layer of the sandbox DMP: reads a request (MTOM/XOP
 * `multipart/related`, or a plain `application/soap+xml` body), checks the
 * envelope and its WS-Addressing headers, and writes answers and faults.
 * W3C SOAP 1.2 Part 1 §5, Part 2 §7 (HTTP binding), WS-Addressing 1.0 SOAP
 * Binding §6 (faults), W3C SOAP MTOM, IHE ITI TF-2x Appendix V.
 */
import { GatewayError } from '../errors/catalogue.ts';
import { MEDIA_TYPE, NS, SOAP_ACTION } from '../model/vocabulary.ts';
import {
  buildSoapEnvelope,
  buildSoapFault,
  newMessageId,
  readSoapEnvelope,
  type SoapEnvelope,
  type SoapFaultCode,
} from '../soap/envelope.ts';
import { parseMediaType } from '../soap/media-type.ts';
import { type MimePart, readMtom, writeMtom } from '../soap/mtom.ts';
import { serialize, type XmlElement } from '../xml/tree.ts';

/** A request the sandbox answers with a SOAP Fault (HTTP 500). */
export class SoapFaultError extends Error {
  readonly code: SoapFaultCode;
  /** QName with a prefix of NS (`wsse:InvalidSecurity`, `wsa:ActionNotSupported`). */
  readonly subcode?: string;

  constructor(code: SoapFaultCode, reason: string, subcode?: string) {
    super(reason);
    this.name = 'SoapFaultError';
    this.code = code;
    this.subcode = subcode;
  }
}

/** A request read from the wire. */
export interface SoapRequest {
  readonly envelope: SoapEnvelope;
  /** Whether it came as MTOM (the answer is MTOM too). */
  readonly mtom: boolean;
  /** MTOM attachments by Content-ID. */
  readonly parts: ReadonlyMap<string, MimePart>;
}

/** An HTTP answer. */
export interface HttpReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

function senderFault(reason: string, subcode?: string): never {
  throw new SoapFaultError('Sender', reason, subcode);
}

function issuesOf(err: unknown): string {
  if (err instanceof GatewayError) return err.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return 'the message could not be read';
}

function isSoap12(contentType: string): boolean {
  try {
    return parseMediaType(contentType).type === MEDIA_TYPE.soap12;
  } catch {
    return false;
  }
}

/**
 * Reads the HTTP body as a SOAP 1.2 message: MTOM (root part
 * `application/xop+xml; type="application/soap+xml"`) or plain SOAP 1.2.
 * Anything else (SOAP 1.1 `text/xml`, malformed XML, MIME errors) is a Sender fault.
 */
export function readSoapRequest(
  contentType: string | undefined,
  body: Buffer,
  maxBytes: number,
): SoapRequest {
  if (!contentType) senderFault('no Content-Type: a SOAP 1.2 message is expected');
  let media: ReturnType<typeof parseMediaType>;
  try {
    media = parseMediaType(contentType);
  } catch (err) {
    return senderFault(`Content-Type: ${issuesOf(err)}`);
  }
  let root: Buffer = body;
  let parts: ReadonlyMap<string, MimePart> = new Map();
  const mtom = media.type === MEDIA_TYPE.multipartRelated;
  if (mtom) {
    try {
      const read = readMtom(contentType, body, { maxBytes });
      const rootType = parseMediaType(read.root.contentType);
      if (rootType.type !== MEDIA_TYPE.xop || rootType.params.get('type') !== MEDIA_TYPE.soap12) {
        senderFault(
          'the MTOM root part must be application/xop+xml with type="application/soap+xml" (SOAP 1.2)',
        );
      }
      root = read.root.bytes;
      parts = read.parts;
    } catch (err) {
      if (err instanceof SoapFaultError) throw err;
      return senderFault(`MTOM: ${issuesOf(err)}`);
    }
  } else if (!isSoap12(contentType)) {
    senderFault(`not a SOAP 1.2 message (Content-Type ${media.type}; expected application/soap+xml or MTOM)`);
  }
  let envelope: SoapEnvelope;
  try {
    envelope = readSoapEnvelope(root);
  } catch (err) {
    return senderFault(issuesOf(err));
  }
  return { envelope, mtom, parts };
}

const REQUEST_ACTIONS: ReadonlySet<string> = new Set([
  SOAP_ACTION.iti41,
  SOAP_ACTION.iti18,
  SOAP_ACTION.iti57,
  SOAP_ACTION.td02,
]);

/** Header blocks the sandbox processes (SOAP 1.2 Part 1 §5.2.3 mustUnderstand). */
function understood(block: string): boolean {
  return block.startsWith(`{${NS.wsa}}`) || block === `{${NS.wsse}}Security`;
}

/**
 * Checks the envelope of a request to the endpoint serving `action`: not a
 * fault, every mustUnderstand header understood, Action and MessageID
 * present (WS-Addressing 1.0 SOAP Binding §6.4.1, §6.4.2), Action served
 * here, a Body child. The VIHF is checked separately.
 */
export function checkEnvelope(envelope: SoapEnvelope, action: string): void {
  if (envelope.fault) senderFault('a request cannot be a SOAP Fault');
  const unknown = envelope.mustUnderstand.filter((b) => !understood(b));
  if (unknown.length > 0) senderFault(`header blocks not understood: ${unknown.join(', ')}`);
  if (!envelope.action) senderFault('no wsa:Action header', 'wsa:MessageAddressingHeaderRequired');
  if (!REQUEST_ACTIONS.has(envelope.action)) senderFault('unknown wsa:Action', 'wsa:ActionNotSupported');
  if (envelope.action !== action) {
    senderFault(`this endpoint serves ${action}, not ${envelope.action}`, 'wsa:ActionNotSupported');
  }
  if (!envelope.messageId) senderFault('no wsa:MessageID header', 'wsa:MessageAddressingHeaderRequired');
  if (!envelope.body) senderFault('the SOAP Body is empty');
}

/** A SOAP 1.2 answer with wsa:Action and wsa:RelatesTo, MTOM-packaged when the request was. */
export function soapReply(request: SoapRequest, action: string, body: XmlElement): HttpReply {
  const xml = serialize(
    buildSoapEnvelope({ action, messageId: newMessageId(), relatesTo: request.envelope.messageId, body }),
    { declaration: true },
  );
  if (request.mtom) {
    const mtom = writeMtom({ rootXml: xml, action, parts: [] });
    return { status: 200, contentType: mtom.contentType, body: mtom.body };
  }
  return {
    status: 200,
    contentType: `${MEDIA_TYPE.soap12}; charset=UTF-8; action="${action}"`,
    body: Buffer.from(xml, 'utf8'),
  };
}

/**
 * A SOAP 1.2 Fault, HTTP 500 (as IHE actors commonly answer), with the
 * WS-Addressing fault action and RelatesTo when the request had a MessageID.
 */
export function faultReply(err: SoapFaultError, requestMessageId?: string): HttpReply {
  const addressing = requestMessageId
    ? { relatesTo: requestMessageId, messageId: newMessageId() }
    : undefined;
  const xml = serialize(buildSoapFault(err.code, err.message, err.subcode, addressing), {
    declaration: true,
  });
  return {
    status: 500,
    contentType: `${MEDIA_TYPE.soap12}; charset=UTF-8`,
    body: Buffer.from(xml, 'utf8'),
  };
}
