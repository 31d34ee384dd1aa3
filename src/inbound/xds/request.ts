/**
 * Reading an ITI-41 HTTP request down to its SOAP envelope (IHE ITI TF-2b
 * §3.41.4.1; ITI TF-2x Appendix V): SOAP 1.2 as `application/soap+xml`
 * (documents inline in base64) or MTOM/XOP `multipart/related` with an
 * `application/xop+xml` root part (W3C SOAP MTOM §3, XOP §4–5, RFC 2387),
 * UTF-8 only, DOCTYPE refused, depth and element count bounded, then the
 * WS-Addressing headers an ITI-41 request must carry (ITI TF-2x V.3.2;
 * WS-Addressing 1.0 Core §3.2 and SOAP Binding §6). Every problem is an
 * {@link XdsFault}.
 */
import { GatewayError } from '../../errors/catalogue.ts';
import { MEDIA_TYPE, NS, SOAP_ACTION, WSA } from '../../model/vocabulary.ts';
import { readSoapEnvelope, type SoapEnvelope, type XmlFragment } from '../../soap/envelope.ts';
import { type MediaType, parseMediaType } from '../../soap/media-type.ts';
import { type MimePart, readMtom } from '../../soap/mtom.ts';
import { assertNoDoctype } from '../../xml/parse.ts';
import { senderFault, XdsFault } from './faults.ts';
import { exceededLimit, type XmlLimits } from './limits.ts';

export interface RequestLimits extends XmlLimits {
  readonly maxParts: number;
  readonly maxBytes: number;
}

/** A request whose SOAP envelope could be read. */
export interface SoapRequest {
  /** Whether it came as MTOM/XOP (the answer is packaged the same way). */
  readonly mtom: boolean;
  readonly envelope: SoapEnvelope;
  /** MIME parts other than the root, by Content-ID (empty without MTOM). */
  readonly parts: ReadonlyMap<string, MimePart>;
}

function unsupportedMedia(reason: string): XdsFault {
  return senderFault(reason, undefined, 415);
}

function issueText(err: GatewayError): string {
  return err.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ') || err.message;
}

function mediaTypeOf(value: string | undefined, what: string): MediaType {
  if (!value) throw unsupportedMedia(`${what} has no Content-Type`);
  try {
    return parseMediaType(value);
  } catch (err) {
    if (err instanceof GatewayError) throw unsupportedMedia(`${what}: ${issueText(err)}`);
    throw err;
  }
}

function checkCharset(media: MediaType, what: string): void {
  const charset = media.params.get('charset');
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') {
    throw unsupportedMedia(`${what}: charset ${charset} is not supported (UTF-8 only)`);
  }
}

/**
 * The fault for a Content-Type this recipient refuses before reading the
 * body (415), or undefined when the media type may carry an ITI-41.
 */
export function mediaTypeFault(contentType: string | undefined): XdsFault | undefined {
  try {
    const media = mediaTypeOf(contentType, 'the request');
    if (media.type === MEDIA_TYPE.soap12 || media.type === MEDIA_TYPE.multipartRelated) return undefined;
    return unsupportedMedia(`Content-Type ${media.type} is not supported: ${SUPPORTED}`);
  } catch (err) {
    if (err instanceof XdsFault) return err;
    throw err;
  }
}

const SUPPORTED = 'SOAP 1.2 (application/soap+xml) or MTOM (multipart/related) only';

/** The root XML and the other parts, by the HTTP Content-Type. */
function unpack(
  contentType: string | undefined,
  body: Buffer,
  limits: RequestLimits,
): { root: Buffer; parts: ReadonlyMap<string, MimePart>; mtom: boolean } {
  const media = mediaTypeOf(contentType, 'the request');
  if (media.type === MEDIA_TYPE.soap12) {
    checkCharset(media, 'the request');
    return { root: body, parts: new Map(), mtom: false };
  }
  if (media.type !== MEDIA_TYPE.multipartRelated) {
    throw unsupportedMedia(`Content-Type ${media.type} is not supported: ${SUPPORTED}`);
  }
  if (media.params.get('type')?.toLowerCase() !== MEDIA_TYPE.xop) {
    throw unsupportedMedia('multipart/related must have type="application/xop+xml" (MTOM/XOP)');
  }
  let mime: ReturnType<typeof readMtom>;
  try {
    mime = readMtom(contentType ?? '', body, { maxParts: limits.maxParts, maxBytes: limits.maxBytes });
  } catch (err) {
    if (err instanceof GatewayError) throw senderFault(`MTOM/XOP package: ${issueText(err)}`);
    throw err;
  }
  const rootMedia = mediaTypeOf(mime.root.contentType, 'the root MIME part');
  if (
    rootMedia.type !== MEDIA_TYPE.xop ||
    rootMedia.params.get('type')?.toLowerCase() !== MEDIA_TYPE.soap12
  ) {
    throw senderFault(
      'the root MIME part must be application/xop+xml; type="application/soap+xml" (SOAP 1.2 MTOM)',
    );
  }
  checkCharset(rootMedia, 'the root MIME part');
  return { root: mime.root.bytes, parts: mime.parts, mtom: true };
}

