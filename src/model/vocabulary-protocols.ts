/**
 * Identifiers of the protocols around the deposit, with their sources:
 * XML signatures and SAML (VIHF, XAdES/DSG), ITI-18 stored queries, ITI-57
 * metadata update, TD0.2, and the HL7 v2 volet. Re-exported by vocabulary.ts.
 */

/**
 * XML-DSig algorithm and type URIs [W3C XMLDSig Core 1.1 §6, W3C Exclusive XML Canonicalization 1.0,
 * RFC 6931 (rsa-sha256, xmlenc#sha256), ETSI TS 101 903 v1.3.2 §6.3.1 (SignedProperties type)].
 */
export const DSIG = {
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  envelopedSignature: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  manifestType: 'http://www.w3.org/2000/09/xmldsig#Manifest',
  xadesSignedPropertiesType: 'http://uri.etsi.org/01903#SignedProperties',
} as const;

/** SAML 2.0 URNs used in the VIHF [SAML 2.0 core §3.4.1.1, §8.3.6; authn-context §3.4.21; VOLET-HL7 mapping.md; DRIMBOX VIHF.java]. */
export const SAML = {
  /** Issuer format: the signing certificate's subject DN [VOLET-HL7 mapping.md]. */
  issuerFormatX509: 'urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName',
  bearer: 'urn:oasis:names:tc:SAML:2.0:cm:bearer',
  /** Authentication context of a system authenticated by its TLS client certificate [DRIMBOX VIHF.java]. */
  authnContextTlsClient: 'urn:oasis:names:tc:SAML:2.0:ac:classes:TLSClient',
} as const;

/** VIHF attribute names [VOLET-HL7 mapping.md "Mapping VIHF pour le DMP", DRIMBOX VIHFField.java]. */
export const VIHF_ATTRIBUTE = {
  version: 'VIHF_Version',
  authenticationMode: 'Authentification_Mode',
  structureId: 'Identifiant_Structure',
  facilityType: 'Secteur_Activite',
  subjectId: 'urn:oasis:names:tc:xspa:1.0:subject:subject-id',
  role: 'urn:oasis:names:tc:xacml:2.0:subject:role',
  resourceId: 'urn:oasis:names:tc:xacml:2.0:resource:resource-id',
  resourceUrn: 'Ressource_URN',
  purposeOfUse: 'urn:oasis:names:tc:xspa:1.0:subject:purposeofuse',
  /** Only with a "connexion secrète" request [VOLET-HL7 mapping.md]. */
  confidentialityCode: 'urn:oasis:names:tc:xspa:1.0:resource:patient:hl7:confidentiality-code',
  lpsName: 'LPS_Nom',
  lpsVersion: 'LPS_Version',
  lpsHomologation: 'LPS_ID_HOMOLOGATION_DMP',
} as const;

/** Constant VIHF values of automated feeding [VOLET-HL7 mapping.md, DRIMBOX BaseRequest.java]. */
export const VIHF_VALUE = {
  indirectAuthentication: 'INDIRECTE',
  resourceUrnDmp: 'urn:dmp',
  purposeOfUseNormal: 'normal',
  /** codeSystemName DRIMbox sends with the purpose of use [DRIMBOX BaseRequest.java]. */
  purposeOfUseSystemName: 'mode acces VIHF 1.0',
} as const;

/** IHE Document Digital Signature constants [IHE ITI TF-3 §5.5.2, §5.5.3.1; ASTM E1762-95(2013)]. */
export const DSG = {
  /** ASTM E1762 "Source Signature": signature of an automated data source [ITI TF-3 Table 5.5.2-1]. */
  sourceSignature: '1.2.840.10065.1.12.1.14',
  /**
   * Digest given to the SubmissionSet uniqueId reference of the manifest: DSG says "a hash value of 0";
   * DRIMbox (a DMP-tested client) sends the base64 of one zero byte.
   */
  submissionSetDigest: 'AA==',
} as const;

/** Stored query ids of ITI-18 Registry Stored Query [ITI TF-2a §3.18.4.1.2.3.7 "Parameters for Required Queries"]. */
export const STORED_QUERY = {
  findDocuments: 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d',
  getDocuments: 'urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4',
} as const;

