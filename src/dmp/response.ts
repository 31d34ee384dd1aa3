/**
 * The SOAP envelope of an HTTP answer from the DMP, plain
 * (`application/soap+xml`, SOAP 1.2 §7) or MTOM/XOP (`multipart/related`
 * with an `application/xop+xml` root part, ITI TF-2x Appendix V): pure
 * decoding, no interpretation. Anything else (an HTML error page, SOAP 1.1,
 * bytes that are not XML) is "no SOAP envelope".
 */

import { readSoapEnvelope, type SoapEnvelope, standaloneXml } from '../soap/envelope.ts';
import { parseMediaType } from '../soap/media-type.ts';
import { readMtom } from '../soap/mtom.ts';

/** An HTTP answer as received: status, Content-Type header, whole body. */
export interface HttpResponse {
  readonly status: number;
  readonly contentType?: string;
  readonly body: Buffer;
}

/** The SOAP 1.2 envelope carried by the answer, or `undefined` when there is none that can be read. */
export function soapEnvelopeOf(res: HttpResponse): SoapEnvelope | undefined {
  if (res.body.length === 0) return undefined;
  try {
    const type = res.contentType ? parseMediaType(res.contentType).type : '';
    const xml =
      type === 'multipart/related' ? readMtom(res.contentType ?? '', res.body).root.bytes : res.body;
    return readSoapEnvelope(xml);
  } catch {
    return undefined;
  }
}

/** The first Body child as standalone XML (its inherited namespaces declared), for the body readers. */
export function bodyXml(envelope: SoapEnvelope): string | undefined {
  return envelope.body && standaloneXml(envelope.body);
}
