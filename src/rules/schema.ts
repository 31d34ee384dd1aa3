/**
 * Schema of a feeding-rules file (`mappings/rules-<site>.yaml`, `kind:
 * rules`): the establishment's CME decision on what is fed to the DMP
 * automatically, from which units, with which delay and default visibility
 * [DOMAIN.md §9]. Each rule carries the reference of the CME decision that
 * authorised it. Structure only; semantic checks are in check.ts; the
 * published JSON Schema (`mappings/schema/rules.schema.json`) is generated
 * from this one.
 */
import { z } from 'zod';
import { codeText, finess } from '../mappings/schema.ts';

const pattern = codeText.regex(/^[^*]+\*?$/, 'a code, or a code prefix ending with * (e.g. B20*)');

const criteria = z
  .object({
    documentTypes: z
      .array(codeText)
      .min(1)
      .optional()
      .describe('DMP typeCodes (JDV_J66, after mapping), e.g. 11502-2'),
    localTypes: z
      .array(codeText)
      .min(1)
      .optional()
      .describe('Local document types as sent (keys of the mapping `types`)'),
    units: z
      .array(pattern)
      .min(1)
      .optional()
      .describe('Local unit codes; PSY* matches every code starting with PSY'),
    specialties: z
      .array(codeText)
      .min(1)
      .optional()
      .describe('Specialty codes of an author or of the unit (mapping `units.<u>.specialty`)'),
    authors: z
      .array(codeText)
      .min(1)
      .optional()
      .describe('National ids of authors: 8<RPPS>, or a software author id'),
    eventCodes: z
      .object({
        system: z
          .string()
          .optional()
          .describe('OID of the code system (CIM-10 2.16.840.1.113883.6.3, CCAM...)'),
        codes: z.array(pattern).min(1),
      })
      .strict()
      .optional()
      .describe('Diagnosis / act codes of the document (eventCodeList)'),
    age: z
      .object({
        under: z.number().int().min(1).max(150).optional().describe('age < under (years)'),
        atLeast: z.number().int().min(0).max(150).optional().describe('age ≥ atLeast (years)'),
      })
      .strict()
      .optional()
      .describe('Patient age in whole years at the document date'),
  })
  .strict()
  .describe('Every criterion given must match (AND); within a list, any value matches (OR). Empty: always')
  .meta({ id: 'Criteria' });

const hold = z
  .object({
    hours: z
      .number()
      .positive()
      .max(8760)
      .optional()
      .describe('Send no earlier than the document date + hours'),
    untilEvent: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, . _ - only')
      .optional()
      .describe('Wait for this event (e.g. announcement, result-validated)'),
    atMostHours: z
      .number()
      .positive()
      .max(8760)
      .optional()
      .describe('With untilEvent: stop waiting at the document date + atMostHours'),
  })
  .strict()
  .meta({ id: 'Hold' });

const ruleBase = {
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, . _ - only')
    .describe('Stable rule id, recorded with each decision'),
  cme: z.string().min(1, 'the reference of the CME decision is required').describe('CME decision reference'),
  description: z.string().optional(),
  when: criteria.prefault({}),
};

const visibility = z
  .array(z.enum(['INVISIBLE_PATIENT', 'MASQUE_PS']))
  .min(1)
  .describe(
    'Default TRE_A07 flags: INVISIBLE_PATIENT (pending the announcement consultation, released by event or after one month), MASQUE_PS',
  )
  .meta({ id: 'Visibility' });

const rule = z.discriminatedUnion('effect', [
  z
    .object({
      ...ruleBase,
      effect: z.literal('include'),
      hold: hold.optional(),
      visibility: visibility.optional(),
    })
    .strict(),
  z.object({ ...ruleBase, effect: z.literal('exclude') }).strict(),
  z
    .object({
      ...ruleBase,
      effect: z.literal('modify'),
      hold: hold.optional(),
      visibility: visibility.optional(),
    })
    .strict(),
]);

export const rulesFileSchema = z
  .object({
    kind: z.literal('rules', { error: 'must be rules (or mapping, in a mapping file)' }),
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, . _ - only'),
    establishment: z.string().min(1).describe('Name of the establishment whose CME decided these rules'),
    sites: z.array(finess).min(1).describe('FINESS of the geographic sites governed by this file'),
    default: z.enum(['feed', 'skip']).describe('Action when no include rule matches'),
    announcement: z
      .object({
        releaseAfterDays: z
          .number()
          .int()
          .min(1)
          .max(31)
          .optional()
          .describe('Release INVISIBLE_PATIENT earlier than the legal one month'),
      })
      .strict()
      .optional(),
    minors: z
      .object({
        secretConnection: z
          .boolean()
          .default(true)
          .describe('Send the VIHF "connexion secrète" when a minor asked for secrecy'),
      })
      .strict()
      .optional(),
    rules: z.array(rule),
  })
  .strict();

export type RulesFile = z.output<typeof rulesFileSchema>;
export type Rule = RulesFile['rules'][number];
export type Criteria = Rule['when'];
export type Hold = z.output<typeof hold>;
