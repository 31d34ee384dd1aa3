/**
 * A scripted DMP for the client tests: a real HTTPS server with mutual TLS
 * that records every request and plays, in order, the steps it is given
 * (answers, connections destroyed before or after the body is read, no
 * answer at all). Answers are built with the project's own XML builders.
 * Not the sandbox DMP (src/sandbox): this one checks nothing and only plays
 * what a test scripts.
 */
import type { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { PemPair } from '../../src/pki/dev-pki.ts';
import {
  buildSoapEnvelope,
  buildSoapFault,
  newMessageId,
  readSoapEnvelope,
} from '../../src/soap/envelope.ts';
import { readMtom, writeMtom } from '../../src/soap/mtom.ts';
import {
  buildRegistryResponse,
  type RegistryErrorEntry,
  type RegistryStatus,
} from '../../src/xds/registry-response.ts';
import { el, serialize, type XmlElement } from '../../src/xml/tree.ts';

export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export type Reply =
  | {
      readonly kind: 'respond';
      readonly status: number;
      readonly contentType: string;
      readonly body: string | Buffer;
    }
  | { readonly kind: 'destroy-after-body' }
  | { readonly kind: 'hang' };

/** One scripted exchange: destroy the connection as soon as the headers arrive, or read the body and reply. */
export type Step = 'destroy-before-body' | ((request: ReceivedRequest) => Reply);

export interface ScriptedDmpOptions {
  readonly ca: PemPair;
  readonly server: PemPair;
  /**
   * How a client certificate the CA did not issue is refused: in the TLS
   * handshake (default), or, as nginx does with `ssl_verify_client`, by an
   * HTTP 400 page after the handshake.
   */
  readonly clientAuth?: 'handshake' | 'http';
  readonly maxVersion?: 'TLSv1.2' | 'TLSv1.3';
}

export interface ScriptedDmp {
  url(path: string): string;
  /** Requests whose body was read, in order. */
  readonly requests: ReceivedRequest[];
  enqueue(...steps: Step[]): void;
  close(): Promise<void>;
}

export async function startScriptedDmp(options: ScriptedDmpOptions): Promise<ScriptedDmp> {
  const steps: Step[] = [];
  const requests: ReceivedRequest[] = [];
  const server = https.createServer(
    {
      cert: options.server.certPem,
      key: options.server.keyPem,
      ca: options.ca.certPem,
      requestCert: true,
      rejectUnauthorized: options.clientAuth !== 'http',
      maxVersion: options.maxVersion,
    },
    (req, res) => {
      if (!(req.socket as { authorized?: boolean }).authorized) {
        res
          .writeHead(400, { 'content-type': 'text/html' })
          .end('<html><body>400 The SSL certificate error</body></html>');
        return;
      }
      const step =
        steps.shift() ??
        (() => ({ kind: 'respond', status: 500, contentType: 'text/plain', body: 'no scripted step' }));
      if (step === 'destroy-before-body') {
        req.socket.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const received = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
        requests.push(received);
        const reply = step(received);
        if (reply.kind === 'destroy-after-body') req.socket.destroy();
        else if (reply.kind === 'respond')
          res.writeHead(reply.status, { 'content-type': reply.contentType }).end(reply.body);
      });
    },
  );
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `https://localhost:${port}${path}`,
    requests,
    enqueue: (...more) => steps.push(...more),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The SOAP envelope of a received request, plain or MTOM. */
export function requestEnvelope(request: ReceivedRequest) {
  const type = request.headers['content-type'] ?? '';
  const xml = type.startsWith('multipart/related') ? readMtom(type, request.body).root.bytes : request.body;
  return readSoapEnvelope(xml);
}

function envelopeFor(request: ReceivedRequest, action: string, body: XmlElement): string {
  const relatesTo = requestEnvelope(request).messageId ?? '';
  return serialize(buildSoapEnvelope({ action, messageId: newMessageId(), relatesTo, body }), {
    declaration: true,
  });
}

/** A SOAP 1.2 answer relating to the request. */
export function soapReply(request: ReceivedRequest, action: string, body: XmlElement, status = 200): Reply {
  return {
    kind: 'respond',
    status,
    contentType: 'application/soap+xml; charset=UTF-8',
    body: envelopeFor(request, action, body),
  };
}

/** The same answer as MTOM/XOP (multipart/related), as many XDS repositories send it. */
export function mtomReply(request: ReceivedRequest, action: string, body: XmlElement): Reply {
  const http = writeMtom({ rootXml: envelopeFor(request, action, body), action, parts: [] });
  return { kind: 'respond', status: 200, contentType: http.contentType, body: http.body };
}

/** A SOAP 1.2 Fault (HTTP 400 for Sender, 500 for Receiver, SOAP 1.2 Part 2 §7.5.1.2). */
export function faultReply(
  request: ReceivedRequest,
  code: 'Sender' | 'Receiver',
  reason: string,
  subcode?: string,
): Reply {
  const relatesTo = requestEnvelope(request).messageId ?? '';
  const fault = buildSoapFault(code, reason, subcode, { relatesTo, messageId: newMessageId() });
  return {
    kind: 'respond',
    status: code === 'Sender' ? 400 : 500,
    contentType: 'application/soap+xml; charset=UTF-8',
    body: serialize(fault, { declaration: true }),
  };
}

export function registryResponse(status: RegistryStatus, ...codes: string[]): XmlElement {
  const errors: RegistryErrorEntry[] = codes.map((errorCode) => ({
    errorCode,
    codeContext: `scripted ${errorCode}`,
    severity: 'Error',
  }));
  return buildRegistryResponse(status, errors);
}

const RIM = 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0';

/** A LeafClass AdhocQueryResponse with minimal document entries. */
export function adhocQueryResponse(
  documents: readonly { entryUUID: string; uniqueId: string; status: string; hash?: string }[],
): XmlElement {
  const extrinsic = (d: (typeof documents)[number]) =>
    el(
      'rim:ExtrinsicObject',
      {
        id: d.entryUUID,
        status: d.status,
        mimeType: 'text/xml',
        objectType: 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1',
      },
      d.hash !== undefined &&
        el('rim:Slot', { name: 'hash' }, el('rim:ValueList', {}, el('rim:Value', {}, d.hash))),
      el('rim:ExternalIdentifier', {
        id: `ei-${d.entryUUID}`,
        registryObject: d.entryUUID,
        identificationScheme: 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab',
        value: d.uniqueId,
      }),
    );
  return el(
    'query:AdhocQueryResponse',
    {
      'xmlns:query': 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0',
      'xmlns:rim': RIM,
      status: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success',
    },
    el('rim:RegistryObjectList', {}, documents.map(extrinsic)),
  );
}

export interface Td02ResponseSpec {
  readonly ack?: string;
  /** Ack type as a child element `typeCode/@code` (HL7 v3 2008+) instead of an attribute. */
  readonly ackAsElement?: boolean;
  readonly details?: readonly { code: string; text: string }[];
  readonly queryResponseCode?: string;
  readonly dmpStatus?: string;
  readonly patientStatus?: string;
  readonly authorisation?: string;
  readonly ins?: { root: string; extension: string };
}

/** A `PRPA_IN201308UV02` shaped as the public DMP clients read it (src/dmp/td02.ts). */
export function td02Response(spec: Td02ResponseSpec): XmlElement {
  const ack = spec.ack ?? 'AA';
  return el(
    'PRPA_IN201308UV02',
    { xmlns: 'urn:hl7-org:v3', ITSVersion: 'XML_1.0' },
    el('id', { root: '1.2.250.1.213.4.1.1.1', extension: 'answer-1' }),
    el('interactionId', { root: '2.16.840.1.113883.1.6', extension: 'PRPA_IN201308UV02' }),
    el(
      'acknowledgement',
      spec.ackAsElement ? {} : { typeCode: ack },
      spec.ackAsElement && el('typeCode', { code: ack }),
      (spec.details ?? []).map((d) =>
        el('acknowledgementDetail', { typeCode: 'E' }, el('code', { code: d.code }), el('text', {}, d.text)),
      ),
    ),
    spec.authorisation !== undefined &&
      el(
        'attentionLine',
        {},
        el('keyWordText', { code: 'AUTORISATION' }),
        el('value', { code: spec.authorisation }),
      ),
    el(
      'controlActProcess',
      { classCode: 'CACT', moodCode: 'EVN' },
      (spec.dmpStatus !== undefined || spec.patientStatus !== undefined) &&
        el(
          'subject',
          { typeCode: 'SUBJ' },
          el(
            'registrationEvent',
            { classCode: 'REG', moodCode: 'EVN' },
            spec.dmpStatus !== undefined && el('statusCode', { code: spec.dmpStatus }),
            el(
              'subject1',
              { typeCode: 'SBJ' },
              el(
                'patient',
                { classCode: 'PAT' },
                spec.ins && el('id', spec.ins),
                spec.patientStatus !== undefined && el('statusCode', { code: spec.patientStatus }),
              ),
            ),
          ),
        ),
      spec.queryResponseCode !== undefined &&
        el('queryAck', {}, el('queryResponseCode', { code: spec.queryResponseCode })),
    ),
  );
}
