/**
 * Every identifier the gateway writes on the wire, with its source.
 *
 * - [ITI-3] IHE ITI Technical Framework vol. 3, §4.2.5 (XDS metadata UUIDs) and §4.2.2 (associations).
 * - [ebRS] OASIS ebXML RegRep 3.0 (object types, status and response URNs).
 * - [CI-SIS] ANS CI-SIS "Volet partage de documents de santé" and "Structuration minimale des documents de santé".
 * - [TRE] ANS terminology repository (NOS): TRE_A07, TRE_R02, TRE_A01, TRE_A03, TRE_G08.
 * - [VOLET-HL7] ANS "Transmission de documents CDA en HL7v2".
 */

/** OIDs of identifier and code systems. */
export const OID = {
  /** INS-NIR (production) [CI-SIS]. */
  insNir: '1.2.250.1.213.1.4.8',
  /** INS-NIA (temporary number) [CI-SIS]. */
  insNia: '1.2.250.1.213.1.4.9',
  /** INS-NIR of test identities [CI-SIS]. */
  insNirTest: '1.2.250.1.213.1.4.10',
  /** INS-NIR of demonstration identities [CI-SIS]. */
  insNirDemo: '1.2.250.1.213.1.4.11',
  /** National health professional id (`8`+RPPS, `0`+ADELI) [CI-SIS]. */
  personId: '1.2.250.1.71.4.2.1',
  /** National structure id (`1`+FINESS, `3`+SIRET...) [CI-SIS]. */
  structureId: '1.2.250.1.71.4.2.2',
  /** HL7 Confidentiality (N/R/V) [HL7 v3]. */
  hl7Confidentiality: '2.16.840.1.113883.5.25',
  /** HL7 AdministrativeGender [HL7 v3]. */
  hl7Gender: '2.16.840.1.113883.5.1',
  /** LOINC [CI-SIS]. */
  loinc: '2.16.840.1.113883.6.1',
  /** TRE_A07 visibility / confidentiality extensions (INVISIBLE_PATIENT...) [TRE]. */
  treA07Visibility: '1.2.250.1.213.1.1.4.13',
  /** TRE_A03 document classes [TRE]. */
  treA03Class: '1.2.250.1.213.1.1.4.1',
  /** TRE_A05 DMP-specific document types [TRE]. */
  treA05Type: '1.2.250.1.213.1.1.4.12',
  /** TRE_A01 practice settings (cadre d'exercice) [TRE]. */
  treA01PracticeSetting: '1.2.250.1.213.1.1.4.9',
  /** TRE_R02 healthcare facility types (secteur d'activité) [TRE]. */
  treR02FacilityType: '1.2.250.1.71.4.2.4',
  /** Roles of software authors (`AUTOMATE`) [CI-SIS / VIHF]. */
  authorSpecialtyAutomaton: '1.2.250.1.213.1.1.4.6',
  /** Submission-set content type (activity) codes [DOMAIN.md §2, VOLET-HL7]. */
  contentType: '1.2.250.1.213.2.2',
  /** XDS format codes (`urn:ihe:iti:xds-sd:pdf:2008`...): TRE_A11-IheFormatCode [CI-SIS]. */
  formatCodeScheme: '1.3.6.1.4.1.19376.1.2.3',
  /** French format codes (`urn:asip:ci-sis:...`, `urn:ans:ci-sis:...`): TRE_A06-FormatCodeComplementaire [TRE, PDSm constr-bind-format]. */
  formatCodeComplementaryScheme: '1.2.250.1.213.1.1.4.2.282',
  /** Purpose of use (`normal`) in the VIHF [CI-SIS VIHF]. */
  purposeOfUse: '1.2.250.1.213.1.1.4.248',
  /** UUID-derived OIDs (ITU-T X.667): `2.25.<decimal uuid>`. */
  uuidArc: '2.25',
} as const;

/** OIDs an INS may carry; `.10` and `.11` are for test and demo identities. */
export const INS_OIDS: readonly string[] = [OID.insNir, OID.insNia, OID.insNirTest, OID.insNirDemo];

/** CDA templateIds of a CI-SIS N1 (unstructured) document, in order [CI-SIS, DOMAIN.md §6]. */
export const CDA_N1_TEMPLATE_IDS = [
  '2.16.840.1.113883.2.8.2.1',
  '1.2.250.1.213.1.1.1.1',
  '1.3.6.1.4.1.19376.1.2.20',
] as const;

/** HL7 v3 CDA typeId [CDA R2]. */
export const CDA_TYPE_ID = { root: '2.16.840.1.113883.1.3', extension: 'POCD_HD000040' } as const;

