/**
 * Schema of a mapping file (`mappings/<source-or-facility>.yaml`, `kind:
 * mapping`): how one source system's or facility's local values become the
 * CI-SIS XDS metadata [DOMAIN.md §2–§3]. Structure only: the checks against
 * the national tables (JDV_J66...) are in check.ts. The published JSON Schema
 * (`mappings/schema/mapping.schema.json`) is generated from this one.
 */
import { z } from 'zod';

/** Codes are text: `03` unquoted is the YAML number 3, so the message says to quote it. */
export const codeText = z
  .string({
    error: (i) => (i.input === undefined ? 'required' : 'must be text (quote codes and ids, e.g. "03")'),
  })
  .min(1, 'must not be empty');

const oid = z.string().regex(/^[0-2](\.(0|[1-9]\d*))+$/, 'must be an OID such as 1.2.250.1.213.1.1.4.9');

/** A national code; `system` is the OID of its code system (each field says its default). */
export const codeRef = z
  .object({
    code: codeText,
    system: oid.optional().describe('OID of the code system; default: the one of the field'),
    displayName: z.string().optional(),
  })
  .strict()
  .meta({ id: 'Code' });

export const finess = z
  .string({
    error: (i) => (i.input === undefined ? 'required' : 'must be text: quote the FINESS, e.g. "999000019"'),
  })
  .regex(/^\d[\dAB]\d{7}$/, 'must be a 9-character FINESS');

const facility = z
  .object({
    finess: finess.describe('FINESS of the geographic site (VIHF Identifiant_Structure = 1 + FINESS)'),
    name: z.string().min(1).describe('Name of the site (authorInstitution, custodian)'),
    facilityType: codeRef.describe(
      'healthcareFacilityTypeCode (TRE_R02 1.2.250.1.71.4.2.4, JDV_J61), also the VIHF Secteur_Activite',
    ),
    vihf: z
      .object({
        secteurActivite: codeRef
          .optional()
          .describe('VIHF Secteur_Activite when it differs from facilityType'),
      })
      .strict()
      .optional(),
  })
  .strict()
  .meta({ id: 'Facility' });

const typeEntry = z
  .object({
    typeCode: codeText.describe('DMP document type (JDV_J66): a LOINC code or a TRE_A05 code'),
    system: z
      .enum(['LOINC', 'TRE_A05'])
      .optional()
      .describe('Code system of typeCode; default: found in JDV_J66 (LOINC first)'),
  })
  .strict();

const unitEntry = z
  .object({
    practiceSetting: codeRef
      .optional()
      .describe('practiceSettingCode (default system TRE_A01 1.2.250.1.213.1.1.4.9)'),
    specialty: codeRef
      .optional()
      .describe(
        'Specialty of the unit, seen by the feeding rules (default system TRE_R38 1.2.250.1.71.4.2.5)',
      ),
    facility: z.string().optional().describe('Key in `facilities` of the site the unit belongs to'),
  })
  .strict()
  .meta({ id: 'Unit' });

const authorDefaults = z
  .object({
    system: z
      .object({
        id: codeText.describe('Local id of the software, after `3<FINESS>/`'),
        name: z.string().min(1),
        model: z.string().min(1),
      })
      .strict()
      .optional()
      .describe('Software author when the source names no person'),
    role: codeRef.optional().describe('authorRole of a person author without one (default system TRE_G15)'),
    specialty: codeRef
      .optional()
      .describe('authorSpecialty of a person author without one (default system TRE_R38)'),
  })
  .strict();

export const mappingFileSchema = z
  .object({
    kind: z.literal('mapping', { error: 'must be mapping (or rules, in a rules file)' }),
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, . _ - only')
      .describe('Stable name of the mapping, recorded with each submission'),
    description: z.string().optional(),
    appliesTo: z
      .object({
        applications: z
          .array(codeText)
          .optional()
          .describe('Sending applications (HL7 MSH-3 namespace, FHIR/XDS client name)'),
        facilities: z.array(codeText).optional().describe('Sending facilities (HL7 MSH-4 namespace)'),
        default: z
          .boolean()
          .optional()
          .describe('Used for messages no other mapping claims (one file at most)'),
      })
      .strict(),
    facilities: z
      .record(z.string(), facility)
      .describe('Sites by local facility code (HL7 MSH-4 / PV1-3.4, FHIR custodian identifier)'),
    defaults: z
      .object({
        facility: z.string().describe('Key in `facilities` used when the source names no known facility'),
        practiceSetting: codeRef.optional().describe('practiceSettingCode when no unit says otherwise'),
        contentType: codeText
          .optional()
          .describe('contentTypeCode (1.2.250.1.213.2.2) when the visit class is missing or unmapped'),
      })
      .strict(),
    types: z
      .record(z.string(), typeEntry)
      .optional()
      .describe('Local document types (OBX-3.1, DocumentReference.type code...) → DMP typeCode'),
    units: z
      .record(z.string(), unitEntry)
      .optional()
      .describe('Units / services by local code (HL7 PV1-3.1 point of care...)'),
    visitClasses: z
      .record(z.string(), codeText)
      .optional()
      .describe('Visit class (HL7 PV1-2, FHIR Encounter.class) → contentTypeCode (1.2.250.1.213.2.2)'),
    authorDefaults: authorDefaults.optional(),
  })
  .strict();

export type MappingFile = z.output<typeof mappingFileSchema>;
export type CodeRef = z.output<typeof codeRef>;
