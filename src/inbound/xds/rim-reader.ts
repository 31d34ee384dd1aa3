/**
 * Reading the attributes of one ebRIM object of an ITI-41 request (ITI TF-3
 * §4.2.3.1 "Metadata attribute" encodings: slots, coded classifications with
 * a `codingScheme` slot, external identifiers) with every problem reported
 * as a RegistryError naming the object and the slot, classification or
 * identifier in `location` (ebRIM path) and `codeContext` (readable text).
 * Values are never echoed in errors: they may be patient data.
 */
import type { Code } from '../../model/types.ts';
import { SLOT, XDS } from '../../model/vocabulary.ts';
import {
  classificationsIn,
  externalId,
  type RimClassification,
  type RimObject,
  slotValues,
} from '../../xds/ebrim-reader.ts';
import { dtmToIso } from '../../xds/hl7-read.ts';
import { type RegistryErrors, rimLocation, XDS_ERROR, type XdsErrorCode } from '../../xds/registry-errors.ts';

/** The ebRIM part naming a slot, a classification scheme or an identification scheme. */
export const part = {
  slot: (name: string) => `Slot[@name='${name}']`,
  classification: (scheme: string) => `Classification[@classificationScheme='${scheme}']`,
  external: (scheme: string) => `ExternalIdentifier[@identificationScheme='${scheme}']`,
} as const;

/** Attribute names by classification / identification scheme UUID, for readable error texts. */
const ATTRIBUTE_BY_SCHEME: ReadonlyMap<string, string> = new Map(
  [...Object.entries(XDS.documentEntry), ...Object.entries(XDS.submissionSet)].map(([name, uuid]) => [
    uuid,
    name,
  ]),
);

/** A readable name of an ebRIM part (`Slot[@name='size']` → `slot size`, a scheme UUID → its attribute). */
export function describe(where: string): string {
  return where
    .replace(
      /(?:Classification|ExternalIdentifier)\[@(?:classification|identification)Scheme='([^']*)'\]/g,
      (m, uuid: string) => ATTRIBUTE_BY_SCHEME.get(uuid) ?? m,
    )
    .replace(/Classification\[@id='([^']*)'\]/g, 'author $1')
    .replace(/Slot\[@name='([^']*)'\]/g, 'slot $1')
    .replace(/^@/, '')
    .replace(/^Name$/, 'title')
    .replace(/\//g, ' ');
}

/** The coded value of a classification: nodeRepresentation, codingScheme slot, Name. */
export function codeOf(c: RimClassification): Code | undefined {
  const codeSystem = slotValues(c, SLOT.codingScheme)[0]?.trim();
  const code = c.nodeRepresentation?.trim();
  if (!code || !codeSystem) return undefined;
  return { code, codeSystem, ...(c.name ? { displayName: c.name } : {}) };
}

/** Reports against one registry object. */
export class ObjectReader {
  readonly errors: RegistryErrors;
  readonly object: RimObject;
  readonly #label: string;

  constructor(errors: RegistryErrors, object: RimObject, label: string) {
    this.errors = errors;
    this.object = object;
    this.#label = label;
  }

  /** Adds an error about `where` (a part of the object, or the object itself). */
  fail(
    where: string | undefined,
    message: string,
    code: XdsErrorCode = XDS_ERROR.registryMetadataError,
  ): void {
    const subject = `${this.#label} ${this.object.id ?? '(no id)'}`;
    this.errors.add(
      code,
      where ? `${subject}: ${describe(where)} ${message}` : `${subject}: ${message}`,
      rimLocation(this.object.kind, this.object.id, where),
    );
  }

  /** The single value of slot `name`; reports a missing required or a repeated value. */
  slot(name: string, required: boolean): string | undefined {
    const values = slotValues(this.object, name).map((v) => v.trim());
    if (values.length > 1) this.fail(part.slot(name), 'must have exactly one value');
    else if (!values[0]) {
      if (required) this.fail(part.slot(name), 'is required');
    } else return values[0];
    return undefined;
  }

  /** Slot `name` as an ISO date or UTC instant (from a DTM with at least the day). */
  time(name: string, required: boolean): string | undefined {
    const value = this.slot(name, required);
    if (value === undefined) return undefined;
    const iso = dtmToIso(value);
    if (!iso) this.fail(part.slot(name), 'must be a DTM with at least the day (YYYYMMDD[hh[mm[ss]]], UTC)');
    return iso;
  }

  /** Every coded classification of `scheme`; reports those without code or coding scheme. */
  codes(scheme: string): Code[] {
    return classificationsIn(this.object, scheme).flatMap((c) => {
      const code = codeOf(c);
      if (!code) this.fail(part.classification(scheme), 'needs a code and one codingScheme slot');
      return code ?? [];
    });
  }

  /** The one coded classification of `scheme`; reports a missing required or a repeated one. */
  code(scheme: string, required: boolean): Code | undefined {
    const found = classificationsIn(this.object, scheme);
    if (found.length > 1) {
      this.fail(part.classification(scheme), 'may occur once only');
      return undefined;
    }
    if (found.length === 0) {
      if (required) this.fail(part.classification(scheme), 'is required');
      return undefined;
    }
    return this.codes(scheme)[0];
  }

  /** The value of the external identifier in `scheme`; reports it when absent. */
  external(scheme: string): string | undefined {
    const value = externalId(this.object, scheme)?.trim();
    if (!value) this.fail(part.external(scheme), 'is required');
    return value || undefined;
  }
}
