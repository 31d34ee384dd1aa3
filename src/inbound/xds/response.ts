/**
 * The HTTP answers of the ITI-41 recipient: the RegistryResponse in a SOAP
 * 1.2 envelope with wsa:Action `…ProvideAndRegisterDocumentSet-bResponse`
 * and wsa:RelatesTo the request (ITI TF-2b §3.41.4.2; ITI TF-2x V.3.2.1),
 * packaged like the request (MTOM/XOP in, MTOM/XOP out, as XDS.b
 * repositories answer), and SOAP Faults (./faults.ts), always plain
 * `application/soap+xml`.
 */
import { MEDIA_TYPE, SOAP_ACTION } from '../../model/vocabulary.ts';
import { buildSoapEnvelope, newMessageId } from '../../soap/envelope.ts';
import { formatParam } from '../../soap/media-type.ts';
import { writeMtom } from '../../soap/mtom.ts';
import { buildRegistryResponse, type RegistryErrorEntry } from '../../xds/registry-response.ts';
import { serialize } from '../../xml/tree.ts';
import { faultEnvelope, type XdsFault } from './faults.ts';

/** An HTTP answer: status, Content-Type, body. */
export interface SoapReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

function plain(xml: string, status: number, action?: string): SoapReply {
  const contentType = `${MEDIA_TYPE.soap12}; charset=UTF-8${action ? formatParam('action', action) : ''}`;
  return { status, contentType, body: Buffer.from(xml, 'utf8') };
}

/** A RegistryResponse (Success when `errors` is empty, else Failure) answering the request `messageId`. */
export function registryReply(
  errors: readonly RegistryErrorEntry[],
  request: { readonly messageId: string; readonly mtom: boolean },
): SoapReply {
  const status = errors.some((e) => e.severity === 'Error') ? 'Failure' : 'Success';
  const xml = serialize(
    buildSoapEnvelope({
      action: SOAP_ACTION.iti41Response,
      messageId: newMessageId(),
      relatesTo: request.messageId,
      body: buildRegistryResponse(status, errors),
    }),
    { declaration: true },
  );
  if (!request.mtom) return plain(xml, 200, SOAP_ACTION.iti41Response);
  const { contentType, body } = writeMtom({ rootXml: xml, action: SOAP_ACTION.iti41Response, parts: [] });
  return { status: 200, contentType, body };
}

/** A SOAP Fault, with RelatesTo when the request's MessageID is known. */
export function faultReply(fault: XdsFault, requestMessageId?: string): SoapReply {
  return plain(serialize(faultEnvelope(fault, requestMessageId), { declaration: true }), fault.status);
}
