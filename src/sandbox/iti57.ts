/**
 * ITI-57 Update Document Set on the sandbox DMP, limited to what an
 * establishment may do (TD3.3c, DOMAIN.md §1): change the availability
 * status of its own document entries to the DMP's
 * `urn:asip:ci-sis:2010:StatusType:Deleted` (ITI TF-2b §3.57: a submission
 * set and one `UpdateAvailabilityStatus` association per entry, slots
 * OriginalStatus / NewStatus). All or nothing; answered with a RegistryResponse.
 */
import { GatewayError } from '../errors/catalogue.ts';
import { METADATA_UPDATE, NS, STATUS, XDS } from '../model/vocabulary.ts';
import { standaloneXml } from '../soap/envelope.ts';
import { insOfCx, sameIns } from '../xds/cx.ts';
import { isUniqueIdOid } from '../xds/metadata-values.ts';
import { RegistryErrors, rimLocation, XDS_ERROR } from '../xds/registry-errors.ts';
import { asArray, attr, parseXml, textOf, type XmlObject } from '../xml/parse.ts';
import { registryResult } from './iti41.ts';
import type { StoredEntry } from './registry-store.ts';
import { SoapFaultError, type SoapRequest } from './soap-endpoint.ts';
import type { EndpointResult, SandboxState } from './state.ts';
import type { VihfContext } from './vihf-check.ts';

const ARRAYS = ['RegistryPackage', 'Classification', 'ExternalIdentifier', 'Association', 'Slot', 'Value'];

function slot(node: XmlObject, name: string): string[] {
  const s = asArray(node.Slot as XmlObject[] | undefined).find((x) => attr(x, 'name') === name);
  return asArray((s?.ValueList as XmlObject | undefined)?.Value).map((v) => textOf(v) ?? '');
}

function externalId(pkg: XmlObject, scheme: string): string | undefined {
  const e = asArray(pkg.ExternalIdentifier as XmlObject[] | undefined).find(
    (x) => attr(x, 'identificationScheme') === scheme,
  );
  return attr(e, 'value');
}

function isSubmissionSet(list: XmlObject, pkg: XmlObject): boolean {
  const id = attr(pkg, 'id');
  const marks = (c: XmlObject) =>
    attr(c, 'classificationNode') === XDS.submissionSet.classificationNode &&
    (attr(c, 'classifiedObject') ?? id) === id;
  return [
    ...asArray(list.Classification as XmlObject[] | undefined),
    ...asArray(pkg.Classification as XmlObject[] | undefined),
  ].some(marks);
}

/** The submission set of the update, checked against the VIHF; undefined after an error. */
function submissionSet(list: XmlObject, vihf: VihfContext, errors: RegistryErrors) {
  const packages = asArray(list.RegistryPackage as XmlObject[] | undefined);
  const pkg =
    packages.length === 1 && isSubmissionSet(list, packages[0] as XmlObject)
      ? (packages[0] as XmlObject)
      : undefined;
  const id = attr(pkg, 'id');
  if (!pkg || !id) {
    errors.add(
      XDS_ERROR.registryMetadataError,
      'exactly one RegistryPackage classified as the submission set is required',
      'RegistryObjectList',
    );
    return undefined;
  }
  const where = (scheme: string) =>
    rimLocation('RegistryPackage', id, `ExternalIdentifier[@identificationScheme='${scheme}']`);
  const s = XDS.submissionSet;
  const ins = insOfCx(externalId(pkg, s.patientId) ?? '');
  if (!ins)
    errors.add(
      XDS_ERROR.registryMetadataError,
      'SubmissionSet patientId must be an INS in ^NH form',
      where(s.patientId),
    );
  else if (!sameIns(ins, vihf.ins))
    errors.add(
      XDS_ERROR.patientIdDoesNotMatch,
      'the submission patientId is not the VIHF resource-id',
      where(s.patientId),
    );
  if (!isUniqueIdOid(externalId(pkg, s.uniqueId) ?? ''))
    errors.add(XDS_ERROR.registryMetadataError, 'SubmissionSet uniqueId must be an OID', where(s.uniqueId));
  if (!externalId(pkg, s.sourceId))
    errors.add(XDS_ERROR.registryMetadataError, 'SubmissionSet sourceId is required', where(s.sourceId));
  return ins && { id, ins };
}

