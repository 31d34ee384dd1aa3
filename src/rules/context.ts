/**
 * Builds the DecisionContext of one document of a canonical Submission:
 * what the pipeline passes to `decide`. The caller gathers what the
 * submission does not hold: the TD0.2 status (cached), the patient's
 * PAM-FR facts (opposition), the sender's DESTDMP flag, the mapping's
 * unit facts.
 */
import type { FeedingFacts } from '../mappings/submission.ts';
import type { Code, DocumentEntry, Submission } from '../model/types.ts';
import type { DecisionContext, DmpStatus } from './types.ts';

export interface ContextExtras {
  readonly now: Date;
  /** TD0.2 answer for the patient (src/dmp/td02.ts DmpState), `unknown` when not asked. */
  readonly dmp: DmpStatus;
  /** HL7 RoutingFlags.toDmp (DESTDMP); default true. */
  readonly toDmp?: boolean;
  /** PatientFacts from the PAM-FR store (src/patients/facts.ts), when known. */
  readonly patientFacts?: { readonly opposedToFeeding: boolean };
  /** The mapping's facts for this document (local unit, its specialty, local type), kept on the record at intake. */
  readonly mapped?: Omit<FeedingFacts, 'site'>;
}

/** The decision inputs of `document` (one of `submission.documents`). */
export function decisionContext(
  submission: Submission,
  document: DocumentEntry,
  extras: ContextExtras,
): DecisionContext {
  const specialties: Code[] = document.authors.flatMap((a) =>
    a.kind === 'person' && a.specialty ? [a.specialty] : [],
  );
  if (extras.mapped?.unitSpecialty) specialties.push(extras.mapped.unitSpecialty);
  const { patient } = submission;
  return {
    now: extras.now.toISOString(),
    document: {
      typeCode: document.typeCode,
      ...(extras.mapped?.localType === undefined ? {} : { localType: extras.mapped.localType }),
      ...(extras.mapped?.unit === undefined ? {} : { unit: extras.mapped.unit }),
      specialties,
      authorIds: document.authors.map((a) => (a.kind === 'person' ? a.person.id : a.id)),
      eventCodes: document.eventCodes,
      confidentiality: document.confidentiality,
      creationTime: document.creationTime,
    },
    patient: {
      hasIns: Boolean(patient.ins?.extension),
      identityStatus: patient.identityStatus,
      birthDate: patient.birthDate,
      ...(extras.patientFacts ? { opposedToFeeding: extras.patientFacts.opposedToFeeding } : {}),
    },
    toDmp: extras.toDmp ?? true,
    dmp: extras.dmp,
  };
}
