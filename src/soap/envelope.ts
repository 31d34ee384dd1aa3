/**
 * SOAP 1.2 envelopes with WS-Addressing 1.0 and WS-Security headers, as IHE
 * ITI TF-2x Appendix V (Web Services for IHE Transactions) and the DMP expect.
 *
 * Building: {@link buildSoapEnvelope}, {@link buildSoapFault} return typed trees
 * (src/xml/tree.ts). Reading: {@link readSoapEnvelope} returns the addressing
 * headers and the exact text of the first Body child and of each
 * `wsse:Security` child, located by a position-keeping scan (./xml-scan.ts),
 * so that bodies can be parsed and signatures verified on what was received.
 */
import { randomUUID } from 'node:crypto';
import { GatewayError } from '../errors/catalogue.ts';
import { NS, WSA } from '../model/vocabulary.ts';
import { el, type XmlElement, type XmlNode } from '../xml/tree.ts';
import { attrNS, childrenNamed, type ScannedElement, scanXml, textOf } from './xml-scan.ts';

export interface SoapEnvelopeInput {
  /** WS-Addressing Action (the SOAP action of the transaction). */
  readonly action: string;
  /** WS-Addressing To: the endpoint address. Left out, it means anonymous (WS-Addressing Core §3.2). */
  readonly to?: string;
  /** WS-Addressing MessageID, an absolute URI; see {@link newMessageId}. */
  readonly messageId: string;
  /** WS-Addressing RelatesTo: the MessageID of the request this message answers. */
  readonly relatesTo?: string;
  /** WS-Addressing ReplyTo address; requests (no `relatesTo`) default to anonymous (synchronous reply). */
  readonly replyTo?: string;
  /** Children of `wsse:Security`, e.g. `signedFragment(vihf)`; no Security header when absent or empty. */
  readonly security?: readonly XmlNode[];
  /** The one child of soap:Body; it declares its own namespaces. */
  readonly body: XmlElement;
}

/** A new WS-Addressing MessageID, `urn:uuid:<random UUID>` (ITI TF-2x V.3.2.1.1). */
export function newMessageId(): string {
  return `urn:uuid:${randomUUID()}`;
}

/**
 * Builds a SOAP 1.2 Envelope (W3C SOAP 1.2 Part 1 §5) with the WS-Addressing
 * headers of ITI TF-2x Appendix V (Action with mustUnderstand, MessageID,
 * RelatesTo, ReplyTo, To) and, when given, a `wsse:Security` header
 * (WS-Security 1.1 §5) with mustUnderstand holding the security tokens as
 * they are (signed fragments are embedded byte for byte). No wsu:Timestamp:
 * neither the IHE XUA profile nor the DMP's published client sends one.
 */
export function buildSoapEnvelope(input: SoapEnvelopeInput): XmlElement {
  const replyTo = input.replyTo ?? (input.relatesTo === undefined ? WSA.anonymous : undefined);
  const security = input.security ?? [];
  const header = el(
    'soap:Header',
    {},
    el('wsa:Action', { 'soap:mustUnderstand': '1' }, input.action),
    el('wsa:MessageID', {}, input.messageId),
    input.relatesTo !== undefined && el('wsa:RelatesTo', {}, input.relatesTo),
    replyTo !== undefined && el('wsa:ReplyTo', {}, el('wsa:Address', {}, replyTo)),
    input.to !== undefined && el('wsa:To', {}, input.to),
    security.length > 0 &&
      el('wsse:Security', { 'xmlns:wsse': NS.wsse, 'soap:mustUnderstand': '1' }, security),
  );
  return el(
    'soap:Envelope',
    { 'xmlns:soap': NS.soap12, 'xmlns:wsa': NS.wsa },
    header,
    el('soap:Body', {}, input.body),
  );
}

/** SOAP 1.2 fault codes a gateway sends (SOAP 1.2 Part 1 §5.4.6). */
export type SoapFaultCode = 'Sender' | 'Receiver';

const SUBCODE = /^(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)$/;

/**
 * Builds a complete SOAP 1.2 Fault envelope (SOAP 1.2 Part 1 §5.4). `subcode`
 * is a QName: unprefixed, or with a prefix of {@link NS} (`wsse:InvalidSecurity`,
 * `wsa:ActionNotSupported`), declared where it is used. With `addressing`,
 * the fault carries the WS-Addressing fault Action and RelatesTo the request
 * (WS-Addressing SOAP Binding §6).
 */
