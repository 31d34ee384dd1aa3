/**
 * The document a deletion request names [VOLET-HL7 evenements-declenchants.md
 * (MDM^T04, ORU^R01 with ORC-1 CA and OBX-11 D), mapping.md uniqueId = CDA
 * id@root, TXA-12 for MDM]. The deleted document's CDA travels in the OBX as
 * for any request; only its id and recordTarget INS are read here, so that a
 * deletion does not depend on the whole header of the old document. The INS
 * must match PID-3 (volet errors 903, 904).
 */
import { first, instanceId, kids } from '../../cda/read-parts.ts';
import { GatewayError, type IssueCollector } from '../../errors/catalogue.ts';
import type { InstanceId } from '../../model/types.ts';
import { INS_OIDS } from '../../model/vocabulary.ts';
import { parseXml } from '../../xml/parse.ts';
import { path, type Segment } from './message.ts';

export interface CdaIdentity {
  readonly id?: InstanceId;
  readonly ins?: InstanceId;
}

/** `ClinicalDocument/id` and the recordTarget INS of a CDA, issues relocated to OBX-5.5. */
export function cdaIdentity(
  bytes: Uint8Array,
  obx: Segment,
  issues: IssueCollector,
): CdaIdentity | undefined {
  const at = path(obx, 5, 5);
  let doc: unknown;
  try {
    doc = parseXml(bytes, {}, 'ClinicalDocument').ClinicalDocument;
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    for (const issue of err.issues) issues.add(issue.code, at, `CDA: ${issue.message}`);
    return undefined;
  }
  if (doc === null || typeof doc !== 'object') {
    issues.add('INVALID_INPUT', at, 'CDA: the root element is not ClinicalDocument');
    return undefined;
  }
  const ids = kids(first(doc, 'recordTarget', 'patientRole'), 'id').flatMap((i) => instanceId(i) ?? []);
  const ins = ids.find((i) => INS_OIDS.includes(i.root) && i.extension);
  const id = instanceId(first(doc, 'id'));
  if (!id) issues.add('INVALID_INPUT', at, 'CDA ClinicalDocument/id: the document id is missing');
  if (!ins) {
    issues.add(
      'MISSING_INS',
      at,
      'CDA ClinicalDocument/recordTarget/patientRole/id: no INS among the patient ids',
    );
  }
  return { ...(id && { id }), ...(ins && { ins }) };
}

/**
 * The uniqueId of the document a deletion OBX names: `named` (MDM TXA-12)
 * when given, else the CDA id. With a CDA, its id must equal `named` and its
 * INS the patient's.
 */
export function deletedDocument(
  content: { readonly kind: string; readonly bytes: Uint8Array } | undefined,
  obx: Segment,
  pid: { readonly segment: Segment; readonly ins: InstanceId } | undefined,
  named: { readonly value: string; readonly path: string } | undefined,
  issues: IssueCollector,
): string | undefined {
  if (content === undefined) return named?.value;
  if (content.kind !== 'cda') {
    if (!named) {
      issues.add(
        'INVALID_INPUT',
        path(obx, 5, 2),
        'a deletion without TXA-12 must carry the CDA of the deleted document',
      );
    }
    return named?.value;
  }
  const identity = cdaIdentity(content.bytes, obx, issues);
  if (!identity) return undefined;
  if (
    pid &&
    identity.ins &&
    (identity.ins.root !== pid.ins.root || identity.ins.extension !== pid.ins.extension)
  ) {
    issues.add('INS_MISMATCH', path(pid.segment, 3), 'the INS differs from the INS of the CDA recordTarget');
  }
  if (identity.id?.extension) {
    issues.add('INVALID_INPUT', path(obx, 5, 5), 'CDA ClinicalDocument/id: the DMP accepts a bare OID only');
    return undefined;
  }
  if (named && identity.id && named.value !== identity.id.root) {
    issues.add('INVALID_INPUT', named.path, 'the unique document number differs from the CDA id');
  }
  return named?.value ?? identity.id?.root;
}
