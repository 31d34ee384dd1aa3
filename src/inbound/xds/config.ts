/**
 * Settings of the XDS door (`POST /xds/iti41`), to be mounted as `xds` in
 * the configuration schema (src/config/schema.ts): message limits checked
 * before and while parsing, and the per-source mappings (./source-mapping.ts).
 * Example (configuration file):
 *
 * ```json
 * "xds": { "sources": [ {
 *   "sourceId": "1.2.250.1.999.7.1",
 *   "site": { "finess": "330781196", "name": "CHU Site Sud" },
 *   "codes": { "typeCode": [ {
 *     "from": { "code": "CR-SORTIE", "codeSystem": "1.2.250.1.999.7.9" },
 *     "to": { "code": "11490-0", "codeSystem": "2.16.840.1.113883.6.1", "displayName": "Lettre de sortie" } } ] }
 * } ] }
 * ```
 */
import { z } from 'zod';

const oid = z.string().regex(/^[0-2](\.(0|[1-9]\d*))+$/, 'must be an OID such as 1.2.250.1.999');
const code = z.object({
  code: z.string().min(1),
  codeSystem: z.string().min(1),
  displayName: z.string().optional(),
});
const codeRows = z.array(z.object({ from: code.pick({ code: true, codeSystem: true }), to: code }));

const source = z.object({
  sourceId: oid,
  site: z
    .object({
      finess: z.string().regex(/^\d[\dAB]\d{7}$/, 'must be a 9-character FINESS'),
      name: z.string().min(1),
    })
    .optional(),
  codes: z
    .object({
      typeCode: codeRows.optional(),
      practiceSettingCode: codeRows.optional(),
      healthcareFacilityTypeCode: codeRows.optional(),
      contentTypeCode: codeRows.optional(),
    })
    .optional(),
});

export const xdsConfigSchema = z.object({
  /** Largest request accepted (bytes, after Content-Encoding); larger → 413 before parsing. */
  maxBodyBytes: z
    .number()
    .int()
    .positive()
    .default(30 * 1024 * 1024),
  /** Deepest element nesting of the SOAP message (an ITI-41 with a XUA assertion stays under 20). */
  maxDepth: z.number().int().min(8).max(200).default(64),
  /** Most elements in the SOAP message (documents in MIME parts or base64 text do not count). */
  maxElements: z.number().int().positive().default(200_000),
  /** Most MIME parts of an MTOM message. */
  maxParts: z.number().int().min(2).max(1000).default(100),
  /** Mappings of the XDS sources, by sourceId. */
  sources: z
    .array(source)
    .default([])
    .refine((s) => new Set(s.map((x) => x.sourceId)).size === s.length, {
      message: 'each sourceId may have one mapping only',
    }),
});

export type XdsConfig = z.infer<typeof xdsConfigSchema>;

/** The defaults, for callers whose configuration has no `xds` section yet. */
export const DEFAULT_XDS_CONFIG: XdsConfig = xdsConfigSchema.parse({});