/** Classification schemes and object types of XDS metadata [ITI-3 §4.2.5]. */
export const XDS = {
  submissionSet: {
    classificationNode: 'urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd',
    author: 'urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d',
    contentTypeCode: 'urn:uuid:aa543740-bdda-424e-8c96-df4873be8500',
    patientId: 'urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446',
    sourceId: 'urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832',
    uniqueId: 'urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8',
  },
  documentEntry: {
    stableObjectType: 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1',
    author: 'urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d',
    classCode: 'urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a',
    confidentialityCode: 'urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f',
    eventCodeList: 'urn:uuid:2c6b8cb7-8b2a-4051-b291-b1ae6a575ef4',
    formatCode: 'urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d',
    healthcareFacilityTypeCode: 'urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1',
    practiceSettingCode: 'urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead',
    typeCode: 'urn:uuid:f0306f51-975f-434e-a61c-c59651d33983',
    patientId: 'urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427',
    uniqueId: 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab',
  },
} as const;

/** ebRIM object types [ebRS rim.xsd, ITI-3 §4.2]. */
export const OBJECT_TYPE = {
  classification: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification',
  externalIdentifier: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:ExternalIdentifier',
  registryPackage: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:RegistryPackage',
  association: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Association',
} as const;

/** Association types [ITI-3 §4.2.2]. */
export const ASSOCIATION = {
  hasMember: 'urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember',
  replace: 'urn:ihe:iti:2007:AssociationType:RPLC',
  signs: 'urn:ihe:iti:2007:AssociationType:signs',
} as const;

/** Availability status values [ebRS, CI-SIS TD3.3c]. */
export const STATUS = {
  approved: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved',
  deprecated: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated',
  /** DMP logical deletion, set by ITI-57 [CI-SIS]. */
  deleted: 'urn:asip:ci-sis:2010:StatusType:Deleted',
} as const;

/** RegistryResponse statuses and error severities [ebRS rs.xsd, ITI-3 §4.2.4]. */
export const RESPONSE_STATUS = {
  success: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success',
  failure: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure',
  partialSuccess: 'urn:ihe:iti:2007:ResponseStatusType:PartialSuccess',
  error: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error',
  warning: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning',
} as const;

/** ebRIM slot names used in ITI-41 [ITI-3 §4.2.3]. */
export const SLOT = {
  submissionTime: 'submissionTime',
  creationTime: 'creationTime',
  serviceStartTime: 'serviceStartTime',
  serviceStopTime: 'serviceStopTime',
  languageCode: 'languageCode',
  hash: 'hash',
  size: 'size',
  sourcePatientId: 'sourcePatientId',
  sourcePatientInfo: 'sourcePatientInfo',
  legalAuthenticator: 'legalAuthenticator',
  referenceIdList: 'urn:ihe:iti:xds:2013:referenceIdList',
  codingScheme: 'codingScheme',
  authorPerson: 'authorPerson',
  authorInstitution: 'authorInstitution',
  authorRole: 'authorRole',
  authorSpecialty: 'authorSpecialty',
  submissionSetStatus: 'SubmissionSetStatus',
  previousVersion: 'PreviousVersion',
} as const;

/** SOAP actions (WS-Addressing `Action`) [ITI-2b, DOMAIN.md §1]. */
export const SOAP_ACTION = {
  iti41: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b',
  iti41Response: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-bResponse',
  iti18: 'urn:ihe:iti:2007:RegistryStoredQuery',
  iti18Response: 'urn:ihe:iti:2007:RegistryStoredQueryResponse',
  iti57: 'urn:ihe:iti:2010:UpdateDocumentSet',
  iti57Response: 'urn:ihe:iti:2010:UpdateDocumentSetResponse',
  td02: 'urn:hl7-org:v3:PRPA_IN201307UV02',
  /** TD0.2 response (HL7 v3 PRPA_IN201308UV02) [CI-SIS DMP TD0.2; TLSi kit GDP client, Dehempe GdpExistenceClient]. */
  td02Response: 'urn:hl7-org:v3:PRPA_IN201308UV02',
} as const;

/** XML namespaces. */
export const NS = {
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  /** SOAP 1.1 envelope, only to recognise it and answer VersionMismatch [SOAP 1.2 Part 1 §5.4.7]. */
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  wsa: 'http://www.w3.org/2005/08/addressing',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  saml2: 'urn:oasis:names:tc:SAML:2.0:assertion',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xades: 'http://uri.etsi.org/01903/v1.3.2#',
  xop: 'http://www.w3.org/2004/08/xop/include',
  xds: 'urn:ihe:iti:xds-b:2007',
  lcm: 'urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0',
  rim: 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0',
  rs: 'urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0',
  query: 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0',
  hl7v3: 'urn:hl7-org:v3',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
} as const;

/** TRE_A07 visibility codes as sent in confidentialityCode [TRE_A07, DOMAIN.md §4]. */
export const VISIBILITY_CODE = {
  hiddenFromPatient: 'INVISIBLE_PATIENT',
  hiddenFromLegalRepresentatives: 'INVISIBLE_REPRESENTANTS_LEGAUX',
  maskedFromProfessionals: 'MASQUE_PS',
} as const;