function decode(bytes: Buffer): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    throw senderFault('the SOAP message is not valid UTF-8');
  }
}

/**
 * Reads the request's SOAP 1.2 envelope. Throws XdsFault: 415 for an
 * unsupported media type or charset, VersionMismatch for a SOAP 1.1
 * envelope, Sender for anything else that cannot be read.
 */
export function readSoapRequest(
  contentType: string | undefined,
  body: Buffer,
  limits: RequestLimits,
): SoapRequest {
  const { root, parts, mtom } = unpack(contentType, body, limits);
  const text = decode(root);
  try {
    assertNoDoctype(text);
  } catch {
    throw senderFault('DOCTYPE and entity declarations are not accepted');
  }
  const exceeded = exceededLimit(text, limits);
  if (exceeded) throw senderFault(exceeded.message);
  let envelope: SoapEnvelope;
  try {
    envelope = readSoapEnvelope(text);
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    if (err.issues.some((i) => i.message.includes(`{${NS.soap11}}Envelope`))) {
      throw new XdsFault('VersionMismatch', 'SOAP 1.1 is not supported: send a SOAP 1.2 envelope');
    }
    throw senderFault(`the SOAP message cannot be read: ${issueText(err)}`);
  }
  return { mtom, envelope, parts };
}

/** Header blocks this recipient processes (SOAP 1.2 Part 1 §5.2.3). */
const UNDERSTOOD = new Set([
  ...['Action', 'MessageID', 'To', 'ReplyTo', 'FaultTo', 'From', 'RelatesTo'].map((l) => `{${NS.wsa}}${l}`),
  // Accepted, not verified: hospital sources are authenticated by the transport (see README, XDS door).
  `{${NS.wsse}}Security`,
]);

/**
 * Checks the envelope of an ITI-41 request and returns its body
 * (`xds:ProvideAndRegisterDocumentSetRequest`). Throws XdsFault.
 */
export function checkIti41Envelope(envelope: SoapEnvelope): XmlFragment {
  const notUnderstood = envelope.mustUnderstand.filter((q) => !UNDERSTOOD.has(q));
  if (notUnderstood.length > 0) {
    throw new XdsFault('MustUnderstand', `header blocks not understood: ${notUnderstood.join(', ')}`, {
      notUnderstood: notUnderstood.map((q) => {
        const close = q.indexOf('}');
        return { namespace: q.slice(1, close), localName: q.slice(close + 1) };
      }),
    });
  }
  if (envelope.fault) throw senderFault('a SOAP Fault is not a request');
  if (!envelope.action) throw senderFault('wsa:Action is required', 'wsa:MessageAddressingHeaderRequired');
  if (envelope.action !== SOAP_ACTION.iti41) {
    throw senderFault(
      `wsa:Action ${envelope.action} is not supported here: ${SOAP_ACTION.iti41} only`,
      'wsa:ActionNotSupported',
    );
  }
  if (!envelope.messageId) {
    throw senderFault(
      'wsa:MessageID is required (a reply is expected)',
      'wsa:MessageAddressingHeaderRequired',
    );
  }
  if (envelope.replyTo !== undefined && envelope.replyTo !== WSA.anonymous) {
    throw senderFault(
      'wsa:ReplyTo must be anonymous: the response is sent synchronously',
      'wsa:OnlyAnonymousAddressSupported',
    );
  }
  const body = envelope.body;
  if (body?.namespace !== NS.xds || body.localName !== 'ProvideAndRegisterDocumentSetRequest') {
    throw senderFault('the SOAP Body must hold an xds:ProvideAndRegisterDocumentSetRequest');
  }
  return body;
}
