/**
 * The associations of an ITI-41 submission the DMP accepts (ITI TF-3
 * §4.2.2): a HasMember (Original) from the submission set to every entry,
 * exactly one `signs` from the signature entry to the submission set, and
 * RPLC to a registered entry. Document bytes and the submission set marker
 * are read by src/xds/rim-structure.ts.
 */
import { ASSOCIATION, SLOT, SUBMISSION_SET_STATUS } from '../model/vocabulary.ts';
import { type RimObject, type RimSubmission, slotValues } from '../xds/ebrim-reader.ts';
import { type RegistryErrors, rimLocation, XDS_ERROR } from '../xds/registry-errors.ts';

/** The associations: HasMember to each entry, one `signs`, RPLC; returns the signature entry id. */
export function checkAssociations(
  rim: RimSubmission,
  ssId: string,
  entries: readonly RimObject[],
  errors: RegistryErrors,
) {
  const ids = new Set(entries.map((e) => e.id));
  const members = new Set<string>();
  const signatures: string[] = [];
  const replacements = new Map<string, string>();
  for (const a of rim.associations) {
    const where = rimLocation('Association', a.id);
    const fail = (message: string) =>
      errors.add(XDS_ERROR.registryMetadataError, `Association ${a.id ?? ''}: ${message}`, where);
    if (a.associationType === ASSOCIATION.hasMember) {
      if (a.sourceObject !== ssId || !ids.has(a.targetObject))
        fail('HasMember must link the submission set to an entry of the submission');
      else if (slotValues(a, SLOT.submissionSetStatus)[0] !== SUBMISSION_SET_STATUS.original)
        fail('HasMember needs SubmissionSetStatus Original');
      else members.add(a.targetObject as string);
    } else if (a.associationType === ASSOCIATION.signs) {
      if (a.targetObject !== ssId || !ids.has(a.sourceObject))
        fail('signs must link an entry of the submission to the submission set');
      else signatures.push(a.sourceObject as string);
    } else if (a.associationType === ASSOCIATION.replace) {
      if (!ids.has(a.sourceObject) || !a.targetObject || ids.has(a.targetObject))
        fail('RPLC must link a new entry to a registered one');
      else replacements.set(a.sourceObject as string, a.targetObject);
    } else fail(`association type ${a.associationType ?? '(none)'} is not accepted by the DMP`);
  }
  for (const e of entries) {
    if (!members.has(e.id as string)) {
      errors.add(
        XDS_ERROR.registryMetadataError,
        `ExtrinsicObject ${e.id}: no HasMember from the submission set`,
        rimLocation('ExtrinsicObject', e.id),
      );
    }
  }
  if (signatures.length !== 1) {
    errors.add(
      XDS_ERROR.registryMetadataError,
      'exactly one signature entry linked by a signs association to the submission set is required',
      rimLocation('RegistryPackage', ssId),
    );
  }
  return { signatureId: signatures.length === 1 ? signatures[0] : undefined, replacements };
}
