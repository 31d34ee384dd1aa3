/**
 * The signed SOAP 1.2 request of one non-MTOM DMP call (ITI-18, ITI-57,
 * TD0.2): WS-Addressing headers and a fresh VIHF for the patient in
 * `wsse:Security` (DOMAIN.md §1, §5), sent as `application/soap+xml` with
 * the action as Content-Type parameter (RFC 3902 §6, SOAP 1.2 has no
 * SOAPAction header), as ansforge/DRIM-M_DRIMbox does for these calls.
 */
import type { Config } from '../config/schema.ts';
import { patientVihfParams } from '../deposit/vihf-params.ts';
import type { IdSource } from '../model/ids.ts';
import type { Patient, Submission } from '../model/types.ts';
import { MEDIA_TYPE } from '../model/vocabulary.ts';
import type { SigningKey } from '../signature/signer.ts';
import { buildVihf } from '../signature/vihf.ts';
import { buildSoapEnvelope } from '../soap/envelope.ts';
import { formatParam } from '../soap/media-type.ts';
import { serialize, signedFragment, type XmlElement } from '../xml/tree.ts';

export interface SigningEnv {
  readonly config: Pick<Config, 'establishment' | 'software' | 'vihf'>;
  readonly signing: { readonly key: SigningKey; readonly subjectDn: string };
  readonly ids: IdSource;
  readonly now: Date;
  /** The site whose structure the VIHF names (default: the configured establishment). */
  readonly site?: Submission['site'];
}

export interface SoapRequest {
  readonly messageId: string;
  readonly contentType: string;
  readonly body: Buffer;
}

/** `application/soap+xml; charset=UTF-8; action="<action>"`. */
export function soapContentType(action: string): string {
  return `${MEDIA_TYPE.soap12}; charset=UTF-8${formatParam('action', action)}`;
}

/** Serialises the envelope of `body` with a VIHF signed now for `patient`. */
export function buildSoapRequest(
  action: string,
  to: string,
  body: XmlElement,
  patient: Pick<Patient, 'ins'>,
  env: SigningEnv,
): SoapRequest {
  const params = patientVihfParams(
    patient,
    { config: env.config, signerDn: env.signing.subjectDn },
    env.site,
  );
  const vihf = buildVihf(params, env.signing.key, { now: env.now, id: `_${env.ids.uuid()}` });
  const messageId = `urn:uuid:${env.ids.uuid()}`;
  const envelope = buildSoapEnvelope({ action, to, messageId, security: [signedFragment(vihf)], body });
  return {
    messageId,
    contentType: soapContentType(action),
    body: Buffer.from(serialize(envelope, { declaration: true }), 'utf8'),
  };
}
