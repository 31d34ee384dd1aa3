/**
 * The VIHF (Vecteur d'Identification et d'Habilitation Formelle): the signed
 * SAML 2.0 assertion carried in `wsse:Security` for automated feeding in
 * indirect authentication (DOMAIN.md §5; VOLET-HL7 mapping.md "Mapping VIHF
 * pour le DMP"; encodings as DRIMbox sends them: simple attributes as text,
 * `Secteur_Activite` as `code^codeSystem`, role and purpose of use as HL7 v3
 * `CE` elements). One fresh assertion per patient and request.
 */
import type { Code } from '../model/types.ts';
import { NS, OID, SAML, VIHF_ATTRIBUTE, VIHF_VALUE, VISIBILITY_CODE } from '../model/vocabulary.ts';
import { asArray, attr, parseXml, textOf, type XmlObject } from '../xml/parse.ts';
import { el, serialize, type XmlElement } from '../xml/tree.ts';
import { type SigningKey, signEnveloped } from './signer.ts';

/** A coded VIHF value, with the optional HL7 `codeSystemName`. */
export type VihfCode = Code & { readonly codeSystemName?: string };

export interface VihfParams {
  /** `VIHF_Version`: 3.0 in every example, 4.0 in one table (configurable; default {@link DEFAULT_VIHF_VERSION}). */
  readonly version?: string;
  /** Subject DN of the signing certificate. */
  readonly issuer: string;
  /** Subject/NameID: for automated processing, the person responsible for it. */
  readonly nameId: string;
  /** `Identifiant_Structure`: `1` + FINESS of the site. */
  readonly structureId: string;
  /** `Secteur_Activite` (TRE_R02, e.g. SA01 / 1.2.250.1.71.4.2.4). */
  readonly facilityType: Code;
  /** subject-id: for an automaton, the software name. */
  readonly subjectId: string;
  /** role: `AUTOMATE` / 1.2.250.1.213.1.1.4.6 for an automaton. */
  readonly role: VihfCode;
  /** resource-id: the patient's INS as `matricule^^^&oid&ISO^NH`. */
  readonly resourceId: string;
  /** purposeofuse: `normal` / 1.2.250.1.213.1.1.4.248. */
  readonly purposeOfUse: VihfCode;
  readonly lps: { readonly name: string; readonly version: string; readonly homologation: string };
  /** "Connexion secrète": adds the confidentiality-code attribute. */
  readonly secretConnection?: boolean;
  /** Lifetime of the assertion (default 300 s). */
  readonly validitySeconds?: number;
  /** AuthnContextClassRef (default TLSClient: the system authenticates by its TLS certificate). */
  readonly authnContextClassRef?: string;
}

export const DEFAULT_VIHF_VERSION = '3.0';
const DEFAULT_VALIDITY_SECONDS = 300;

/** Attributes the sandbox DMP requires in a VIHF for automated feeding (DOMAIN.md §5). */
export const REQUIRED_VIHF_ATTRIBUTES: readonly string[] = [
  VIHF_ATTRIBUTE.version,
  VIHF_ATTRIBUTE.authenticationMode,
  VIHF_ATTRIBUTE.structureId,
  VIHF_ATTRIBUTE.facilityType,
  VIHF_ATTRIBUTE.subjectId,
  VIHF_ATTRIBUTE.role,
  VIHF_ATTRIBUTE.resourceId,
  VIHF_ATTRIBUTE.resourceUrn,
  VIHF_ATTRIBUTE.purposeOfUse,
  VIHF_ATTRIBUTE.lpsName,
  VIHF_ATTRIBUTE.lpsVersion,
  VIHF_ATTRIBUTE.lpsHomologation,
];