export function buildSoapFault(
  code: SoapFaultCode,
  reason: string,
  subcode?: string,
  addressing?: { readonly relatesTo: string; readonly messageId: string },
): XmlElement {
  let subcodeValue: XmlElement | undefined;
  if (subcode !== undefined) {
    const [, prefix, local] = SUBCODE.exec(subcode) ?? [];
    const uri = prefix === undefined ? undefined : (NS as Readonly<Record<string, string>>)[prefix];
    if (local === undefined || (prefix !== undefined && uri === undefined)) {
      throw new Error(`SOAP fault subcode must be a QName with a known prefix: ${subcode}`);
    }
    subcodeValue = el('soap:Value', prefix === undefined ? {} : { [`xmlns:${prefix}`]: uri }, subcode);
  }
  const fault = el(
    'soap:Fault',
    {},
    el(
      'soap:Code',
      {},
      el('soap:Value', {}, `soap:${code}`),
      subcodeValue && el('soap:Subcode', {}, subcodeValue),
    ),
    el('soap:Reason', {}, el('soap:Text', { 'xml:lang': 'en' }, reason)),
  );
  if (addressing) {
    return buildSoapEnvelope({ action: WSA.faultAction, ...addressing, body: fault });
  }
  return el('soap:Envelope', { 'xmlns:soap': NS.soap12 }, el('soap:Body', {}, fault));
}

/** One element of a received message, exactly as it was received. */
export interface XmlFragment {
  /** The element's text, from its `<` to the end of its end tag, as received. */
  readonly xml: string;
  readonly namespace: string;
  readonly localName: string;
  /**
   * Namespace bindings the element inherits from its ancestors and does not
   * redeclare itself (`''` = default namespace). Needed to parse the fragment
   * on its own; see {@link standaloneXml}.
   */
  readonly inheritedNamespaces: Readonly<Record<string, string>>;
}

export interface SoapFault {
  /** Local name of the fault code in the SOAP namespace (`Sender`, `Receiver`, `MustUnderstand`...). */
  readonly code: string;
  /** First Subcode value, a QName as written. */
  readonly subcode?: string;
  /** First Reason Text. */
  readonly reason: string;
}

export interface SoapEnvelope {
  readonly action?: string;
  readonly messageId?: string;
  readonly relatesTo?: string;
  readonly to?: string;
  readonly replyTo?: string;
  /** Header blocks flagged mustUnderstand, as `{namespace}localName` (SOAP 1.2 Part 1 §5.2.3). */
  readonly mustUnderstand: readonly string[];
  /** Children of the `wsse:Security` header (SAML assertions, signatures...), as received. */
  readonly security: readonly XmlFragment[];
  /** Set when the Body holds a soap:Fault. */
  readonly fault?: SoapFault;
  /** The first child element of soap:Body, as received; absent when the Body is empty. */
  readonly body?: XmlFragment;
}

function fail(path: string, message: string): never {
  throw new GatewayError('INVALID_INPUT', [{ code: 'INVALID_INPUT', path, message }]);
}

function decodeUtf8(input: string | Uint8Array): string {
  if (typeof input === 'string') return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    return fail('/', 'the SOAP message is not valid UTF-8');
  }
}

