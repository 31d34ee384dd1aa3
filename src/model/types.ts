/**
 * The canonical submission: what every intake (HL7 v2, FHIR, XDS) translates
 * into and what every outbound builder (CDA, ebRIM, VIHF) reads. It knows no
 * wire format. Field meanings follow the CI-SIS XDS metadata (DOMAIN.md §2–§4).
 */

/** A coded value: code + the OID of its code system (+ optional label). */
export interface Code {
  readonly code: string;
  /** OID of the code system (e.g. LOINC `2.16.840.1.113883.6.1`), or a URN/URI scheme for the few non-OID systems. */
  readonly codeSystem: string;
  readonly displayName?: string;
}

/** An instance identifier (HL7 II): root OID, optional extension. */
export interface InstanceId {
  readonly root: string;
  readonly extension?: string;
}

export type Sex = 'F' | 'M' | 'U';

/** Identity reliability (PID-32 / INS referential): only `VALI` may carry an INS to the DMP. */
export type IdentityStatus = 'VALI' | 'QUAL' | 'RECUP' | 'PROV' | 'VIDE';

export interface Patient {
  /** INS matricule (NIR/NIA) and its OID (`1.2.250.1.213.1.4.8|9|10|11`). */
  readonly ins: InstanceId & { readonly extension: string };
  /** Local patient id (IPP) and the OID of the assigning authority. */
  readonly ipp?: InstanceId & { readonly extension: string };
  /** Birth family name (INS trait, `qualifier="BR"`). */
  readonly birthFamilyName: string;
  /** Used family name, when it differs from the birth name. */
  readonly usedFamilyName?: string;
  /** Birth given names, in order (INS trait: the first is the used one). */
  readonly givenNames: readonly string[];
  /** Birth date `YYYYMMDD` (or `YYYYMM`, `YYYY` when partly unknown). */
  readonly birthDate: string;
  readonly sex: Sex;
  /** INSEE code of the birth place (COG), when known. */
  readonly birthPlaceCode?: string;
  readonly identityStatus: IdentityStatus;
}

/** A health organisation (structure): national id (`1`+FINESS, `3`+SIRET, ...) and name. */
export interface Organisation {
  /** National structure id, with its type prefix (`1` FINESS, `3` SIRET, `4` RPPS rang). */
  readonly id: string;
  readonly name: string;
  /** Code system of `id`; defaults to the national structure id OID `1.2.250.1.71.4.2.2`. */
  readonly idSystem?: string;
}

/** A health professional, identified by a national id (`8`+RPPS, `0`+ADELI...). */
export interface Person {
  readonly id: string;
  /** Code system of `id`; defaults to the national person id OID `1.2.250.1.71.4.2.1`. */
  readonly idSystem?: string;
  readonly familyName: string;
  readonly givenName?: string;
  readonly prefix?: string;
}

export interface PersonAuthor {
  readonly kind: 'person';
  readonly person: Person;
  /** Profession / role (TRE_G15, TRE_R85...). */
  readonly role?: Code;
  /** Specialty (TRE_R38, ...). */
  readonly specialty?: Code;
  readonly organisation: Organisation;
}

/** A software author (automaton): `3<FINESS>/<id>` style id, name and model. */
export interface SystemAuthor {
  readonly kind: 'system';
  readonly id: string;
  readonly idSystem?: string;
  readonly name: string;
  readonly model: string;
  readonly organisation: Organisation;
}

export type Author = PersonAuthor | SystemAuthor;

export type Confidentiality = 'N' | 'R' | 'V';

/** The TRE_A07 visibility flags sent after the N/R/V code (DOMAIN.md §4). */
export interface Visibility {
  /** `INVISIBLE_PATIENT`: hidden from the patient (announcement consultation pending). */
  readonly hiddenFromPatient: boolean;
  /** `INVISIBLE_REPRESENTANTS_LEGAUX`: hidden from a minor's legal representatives. */
  readonly hiddenFromLegalRepresentatives: boolean;
  /** `MASQUE_PS`: masked from health professionals. */
  readonly maskedFromProfessionals: boolean;
}

