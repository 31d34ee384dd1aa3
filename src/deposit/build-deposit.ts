/**
 * The translation core: one canonical submission → the exact bytes of a DMP
 * deposit (TD2.1, ITI-41 over MTOM). Pure apart from the signing key given:
 * CDA wrapping (N1) or passthrough (N3), XAdES signature document over the
 * submission set, ebRIM metadata, VIHF, SOAP 1.2 envelope, MTOM packaging.
 */
import { wrapN1 } from '../cda/n1.ts';
import type { Config } from '../config/schema.ts';
import { type IdSource, newEntryUUID, newOid } from '../model/ids.ts';
import type { DocumentEntry, Submission } from '../model/types.ts';
import { SOAP_ACTION } from '../model/vocabulary.ts';
import type { SigningKey } from '../signature/signer.ts';
import { buildVihf, type VihfParams } from '../signature/vihf.ts';
import { buildSignatureDocument } from '../signature/xades.ts';
import { buildSoapEnvelope } from '../soap/envelope.ts';
import { writeMtom } from '../soap/mtom.ts';
import { buildProvideAndRegister } from '../xds/provide-and-register.ts';
import { serialize, signedFragment } from '../xml/tree.ts';
import { patientVihfParams } from './vihf-params.ts';

export interface DepositEnv {
  readonly config: Pick<Config, 'establishment' | 'software' | 'ids' | 'vihf' | 'dmp'>;
  readonly ids: IdSource;
  readonly now: Date;
  readonly signingKey: SigningKey;
  /** Issuer of the VIHF: the subject DN of the signing certificate. */
  readonly signerDn: string;
  /** MIME boundary (random when absent). */
  readonly boundary?: string;
}

export interface MimePartOut {
  readonly contentId: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

export interface Deposit {
  /** The root MIME part: the SOAP envelope exactly as sent, with xop:Include references. */
  readonly envelope: string;
  /** The binary parts: each CDA document, then the XAdES signature document. */
  readonly parts: readonly MimePartOut[];
  /** The HTTP request: Content-Type header and body. */
  readonly http: { readonly contentType: string; readonly body: Buffer };
  /** WS-Addressing MessageID of the request. */
  readonly messageId: string;
  /** Registry ids of the signature entry. */
  readonly signature: { readonly entryUUID: string; readonly uniqueId: string };
}

/** The CDA bytes deposited for a document: wrapped N1, or the ready-made CDA unchanged. */
export function documentBytes(submission: Submission, document: DocumentEntry): Uint8Array {
  return document.content.kind === 'cda' ? document.content.bytes : wrapN1(submission, document);
}

/** Per-deposit choices of the visibility policy (src/policy/visibility.ts). */
export interface DepositOptions {
  /** The VIHF carries the "connexion secrète" attribute (a minor's secrecy, DOMAIN.md §4-§5). */
  readonly secretConnection?: boolean;
}

/** VIHF attributes for automated feeding by the establishment (DOMAIN.md §5), see ./vihf-params.ts. */
export function vihfParams(
  submission: Submission,
  env: DepositEnv,
  options: DepositOptions = {},
): VihfParams {
  const params = patientVihfParams(submission.patient, env, submission.site);
  return options.secretConnection ? { ...params, secretConnection: true } : params;
}

/** Builds the complete ITI-41 deposit of a submission. */
export function buildDeposit(submission: Submission, env: DepositEnv, options: DepositOptions = {}): Deposit {
  const documents = submission.documents.map((entry, i) => ({
    entry,
    bytes: documentBytes(submission, entry),
    contentId: `document${i + 1}.${env.ids.uuid()}@dmp-gateway`,
  }));
  const signatureBytes = Buffer.from(
    buildSignatureDocument(
      {
        submissionSetUniqueId: submission.uniqueId,
        documents: documents.map((d) => ({ uniqueId: d.entry.id.root, bytes: d.bytes })),
        signingTime: env.now,
        signatureId: `sig-${env.ids.uuid()}`,
      },
      env.signingKey,
    ),
    'utf8',
  );
  const signature = {
    entryUUID: newEntryUUID(env.ids),
    uniqueId: newOid(env.ids, env.config.ids.oidRoot),
    bytes: signatureBytes,
    contentId: `signature.${env.ids.uuid()}@dmp-gateway`,
    creationTime: env.now.toISOString(),
  };
  const body = buildProvideAndRegister({ submission, documents, signature });
  const vihf = buildVihf(vihfParams(submission, env, options), env.signingKey, {
    now: env.now,
    id: `_${env.ids.uuid()}`,
  });
  const messageId = `urn:uuid:${env.ids.uuid()}`;
  const envelope = serialize(
    buildSoapEnvelope({
      action: SOAP_ACTION.iti41,
      to: env.config.dmp.iti41Url,
      messageId,
      security: [signedFragment(vihf)],
      body,
    }),
    { declaration: true },
  );
  const parts: MimePartOut[] = [
    ...documents.map((d) => ({ contentId: d.contentId, contentType: 'text/xml', bytes: d.bytes })),
    { contentId: signature.contentId, contentType: 'text/xml', bytes: signature.bytes },
  ];
  const http = writeMtom({ rootXml: envelope, action: SOAP_ACTION.iti41, parts, boundary: env.boundary });
  return {
    envelope,
    parts,
    http,
    messageId,
    signature: { entryUUID: signature.entryUUID, uniqueId: signature.uniqueId },
  };
}