function fragment(node: ScannedElement, parent: ScannedElement): XmlFragment {
  const inheritedNamespaces: Record<string, string> = {};
  for (const [prefix, uri] of parent.scope) {
    if (!node.declared.includes(prefix) && !(prefix === '' && uri === '')) inheritedNamespaces[prefix] = uri;
  }
  return {
    xml: node.source.slice(node.start, node.end),
    namespace: node.namespace,
    localName: node.localName,
    inheritedNamespaces,
  };
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

/**
 * The fragment with its inherited namespace declarations added to its start
 * tag, so that it parses on its own. Declaring in-scope namespaces on the apex
 * does not change its canonical form (inclusive or exclusive C14N), so a
 * signature over the fragment verifies on the result.
 */
export function standaloneXml(f: XmlFragment): string {
  const nameEnd = f.xml.search(/[\s/>]/);
  const decls = Object.entries(f.inheritedNamespaces)
    .map(([prefix, uri]) => ` ${prefix === '' ? 'xmlns' : `xmlns:${prefix}`}="${escapeAttr(uri)}"`)
    .join('');
  return f.xml.slice(0, nameEnd) + decls + f.xml.slice(nameEnd);
}

function single(parent: ScannedElement, ns: string, local: string, path: string): ScannedElement | undefined {
  const found = childrenNamed(parent, ns, local);
  if (found.length > 1) fail(`${path}/${found[1]?.qname}`, `more than one ${local} element`);
  return found[0];
}

function wsaText(header: ScannedElement | undefined, local: string): string | undefined {
  if (!header) return undefined;
  // RelatesTo may repeat with different RelationshipTypes (WS-Addressing Core §3.1): the first is the reply's.
  const node =
    local === 'RelatesTo'
      ? childrenNamed(header, NS.wsa, local)[0]
      : single(header, NS.wsa, local, '/Envelope/Header');
  if (!node) return undefined;
  const target =
    local === 'ReplyTo' ? single(node, NS.wsa, 'Address', `/Envelope/Header/${node.qname}`) : node;
  return target && textOf(target).trim();
}

function readFault(node: ScannedElement): SoapFault {
  const path = `/Envelope/Body/${node.qname}`;
  const code = single(node, NS.soap12, 'Code', path);
  const value = code && single(code, NS.soap12, 'Value', `${path}/Code`);
  if (!code || !value) fail(`${path}/Code/Value`, 'a SOAP Fault must have a Code Value');
  const qname = textOf(value).trim();
  const subcodeNode = single(code, NS.soap12, 'Subcode', `${path}/Code`);
  const subValue = subcodeNode && single(subcodeNode, NS.soap12, 'Value', `${path}/Code/Subcode`);
  const text = single(node, NS.soap12, 'Reason', path)?.children.find((c) => c.localName === 'Text');
  return {
    code: qname.slice(qname.indexOf(':') + 1),
    ...(subValue && { subcode: textOf(subValue).trim() }),
    reason: text ? textOf(text).trim() : '',
  };
}

/**
 * Reads a SOAP 1.2 envelope (W3C SOAP 1.2 Part 1 §5; WS-Addressing SOAP
 * Binding §2; WS-Security 1.1 §5). Refuses DOCTYPE (UNSAFE_XML), bytes that
 * are not UTF-8, XML that is not well-formed or not namespace-well-formed,
 * SOAP 1.1 and other roots, and duplicated addressing headers (INVALID_INPUT).
 */
export function readSoapEnvelope(xml: string | Uint8Array): SoapEnvelope {
  const text = decodeUtf8(xml);
  const declared = /^\s*<\?xml[^>]*encoding=["']([^"']+)["']/.exec(text)?.[1];
  if (declared !== undefined && declared.toLowerCase() !== 'utf-8') {
    fail('/', `XML encoding ${declared} is not supported (UTF-8 only)`);
  }
  const root = scanXml(text);
  if (root.namespace !== NS.soap12 || root.localName !== 'Envelope') {
    fail(`/${root.qname}`, `not a SOAP 1.2 Envelope (root is {${root.namespace}}${root.localName})`);
  }
  const header = single(root, NS.soap12, 'Header', '/Envelope');
  const body = single(root, NS.soap12, 'Body', '/Envelope');
  if (!body) fail('/Envelope/Body', 'the SOAP envelope has no Body');
  const blocks = header?.children ?? [];
  const mustUnderstand = blocks
    .filter((b) => ['1', 'true'].includes(attrNS(b, NS.soap12, 'mustUnderstand')?.trim() ?? ''))
    .map((b) => `{${b.namespace}}${b.localName}`);
  const securityNode = header && single(header, NS.wsse, 'Security', '/Envelope/Header');
  const first = body.children[0];
  const isFault = first?.namespace === NS.soap12 && first.localName === 'Fault';
  return {
    action: wsaText(header, 'Action'),
    messageId: wsaText(header, 'MessageID'),
    relatesTo: wsaText(header, 'RelatesTo'),
    to: wsaText(header, 'To'),
    replyTo: wsaText(header, 'ReplyTo'),
    mustUnderstand,
    security: securityNode ? securityNode.children.map((c) => fragment(c, securityNode)) : [],
    ...(isFault && { fault: readFault(first) }),
    ...(first && { body: fragment(first, body) }),
  };
}