/**
 * ITI-57 availability status change: association type (submission set → entry) and its slots
 * [ITI TF-2b §3.57 Update Document Set; as sent to the DMP by ansforge/DRIM-M_DRIMbox DeleteRequest.java].
 */
export const METADATA_UPDATE = {
  updateAvailabilityStatus: 'urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus',
  originalStatusSlot: 'OriginalStatus',
  newStatusSlot: 'NewStatus',
} as const;

/**
 * HL7 v3 identifiers of the DMP TD0.2 existence test (PRPA_IN201307UV02 → PRPA_IN201308UV02)
 * [HL7 v3 interaction ids 2.16.840.1.113883.1.6; reasonCode, DMP device id and query response
 * codes as used by ansforge/DRIM-M_DRIMbox VerifyAuthorizationRequest.java and the ANS TLSi kit].
 */
export const TD02 = {
  interactionIdRoot: '2.16.840.1.113883.1.6',
  request: 'PRPA_IN201307UV02',
  response: 'PRPA_IN201308UV02',
  /** reasonCode of an existence test (`Test d'existence de dossier`), code system 1.2.250.1.213.1.1.4.11. */
  reasonExistenceTest: { code: 'TEST_EXST', codeSystem: '1.2.250.1.213.1.1.4.11' },
  /** Device id of the DMP (receiver/device/id). */
  dmpDeviceId: '1.2.250.1.213.4.1.1.1',
  /** queryAck/queryResponseCode: `OK` a DMP exists, `NF` none. */
  dmpFound: 'OK',
  dmpNotFound: 'NF',
} as const;

/** Stored query parameter names (ITI-18) [IHE ITI TF-2a §3.18.4.1.2.3.7.1 FindDocuments, §3.18.4.1.2.3.7.5 GetDocuments]. */
export const QUERY_PARAM = {
  patientId: '$XDSDocumentEntryPatientId',
  status: '$XDSDocumentEntryStatus',
  uniqueId: '$XDSDocumentEntryUniqueId',
} as const;

/**
 * Further TD0.2 request values (see {@link TD02}) [ANS "TLSi kit éditeur" sample `MessageBuilder.IsDMPExistHl7V3Message`;
 * ansforge/DRIM-M_DRIMbox `VerifyAuthorizationRequest.java`]: the DMP's software name (receiver), the display name
 * of TEST_EXST, the semanticsText of the patient identifier parameter.
 */
export const TD02_REQUEST = {
  dmpSoftwareName: 'DMP',
  reasonDisplayName: "Test d'existence de dossier",
  patientIdSemantics: 'Patient.id',
} as const;

/**
 * Coding-system names and fixed values of the HL7 v2 volet [VOLET-HL7 profils-messages.md (MetaDMPMSS OBX,
 * ACK, ZAM^Z01, MSH-21), meta-dmp-mss.md, ack-metier-zam.md, error-codes.md].
 */
export const HL7V2 = {
  /** OBX-3.3 of the DMP/MSSanté restriction flags. */
  metaDmpMss: 'MetaDMPMSS',
  /** OBX-5.3 of a Y/N flag (HL7 table 0136). */
  yesNo: 'expandedYes-NoIndicator',
  /** OBX-3.3 of a business acknowledgement (ZAM). */
  ackMetierZam: 'AckMetierZAM',
  /** ERR-3 coding system: HL7 table 0357, by its symbolic name as the volet writes it. */
  messageErrorCondition: 'messageErrorCondition',
  /** ERR-5 coding system of the volet's consumer error codes 900–905. */
  applicationErrorCondition: 'applicationErrorCondition',
  /** ERR-5 coding system of DMP errors in ZAM^Z01 (the ANS sample writes `DMPERRORCODE`). */
  dmpErrorCode: 'DMP_ERROR_CODE',
  /** MSH-21 message profile of the volet (version 2.1). */
  profile: '2.1^CISIS_CDA_HL7_V2',
} as const;

/**
 * PV1-2 patient class → submission-set contentTypeCode (code system {@link OID.contentType}); any other
 * class gives `97` [VOLET-HL7 mapping.md "Lot de soumission" contentTypeCode: I→03, O→07, R→19, N→97;
 * E→07 from DOMAIN.md §2].
 */
export const PATIENT_CLASS_CONTENT_TYPE: Readonly<Record<string, string>> = {
  I: '03',
  O: '07',
  R: '19',
  E: '07',
};
