/**
 * Value formats of XDS metadata attributes (ITI TF-3 §4.2.3.1.7 "Metadata
 * attribute data types", Table 4.2.3.2-1 DocumentEntry attributes) with the
 * DMP's restrictions (CI-SIS "Volet partage de documents de santé"). Shared
 * by the sandbox DMP and the ITI-41 recipient (moved from
 * src/sandbox/iti41-metadata.ts).
 */

/** An OID (ISO/IEC 8824 dotted form, no leading zeros). */
export const OID_PATTERN = /^[0-2](\.(0|[1-9]\d*))+$/;
/** DTM: `YYYY[MM[DD[hh[mm[ss]]]]]`, in UTC. */
export const DTM = /^\d{4}(\d{2}(\d{2}(\d{2}(\d{2}(\d{2})?)?)?)?)?$/;
/** A language tag such as `fr-FR` (RFC 5646 shape). */
export const LANGUAGE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;
/** The SHA-1 of the document, 40 hexadecimal digits. */
export const SHA1_HEX = /^[0-9a-fA-F]{40}$/;
/** The size of the document in bytes. */
export const SIZE = /^(0|[1-9]\d{0,15})$/;

/** A bare OID of at most 64 characters (ITI TF-3 §4.2.3.1.7 OID; the DMP rejects `OID^extension`). */
export function isUniqueIdOid(value: string): boolean {
  return value.length <= 64 && OID_PATTERN.test(value);
}