/** Handles one ITI-57 request whose envelope and VIHF were checked. */
export function handleIti57(request: SoapRequest, vihf: VihfContext, state: SandboxState): EndpointResult {
  const body = request.envelope.body;
  if (body?.namespace !== NS.lcm || body.localName !== 'SubmitObjectsRequest') {
    throw new SoapFaultError('Sender', 'the Body must hold an lcm:SubmitObjectsRequest');
  }
  const errors = new RegistryErrors();
  let list: XmlObject;
  try {
    list = ((parseXml(standaloneXml(body), { arrays: ARRAYS }).SubmitObjectsRequest as XmlObject | undefined)
      ?.RegistryObjectList ?? {}) as XmlObject;
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    errors.add(XDS_ERROR.registryMetadataError, err.message, 'SubmitObjectsRequest');
    return registryResult(errors);
  }
  if (asArray(list.ExtrinsicObject).length > 0) {
    errors.add(
      XDS_ERROR.metadataUpdateError,
      'only availability status updates are accepted (no new DocumentEntry)',
      'RegistryObjectList',
    );
  }
  const ss = submissionSet(list, vihf, errors);
  const associations = asArray(list.Association as XmlObject[] | undefined);
  if (associations.length === 0)
    errors.add(
      XDS_ERROR.metadataUpdateError,
      'no UpdateAvailabilityStatus association',
      'RegistryObjectList',
    );
  const updates: StoredEntry[] = [];
  for (const a of associations) {
    const where = rimLocation('Association', attr(a, 'id'));
    const fail = (code: Parameters<RegistryErrors['add']>[0], message: string) =>
      errors.add(code, `Association ${attr(a, 'id') ?? ''}: ${message}`, where);
    if (attr(a, 'associationType') !== METADATA_UPDATE.updateAvailabilityStatus) {
      fail(XDS_ERROR.metadataUpdateError, 'only UpdateAvailabilityStatus is accepted');
      continue;
    }
    if (ss && attr(a, 'sourceObject') !== ss.id)
      fail(XDS_ERROR.metadataUpdateError, 'sourceObject must be the submission set');
    const target = state.store.byEntryUUID(attr(a, 'targetObject') ?? '');
    const original = slot(a, METADATA_UPDATE.originalStatusSlot);
    const next = slot(a, METADATA_UPDATE.newStatusSlot);
    if (!target) {
      fail(XDS_ERROR.unresolvedReference, 'targetObject is not a registered entry');
      continue;
    }
    if (original.length !== 1 || original[0] !== target.status)
      fail(XDS_ERROR.metadataUpdateError, 'OriginalStatus is not the current status of the entry');
    if (next.length !== 1 || next[0] !== STATUS.deleted)
      fail(
        XDS_ERROR.metadataUpdateError,
        `NewStatus must be ${STATUS.deleted} (the only change an establishment may make)`,
      );
    if (ss && !sameIns(target.ins, ss.ins))
      fail(XDS_ERROR.patientIdDoesNotMatch, 'the entry belongs to another patient');
    if (target.depositorStructureId !== vihf.structureId)
      fail(XDS_ERROR.metadataUpdateError, 'only the structure that deposited the document may delete it');
    updates.push(target);
  }
  if (!errors.empty) return registryResult(errors);
  const at = state.now().toISOString();
  for (const target of updates) state.store.setStatus(target.entryUUID, STATUS.deleted, at);
  return registryResult(errors);
}
