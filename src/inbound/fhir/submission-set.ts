/**
 * The SubmissionSet List of an ITI-65 bundle → the XDS submission-set
 * attributes (IHE MHD 4.2 SubmissionSet mapping; PDSm 3.1.1
 * PDSm_SubmissionSetComprehensive; PDSm4DMP ConceptMap submissionSetToPDSM):
 * identifier (usual = uniqueId), extension ihe-sourceId, extension
 * ihe-designationType (contentTypeCode), subject (patientId), source +
 * ihe-authorOrg (author), title.
 */
import type { Identifier, List } from '@medplum/fhirtypes';
import type { IssueCollector } from '../../errors/catalogue.ts';
import { systemToOid } from '../../model/code-systems.ts';
import type { Author, Code, InstanceId } from '../../model/types.ts';
import { INS_OIDS } from '../../model/vocabulary.ts';
import { type AuthorDefaults, readAuthor } from './author.ts';
import { containedTarget, identifierWithOid, referencedIdentifier, uniqueIdOf } from './fhir-values.ts';
import { readBoundCode } from './pdsm-rules.ts';

const MHD_EXT = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/';
export const SOURCE_ID_URL = `${MHD_EXT}ihe-sourceId`;
export const DESIGNATION_TYPE_URL = `${MHD_EXT}ihe-designationType`;

export interface SubmissionSetFacts {
  /** The sender's uniqueId (OID), when it gave a usable one. */
  readonly uniqueId?: string;
  readonly contentTypeCode?: Code;
  readonly author?: Author;
  readonly ins?: InstanceId & { readonly extension: string };
  readonly title?: string;
}

/** The INS a subject reference designates (contained Patient, logical or conditional reference). */
export function subjectIns(
  list: Pick<List, 'subject' | 'contained'>,
): (InstanceId & { readonly extension: string }) | undefined {
  const contained = containedTarget(list.contained, list.subject);
  const identifiers: Identifier[] | undefined =
    contained?.resource.resourceType === 'Patient'
      ? contained.resource.identifier
      : [referencedIdentifier(list.subject)].filter((i): i is Identifier => !!i);
  const ins = identifierWithOid(identifiers, INS_OIDS);
  return ins?.value ? { root: systemToOid(ins.system) as string, extension: ins.value } : undefined;
}

export function readSubmissionSet(
  list: List,
  base: string,
  defaults: AuthorDefaults,
  issues: IssueCollector,
): SubmissionSetFacts {
  const extensions = Array.isArray(list.extension) ? list.extension : [];
  const usual = (Array.isArray(list.identifier) ? list.identifier : []).findIndex((i) => i?.use === 'usual');
  let uniqueId: string | undefined;
  if (usual >= 0) {
    uniqueId = uniqueIdOf(list.identifier?.[usual]?.value);
    if (!uniqueId || uniqueId.length > 64)
      issues.add(
        'INVALID_INPUT',
        `${base}.identifier[${usual}].value`,
        'the SubmissionSet uniqueId must be urn:oid:<OID> (64 characters at most) or urn:uuid:<UUID>',
      );
  }
  const sourceId = extensions.findIndex((e) => e?.url === SOURCE_ID_URL);
  if (sourceId < 0)
    issues.add(
      'INVALID_INPUT',
      `${base}.extension`,
      `the ${SOURCE_ID_URL} extension is required (MHD SubmissionSet sourceId 1..1)`,
    );
  else if (!extensions[sourceId]?.valueIdentifier?.value)
    issues.add(
      'INVALID_INPUT',
      `${base}.extension[${sourceId}].valueIdentifier.value`,
      'required (the OID of the sending system)',
    );
  const designation = extensions.findIndex((e) => e?.url === DESIGNATION_TYPE_URL);
  if (designation < 0)
    issues.add(
      'INVALID_INPUT',
      `${base}.extension`,
      `the ${DESIGNATION_TYPE_URL} extension is required (MHD Comprehensive SubmissionSet designationType 1..1: the XDS contentTypeCode)`,
    );
  const contentTypeCode =
    designation < 0
      ? undefined
      : readBoundCode(
          extensions[designation]?.valueCodeableConcept,
          `${base}.extension[${designation}].valueCodeableConcept`,
          'designationType',
          issues,
        );
  const concept = designation < 0 ? undefined : extensions[designation]?.valueCodeableConcept;
  if (designation >= 0 && !contentTypeCode && !concept?.coding?.length)
    issues.add(
      'INVALID_INPUT',
      `${base}.extension[${designation}].valueCodeableConcept`,
      'a coding is required (the XDS contentTypeCode)',
    );
  const ins = subjectIns(list);
  if (list.subject && !ins)
    issues.add(
      'MISSING_INS',
      `${base}.subject`,
      'must designate the patient by INS (contained Patient, identifier, or Patient?identifier=urn:oid:<INS OID>|<matricule>)',
    );
  const author = list.source
    ? readAuthor(list.contained, [{ ref: list.source, path: `${base}.source` }], defaults, issues, {
        strict: true,
        base,
      })
    : undefined;
  return {
    uniqueId,
    contentTypeCode,
    author,
    ins,
    title: typeof list.title === 'string' ? list.title : undefined,
  };
}