/**
 * Format codes (TRE_A11, scheme {@link OID.formatCodeScheme}) of N1 documents by
 * `nonXMLBody/text/@mediaType`. Source: ANS ConceptMap
 * ASS_A12-CorresMediaTypeCDANonStructure-XdsFormatCode-CISIS v5.0.0 (TRE_R222 →
 * TRE_A11), repo ansforge/IG-terminologie-de-sante; JPEG, RTF and TIFF are the
 * French `urn:ihe:iti-fr:xds-sd:*:2010` codes (IHE XDS-SD itself defines only PDF and text).
 */
export const N1_FORMAT_CODE: Readonly<Record<string, string>> = {
  'application/pdf': 'urn:ihe:iti:xds-sd:pdf:2008',
  'text/plain': 'urn:ihe:iti:xds-sd:text:2008',
  'image/jpeg': 'urn:ihe:iti-fr:xds-sd:jpeg:2010',
  'image/tiff': 'urn:ihe:iti-fr:xds-sd:tiff:2010',
  'text/rtf': 'urn:ihe:iti-fr:xds-sd:rtf:2010',
};

/** WS-Addressing 1.0 well-known URIs [WS-Addressing 1.0 Core §2.1 (anonymous), SOAP Binding §6 (fault action)]. */
export const WSA = {
  anonymous: 'http://www.w3.org/2005/08/addressing/anonymous',
  faultAction: 'http://www.w3.org/2005/08/addressing/soap/fault',
} as const;

/** Media types of SOAP 1.2 and MTOM/XOP messages [RFC 3902, W3C XOP 1.0 §A.1, ITI TF-2x Appendix V]. */
export const MEDIA_TYPE = {
  soap12: 'application/soap+xml',
  xop: 'application/xop+xml',
  multipartRelated: 'multipart/related',
} as const;

/**
 * Metadata of the XAdES signature document entry that signs a submission set
 * (IHE DSG document, as the DMP expects it). Same values in two independent
 * DMP clients: ansforge/DRIM-M_DRIMbox (`dmp/xades/DocumentEntry.java`) and
 * OpenXtrem Mediboard (`CXDSMappingCDA::createSignature`); classCode, typeCode
 * and formatCode are those of IHE ITI DSG (Document Digital Signature) for a signature document.
 */
export const SIGNATURE_DOCUMENT = {
  classCode: {
    code: 'urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1',
    codeSystem: 'URN',
    displayName: 'Digital Signature',
  },
  typeCode: { code: 'E1762', codeSystem: 'ASTM', displayName: 'Full Document' },
  formatCode: {
    code: 'http://www.w3.org/2000/09/xmldsig#',
    codeSystem: 'URN',
    displayName: 'Default Signature Style',
  },
  /** ASTM E1762 signature purpose "Source" (urn:iso-astm:E1762-95:2013). */
  eventCode: { code: '1.2.840.10065.1.12.1.14', codeSystem: '1.2.840.10065.1.12', displayName: 'Source' },
  title: 'Source',
  /** ISO 639-2 `art` (artificial language), as in both clients above. */
  languageCode: 'art',
  mimeType: 'text/xml',
} as const;

/** MIME type of a CDA document entry (`application/xslt+xml` is for self-presenting CDA) [VOLET-HL7 mapping.md]. */
export const CDA_MIME_TYPE = 'text/xml';

/** Values of the SubmissionSetStatus slot of a HasMember association [ITI-3 §4.2.2.1, HasMember]. */
export const SUBMISSION_SET_STATUS = { original: 'Original', reference: 'Reference' } as const;

/** Names of the XDS external identifiers [ITI-3 Tables 4.2.3.2-1 and 4.2.3.3-1]. */
export const EXTERNAL_ID_NAME = {
  submissionSetPatientId: 'XDSSubmissionSet.patientId',
  submissionSetSourceId: 'XDSSubmissionSet.sourceId',
  submissionSetUniqueId: 'XDSSubmissionSet.uniqueId',
  documentEntryPatientId: 'XDSDocumentEntry.patientId',
  documentEntryUniqueId: 'XDSDocumentEntry.uniqueId',
} as const;

/** Display names of the first confidentialityCode (N/R/V) [HL7 v3 Confidentiality 2.16.840.1.113883.5.25]. */
export const CONFIDENTIALITY_DISPLAY = { N: 'Normal', R: 'Restricted', V: 'Very restricted' } as const;

/** Display names of the TRE_A07 visibility codes, as labelled in the ANS HL7 v2 examples (OBX MetaDMPMSS) [VOLET-HL7]. */
export const VISIBILITY_DISPLAY = {
  INVISIBLE_PATIENT: 'Document Non Visible par le patient',
  INVISIBLE_REPRESENTANTS_LEGAUX: 'Non visible par les représentants Légaux du patient',
  MASQUE_PS: 'Masqué aux professionnels de Santé',
} as const;

/** authorSpecialty of a software author (automaton) [DOMAIN.md §3, CI-SIS; code system TRE_A00 `1.2.250.1.213.1.1.4.6`]. */
export const SYSTEM_AUTHOR_SPECIALTY = {
  code: 'AUTOMATE',
  codeSystem: OID.authorSpecialtyAutomaton,
  displayName: 'Automate',
} as const;

export * from './vocabulary-protocols.ts';
