/**
 * What the DMP checks on the VIHF (DOMAIN.md §5): exactly one SAML 2.0
 * assertion in `wsse:Security`, its enveloped signature verified with a
 * PINNED signing certificate (never the KeyInfo one), its validity window
 * (SAML 2.0 core §2.5.1.2 NotBefore / NotOnOrAfter, with a small clock
 * skew), every attribute of automated feeding present, indirect
 * authentication, `urn:dmp` resource, and the resource-id an INS in `^NH`
 * form. Failures are SOAP Faults (WS-Security 1.1 §12: `wsse:InvalidSecurity`
 * for a missing or ambiguous token, `wsse:FailedAuthentication` otherwise).
 */
import { GatewayError } from '../errors/catalogue.ts';
import { NS, VIHF_ATTRIBUTE, VIHF_VALUE } from '../model/vocabulary.ts';
import { verifySignature } from '../signature/signer.ts';
import { REQUIRED_VIHF_ATTRIBUTES, readVihfAttributes } from '../signature/vihf.ts';
import { standaloneXml, type XmlFragment } from '../soap/envelope.ts';
import { insOfCx } from '../xds/cx.ts';
import { attr, parseXml, type XmlObject } from '../xml/parse.ts';
import { SoapFaultError } from './soap-endpoint.ts';
import type { InsId } from './types.ts';

/** What the rest of the sandbox knows of the caller, from a checked VIHF. */
export interface VihfContext {
  /** `Identifiant_Structure` (`1` + FINESS). */
  readonly structureId: string;
  /** The patient the token is for (resource-id). */
  readonly ins: InsId;
  /** resource-id as sent (CX). */
  readonly resourceId: string;
  readonly attributes: Readonly<Record<string, readonly string[]>>;
}

export interface VihfCheckOptions {
  readonly trustedCertsPem: readonly string[];
  readonly checkSignatures: boolean;
  readonly now: Date;
  readonly skewSeconds: number;
}

function invalidSecurity(reason: string): never {
  throw new SoapFaultError('Sender', reason, 'wsse:InvalidSecurity');
}

function failedAuthentication(reason: string): never {
  throw new SoapFaultError('Sender', reason, 'wsse:FailedAuthentication');
}

function parseAssertion(xml: string): XmlObject {
  try {
    const assertion = parseXml(xml).Assertion;
    if (assertion && typeof assertion === 'object') return assertion as XmlObject;
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
  }
  return invalidSecurity('the VIHF assertion is not well-formed');
}

/** The canonical signed assertion, verified with one of the pinned certificates. */
function verifiedAssertion(xml: string, id: string, certs: readonly string[]): string {
  for (const certPem of certs) {
    try {
      const { references } = verifySignature(xml, { certPem, idAttribute: 'ID', expectedReferenceIds: [id] });
      const signed = references[0]?.xml;
      if (signed) return signed;
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
    }
  }
  return failedAuthentication('the VIHF signature does not verify with a pinned signing certificate');
}

function checkValidity(assertion: XmlObject, opts: VihfCheckOptions): void {
  const conditions = assertion.Conditions;
  const notBefore = Date.parse(attr(conditions, 'NotBefore') ?? '');
  const notOnOrAfter = Date.parse(attr(conditions, 'NotOnOrAfter') ?? '');
  if (Number.isNaN(notBefore) || Number.isNaN(notOnOrAfter)) {
    failedAuthentication('the VIHF has no Conditions NotBefore/NotOnOrAfter validity window');
  }
  const now = opts.now.getTime();
  const skew = opts.skewSeconds * 1000;
  if (now + skew < notBefore || now - skew >= notOnOrAfter) {
    failedAuthentication('the VIHF is not valid at this time (Conditions NotBefore/NotOnOrAfter)');
  }
}

function checkAttributes(attributes: Record<string, string[]>): { structureId: string; resourceId: string } {
  const value = (name: string) => attributes[name]?.find((v) => v.trim() !== '');
  const missing = REQUIRED_VIHF_ATTRIBUTES.filter((name) => value(name) === undefined);
  if (missing.length > 0) failedAuthentication(`VIHF attributes missing: ${missing.join(', ')}`);
  if (value(VIHF_ATTRIBUTE.authenticationMode) !== VIHF_VALUE.indirectAuthentication) {
    failedAuthentication(
      `Authentification_Mode must be ${VIHF_VALUE.indirectAuthentication} for automated feeding`,
    );
  }
  if (value(VIHF_ATTRIBUTE.resourceUrn) !== VIHF_VALUE.resourceUrnDmp) {
    failedAuthentication(`Ressource_URN must be ${VIHF_VALUE.resourceUrnDmp}`);
  }
  return {
    structureId: value(VIHF_ATTRIBUTE.structureId) ?? '',
    resourceId: value(VIHF_ATTRIBUTE.resourceId) ?? '',
  };
}

/** Checks the VIHF of a request; throws a SoapFaultError, or returns what it says about the caller. */
export function checkVihf(security: readonly XmlFragment[], opts: VihfCheckOptions): VihfContext {
  const assertions = security.filter((f) => f.namespace === NS.saml2 && f.localName === 'Assertion');
  if (assertions.length === 0) invalidSecurity('no VIHF: a SAML 2.0 Assertion is required in wsse:Security');
  if (assertions.length > 1) invalidSecurity('exactly one VIHF assertion is expected in wsse:Security');
  const xml = standaloneXml(assertions[0] as XmlFragment);
  const id = attr(parseAssertion(xml), 'ID');
  if (!id) invalidSecurity('the VIHF assertion has no ID');
  const signed = opts.checkSignatures ? verifiedAssertion(xml, id, opts.trustedCertsPem) : xml;
  checkValidity(parseAssertion(signed), opts);
  const attributes = readVihfAttributes(signed);
  const { structureId, resourceId } = checkAttributes(attributes);
  const ins = insOfCx(resourceId);
  if (!ins) failedAuthentication('the VIHF resource-id must be an INS: <matricule>^^^&<INS OID>&ISO^NH');
  return { structureId, ins, resourceId, attributes };
}
