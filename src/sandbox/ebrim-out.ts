/**
 * Registry objects as the sandbox DMP returns them in stored query answers
 * (ITI TF-2a §3.18.4.1.3; OASIS ebRIM 3.0 rim.xsd): a registered entry as a
 * LeafClass `rim:ExtrinsicObject` (with its availability status and the
 * repositoryUniqueId of the sandbox repository), or an `rim:ObjectRef`.
 */
import { uuidToOid } from '../model/ids.ts';
import { OBJECT_TYPE, RESPONSE_STATUS } from '../model/vocabulary.ts';
import type { RimSlot } from '../xds/ebrim-reader.ts';
import type { RegistryErrorEntry } from '../xds/registry-response.ts';
import { el, type XmlElement } from '../xml/tree.ts';
import type { StoredEntry } from './registry-store.ts';

/** repositoryUniqueId of the sandbox repository: a UUID-derived OID (ITU-T X.667), the sandbox's own. */
export const SANDBOX_REPOSITORY_ID = uuidToOid('6a1f0c52-5d5e-4b8e-9d1e-2f4a9c3b7e10');

const REPOSITORY_SLOT = 'repositoryUniqueId';

function slotXml(slot: RimSlot): XmlElement {
  return el(
    'rim:Slot',
    { name: slot.name },
    el(
      'rim:ValueList',
      {},
      slot.values.map((v) => el('rim:Value', {}, v)),
    ),
  );
}

function nameXml(name: string | undefined): XmlElement | undefined {
  return name === undefined ? undefined : el('rim:Name', {}, el('rim:LocalizedString', { value: name }));
}

/** A registered entry as a LeafClass ExtrinsicObject. */
export function extrinsicObjectXml(entry: StoredEntry): XmlElement {
  const { rim } = entry;
  const slots = rim.slots.some((s) => s.name === REPOSITORY_SLOT)
    ? rim.slots
    : [...rim.slots, { name: REPOSITORY_SLOT, values: [SANDBOX_REPOSITORY_ID] }];
  return el(
    'rim:ExtrinsicObject',
    {
      id: entry.entryUUID,
      lid: entry.entryUUID,
      objectType: rim.objectType,
      status: entry.status,
      mimeType: rim.mimeType,
    },
    slots.map(slotXml),
    nameXml(rim.name),
    rim.classifications.map((c) =>
      el(
        'rim:Classification',
        {
          id: c.id,
          classificationScheme: c.classificationScheme,
          classificationNode: c.classificationNode,
          classifiedObject: c.classifiedObject,
          nodeRepresentation: c.nodeRepresentation,
          objectType: OBJECT_TYPE.classification,
        },
        c.slots.map(slotXml),
        nameXml(c.name),
      ),
    ),
    rim.externalIdentifiers.map((e) =>
      el(
        'rim:ExternalIdentifier',
        {
          id: e.id,
          registryObject: e.registryObject,
          identificationScheme: e.identificationScheme,
          value: e.value,
          objectType: OBJECT_TYPE.externalIdentifier,
        },
        nameXml(e.name),
      ),
    ),
  );
}

/** An ObjectRef to a registered entry. */
export function objectRefXml(entry: StoredEntry): XmlElement {
  return el('rim:ObjectRef', { id: entry.entryUUID });
}

/** `rs:RegistryErrorList` of Error-severity entries [ebRS rs.xsd]. */
export function registryErrorListXml(errors: readonly RegistryErrorEntry[]): XmlElement {
  return el(
    'rs:RegistryErrorList',
    { highestSeverity: RESPONSE_STATUS.error },
    errors.map((e) =>
      el('rs:RegistryError', {
        codeContext: e.codeContext,
        errorCode: e.errorCode,
        severity: RESPONSE_STATUS.error,
        location: e.location,
      }),
    ),
  );
}