function samlTime(t: Date): string {
  return t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function simple(name: string, value: string): XmlElement {
  return el('saml2:Attribute', { Name: name }, el('saml2:AttributeValue', {}, value));
}

function coded(name: string, element: string, code: VihfCode): XmlElement {
  const ce = el(element, {
    xmlns: NS.hl7v3,
    'xsi:type': 'CE',
    code: code.code,
    codeSystem: code.codeSystem,
    codeSystemName: code.codeSystemName,
    displayName: code.displayName,
  });
  return el('saml2:Attribute', { Name: name }, el('saml2:AttributeValue', {}, ce));
}

function attributes(p: VihfParams): XmlElement[] {
  const A = VIHF_ATTRIBUTE;
  const purpose: VihfCode = { codeSystemName: VIHF_VALUE.purposeOfUseSystemName, ...p.purposeOfUse };
  return [
    simple(A.version, p.version ?? DEFAULT_VIHF_VERSION),
    simple(A.authenticationMode, VIHF_VALUE.indirectAuthentication),
    simple(A.structureId, p.structureId),
    simple(A.facilityType, `${p.facilityType.code}^${p.facilityType.codeSystem}`),
    simple(A.subjectId, p.subjectId),
    coded(A.role, 'Role', p.role),
    simple(A.resourceId, p.resourceId),
    simple(A.resourceUrn, VIHF_VALUE.resourceUrnDmp),
    coded(A.purposeOfUse, 'PurposeOfUse', purpose),
    ...(p.secretConnection
      ? [
          coded(A.confidentialityCode, 'ConfidentialityCode', {
            code: VISIBILITY_CODE.hiddenFromLegalRepresentatives,
            codeSystem: OID.treA07Visibility,
          }),
        ]
      : []),
    simple(A.lpsName, p.lps.name),
    simple(A.lpsVersion, p.lps.version),
    simple(A.lpsHomologation, p.lps.homologation),
  ];
}

/** The unsigned assertion tree (SAML 2.0 core §2.3.3 element order). */
function assertionTree(p: VihfParams, env: { now: Date; id: string }): XmlElement {
  const now = samlTime(env.now);
  const until = samlTime(
    new Date(env.now.getTime() + (p.validitySeconds ?? DEFAULT_VALIDITY_SECONDS) * 1000),
  );
  return el(
    'saml2:Assertion',
    { 'xmlns:saml2': NS.saml2, 'xmlns:xsi': NS.xsi, ID: env.id, IssueInstant: now, Version: '2.0' },
    el('saml2:Issuer', { Format: SAML.issuerFormatX509 }, p.issuer),
    el(
      'saml2:Subject',
      {},
      el('saml2:NameID', {}, p.nameId),
      el('saml2:SubjectConfirmation', { Method: SAML.bearer }),
    ),
    el('saml2:Conditions', { NotBefore: now, NotOnOrAfter: until }),
    el(
      'saml2:AuthnStatement',
      { AuthnInstant: now },
      el(
        'saml2:AuthnContext',
        {},
        el('saml2:AuthnContextClassRef', {}, p.authnContextClassRef ?? SAML.authnContextTlsClient),
      ),
    ),
    el('saml2:AttributeStatement', {}, attributes(p)),
  );
}

/**
 * Builds the VIHF assertion (ID = `env.id`, an NCName) and signs it with an
 * enveloped signature placed right after `saml2:Issuer` (SAML 2.0 core
 * §5.4.1: `Reference URI="#<ID>"`). Returns the signed assertion XML.
 */
export function buildVihf(params: VihfParams, key: SigningKey, env: { now: Date; id: string }): string {
  return signEnveloped(serialize(assertionTree(params, env)), {
    key,
    referenceId: env.id,
    idAttribute: 'ID',
    insert: { xpath: "/*[local-name()='Assertion']/*[local-name()='Issuer']", action: 'after' },
  });
}

function attributeValue(value: unknown): string {
  const text = textOf(value);
  if (text !== undefined) return text;
  if (value && typeof value === 'object') {
    const child = Object.entries(value as XmlObject).find(([k]) => !k.startsWith('@_') && k !== '#text')?.[1];
    if (child !== undefined) return `${attr(child, 'code') ?? ''}^${attr(child, 'codeSystem') ?? ''}`;
  }
  return '';
}

/**
 * Reads the attributes of a VIHF assertion, by name. Coded values (role,
 * purpose of use) come back as `code^codeSystem`. Pass only the canonical XML
 * returned by `verifySignature`, never the unverified message.
 */
export function readVihfAttributes(verifiedAssertionXml: string): Record<string, string[]> {
  const doc = parseXml(verifiedAssertionXml, {
    arrays: ['AttributeStatement', 'Attribute', 'AttributeValue'],
  });
  const out: Record<string, string[]> = {};
  const assertion = doc.Assertion as XmlObject | undefined;
  for (const statement of asArray(assertion?.AttributeStatement as XmlObject[] | undefined)) {
    for (const attribute of asArray(statement.Attribute as XmlObject[] | undefined)) {
      const name = attr(attribute, 'Name');
      if (name === undefined) continue;
      const values = asArray(attribute.AttributeValue as unknown[] | undefined).map(attributeValue);
      out[name] = [...(out[name] ?? []), ...values];
    }
  }
  return out;
}
