/**
 * The establishment's mapping applied at intake, before the submission is
 * stored: each document's SourceFacts (./source-facts.ts) select a mapping
 * of the `mappings/` snapshot in use; its codes go into the submission, and
 * the record keeps which files and versions were applied and the facts the
 * feeding rules match on (site, unit, unit specialty, local type). The
 * worker decides on those facts, whatever the mappings are when it runs.
 *
 * The HL7 v2 and FHIR DocumentReference doors map. MHD bundles and XDS
 * requests carry national metadata already (PDSm binds every code to the
 * CI-SIS value sets; an XDS source has its own code mapping, `xds.sources`):
 * their documents keep their codes, and the FINESS of their author
 * institution selects their rules.
 */
import type { DocumentReference } from '@medplum/fhirtypes';
import type { Issue } from '../errors/catalogue.ts';
import type { LocalTypes } from '../inbound/hl7v2/values.ts';
import { applyMapping } from '../mappings/apply.ts';
import { resolveTypeCode } from '../mappings/check.ts';
import type { SourceFacts } from '../mappings/facts.ts';
import type { LoadedMapping } from '../mappings/load.ts';
import { type MappingSelector, type Snapshot, selectMapping } from '../mappings/registry.ts';
import { applyResults, feedingFactsOf, finessOf, type RecordedMapping } from '../mappings/submission.ts';
import { own } from '../model/own.ts';
import type { Submission } from '../model/types.ts';
import { fhirFacts, withMappedType } from './source-facts.ts';

/** The mapping registry (src/mappings/registry.ts), or any holder of a snapshot. */
export interface MappingSource {
  readonly current: Snapshot | undefined;
}

export interface MappedSubmission {
  readonly submission: Submission;
  readonly mapping: RecordedMapping;
}

function mappingOf(snapshot: Snapshot | undefined, facts: SourceFacts | undefined) {
  if (!snapshot || !facts) return undefined;
  return selectMapping(snapshot.mappings, {
    application: facts.application?.value,
    facility: facts.facility?.value,
  });
}

/**
 * `submission` mapped with the facts of each of its documents (`facts[i]`
 * for document i; none: the document keeps its codes); what names the
 * configured `establishment` by default moves to the mapped site. Pure.
 */
export function mapSubmission(
  source: MappingSource | undefined,
  submission: Submission,
  facts: readonly (SourceFacts | undefined)[],
  establishment: { readonly finess: string },
): MappedSubmission {
  const snapshot = source?.current;
  // A structure other than the establishment's own is one the message named for its author (a FHIR
  // author organisation; HL7 says so itself with PRT-8): the site when it is one of the mapping's.
  const organisation = submission.author.organisation;
  const stated =
    organisation.id !== `1${establishment.finess}` && finessOf(organisation.id) !== undefined
      ? organisation.id
      : undefined;
  const results = submission.documents.map((_, i) => {
    const sent = facts[i];
    const mapping = mappingOf(snapshot, sent);
    if (!mapping || !sent) return undefined;
    const structure = sent.structure ?? (stated && { value: stated, path: sent.author?.path ?? 'author' });
    return applyMapping(structure ? { ...sent, structure } : sent, mapping);
  });
  const mapped = applyResults(submission, results, `1${establishment.finess}`);
  return {
    submission: mapped.submission,
    mapping: {
      ...(snapshot && { snapshot: snapshot.version }),
      files: mapped.files,
      documents: mapped.feeding,
    },
  };
}

/**
 * A submission whose sender gave national metadata (MHD, XDS): kept as sent. The structure it names for
 * each document's author selects the rules (its site's rules file, else the establishment's); the VIHF
 * stays the establishment's (its certificate).
 */
export function unmapped(submission: Submission): MappedSubmission {
  return {
    submission,
    mapping: { files: [], documents: submission.documents.map((d) => feedingFactsOf(undefined, d)) },
  };
}

/** The DMP types `mapping` gives local document types (its `types`). */
export function localTypesOf(mapping: LoadedMapping | undefined): LocalTypes | undefined {
  const types = mapping?.data.types;
  if (!types) return undefined;
  return (code) => {
    const entry = own(types, code);
    return entry && resolveTypeCode(entry.typeCode, entry.system);
  };
}

/** The local types of the mapping serving `selector` (an HL7 sender's MSH-3 and MSH-4). */
export function localTypes(
  source: MappingSource | undefined,
  selector: MappingSelector,
): LocalTypes | undefined {
  const snapshot = source?.current;
  return snapshot && localTypesOf(selectMapping(snapshot.mappings, selector));
}

/**
 * The DocumentReference with a local type the mapping knows replaced by its
 * DMP type, so the FHIR translator (which accepts JDV_J66 types only) takes
 * it; unchanged when the type is national or the mapping does not know it,
 * and then `issues` says so (for the sender, beside the translator's own).
 */
export function typedDocumentReference(
  source: MappingSource | undefined,
  doc: DocumentReference,
): { readonly doc: DocumentReference; readonly issues: readonly Issue[] } {
  const facts = fhirFacts(doc, {});
  const mapping = mappingOf(source?.current, facts);
  if (!mapping) return { doc, issues: [] };
  const result = applyMapping(facts, mapping);
  const sent = facts.documentType;
  // Told to the sender: no file names of the gateway's (the dry run shows them).
  const issues: Issue[] = result.issues
    .filter((i) => sent && i.path === sent.path)
    .map((i) => ({
      ...i,
      message: `${sent!.value.code} is neither a DMP document type (JDV_J66) nor a local type the establishment's mapping knows`,
    }));
  return { doc: withMappedType(doc, result), issues };
}