/** The document content: wrapped as CDA N1 by the gateway, or a ready-made CDA. */
export type DocumentContent =
  | {
      readonly kind: 'unstructured';
      /** `application/pdf`, `text/plain`, `image/jpeg`, `text/rtf`, `image/tiff`. */
      readonly mediaType: string;
      readonly bytes: Uint8Array;
    }
  | {
      readonly kind: 'cda';
      /** The CDA document exactly as received; sent byte for byte. */
      readonly bytes: Uint8Array;
    };

/** The document being replaced (RPLC). */
export interface Predecessor {
  /** XDS uniqueId (the old CDA `id@root`). */
  readonly uniqueId: string;
  /** The old document's entryUUID in the DMP registry, when known. */
  readonly entryUUID?: string;
  /** The old CDA id (relatedDocument/parentDocument/id). */
  readonly cdaId: InstanceId;
}

export interface DocumentEntry {
  /** CDA `ClinicalDocument/id`; its XDS uniqueId is the root (OID), see {@link documentUniqueId}. */
  readonly id: InstanceId;
  /** Registry object id of the entry (`urn:uuid:...`). */
  readonly entryUUID: string;
  readonly setId: InstanceId;
  readonly versionNumber: number;
  readonly title: string;
  /** Document type (LOINC or TRE_A05), member of JDV_J66. */
  readonly typeCode: Code;
  /** Document class (TRE_A03), derived from the type (ASS_X04). */
  readonly classCode: Code;
  readonly formatCode: Code;
  readonly healthcareFacilityTypeCode: Code;
  readonly practiceSettingCode: Code;
  readonly confidentiality: Confidentiality;
  readonly visibility: Visibility;
  /** ISO 8601 instant: CDA `effectiveTime` / XDS creationTime. */
  readonly creationTime: string;
  readonly serviceStartTime?: string;
  readonly serviceStopTime?: string;
  readonly languageCode: string;
  readonly authors: readonly Author[];
  readonly legalAuthenticator?: Person & { readonly time?: string };
  /** The organisation responsible for keeping the document (CDA custodian). */
  readonly custodian: Organisation;
  readonly eventCodes: readonly Code[];
  /** XDS referenceIdList entries, already in CXi form. */
  readonly referenceIds: readonly string[];
  readonly content: DocumentContent;
  readonly replaces?: Predecessor;
  /** The sender asked for the VIHF "connexion secrète" (HL7 MetaDMPMSS `CONNEXION_SECRETE=Y`). */
  readonly secretConnection?: boolean;
  /**
   * The sender restates the document's confidentiality with this version (HL7 MetaDMPMSS
   * `MODIF_CONF_CODE=Y`): a mask an operator set on an earlier version is not kept.
   */
  readonly confidentialityChange?: boolean;
}

export interface Submission {
  /** Registry object id of the submission set (`urn:uuid:...`). */
  readonly entryUUID: string;
  /** Submission set uniqueId (OID). */
  readonly uniqueId: string;
  /** OID of the sending system (XDS sourceId). */
  readonly sourceId: string;
  /** ISO 8601 instant. */
  readonly submissionTime: string;
  /** Activity that produced the submission (PV1-2 mapping, DOMAIN.md §2). */
  readonly contentTypeCode: Code;
  readonly title?: string;
  readonly author: Author;
  readonly patient: Patient;
  readonly documents: readonly DocumentEntry[];
  /**
   * The geographic site of the submission, as the establishment's mapping attributes it (the site the
   * message names, else its unit's or facility's): its VIHF Identifiant_Structure (`1`+FINESS) and
   * Secteur_Activite. Absent: the configured establishment.
   */
  readonly site?: { readonly structureId: string; readonly secteurActivite: Code };
}

/** A request to delete a deposited document (TD3.3c, ITI-57 to the DMP's Deleted status). */
export interface Deletion {
  readonly kind: 'deletion';
  readonly patient: Patient;
  /** uniqueId (OID) of the document to delete. */
  readonly documentUniqueId: string;
  /** Activity of the update submission set. */
  readonly contentTypeCode: Code;
  readonly author: Author;
}
