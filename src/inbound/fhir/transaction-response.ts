/**
 * The ITI-65 answer: a `transaction-response` Bundle with one entry per
 * request entry, in request order (FHIR R4 §3.1.0.11.3 transaction; IHE MHD
 * 4.2 §2:3.65.4.2.2; example IHE.MHD.ProvideDocumentBundleResponse): `201
 * Created` with the location of what was created, `200 OK` for a PATCH.
 * Server ids are the XDS entryUUIDs without their `urn:uuid:` prefix
 * (PDSm4DMP ConceptMap documentReferenceToPDSM: entryUUID → id), so ITI-67
 * finds the same ids. A Binary's id is its DocumentReference's.
 */
import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import type { SubmissionRecord } from '../../store/records.ts';
import type { BundleParts } from './bundle-parts.ts';

/** The FHIR id of a registry entryUUID. */
export function fhirId(entryUUID: string): string {
  return entryUUID.replace(/^urn:uuid:/i, '');
}

export function transactionResponse(
  parts: BundleParts,
  record: Pick<SubmissionRecord, 'id' | 'submissionSet' | 'documents' | 'createdAt'>,
  statusUrl: string,
): Bundle {
  const docIds = new Map<number, string>();
  const binaryIds = new Map<number, string>();
  for (const [k, part] of parts.documents.entries()) {
    const id = fhirId(record.documents[k]?.entryUUID ?? '');
    docIds.set(part.index, id);
    if (part.binary) binaryIds.set(part.binary.index, id);
  }
  const patches = new Map(parts.patches.map((p) => [p.index, p.target]));
  const entry: BundleEntry[] = parts.roles.map((role, i) => {
    const created = (location: string) => ({
      status: '201 Created',
      location,
      lastModified: record.createdAt,
    });
    switch (role) {
      case 'submissionSet':
        return {
          response: {
            ...created(`List/${fhirId(record.submissionSet.entryUUID)}`),
            outcome: {
              resourceType: 'OperationOutcome',
              issue: [
                {
                  severity: 'information',
                  code: 'informational',
                  details: {
                    text: `accepted as submission ${record.id}; the DMP deposit follows asynchronously: ${statusUrl}`,
                  },
                },
              ],
            },
          },
        };
      case 'document':
        return { response: created(`DocumentReference/${docIds.get(i)}`) };
      case 'binary':
        return { response: created(`Binary/${binaryIds.get(i)}`) };
      case 'patch':
        return { response: { status: '200 OK', location: patches.get(i) ?? '' } };
      default:
        // Unreachable: a bundle with an unusable entry is refused before anything is stored.
        return { response: { status: '400 Bad Request' } };
    }
  });
  return { resourceType: 'Bundle', type: 'transaction-response', entry };
}
