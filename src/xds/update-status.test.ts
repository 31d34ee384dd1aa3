import { describe, expect, it } from 'vitest';
import { SCHEMA, xsdErrors } from '../../test/support/xsd.ts';
import type { Author } from '../model/types.ts';
import { OID, STATUS, XDS } from '../model/vocabulary.ts';
import { asArray, attr, parseXml, textOf, type XmlObject } from '../xml/parse.ts';
import { serialize } from '../xml/tree.ts';
import { classificationsIn, externalId, type RimObject, slotValues } from './ebrim-reader.ts';
import {
  buildUpdateAvailabilityStatus,
  deletionTarget,
  type UpdateAvailabilityStatusInput,
} from './update-status.ts';

const author: Author = {
  kind: 'system',
  id: '1750100125/dmp-gateway',
  name: 'dmp-gateway',
  model: '0.1.0',
  organisation: { id: '1750100125', name: 'CH Exemple' },
};

const input: UpdateAvailabilityStatusInput = {
  entryUUID: 'urn:uuid:6f1e3b52-2c8f-4b70-9d0e-2f4b1c7a9e01',
  uniqueId: '1.2.250.1.999.1.1.7.42',
  sourceId: '1.2.250.1.999.1.1',
  submissionTime: '2026-11-20T11:30:00+01:00',
  author,
  patientCx: '279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH',
  contentTypeCode: { code: '03', codeSystem: OID.contentType, displayName: 'Hospitalisation' },
  target: deletionTarget('urn:uuid:0b0c94d3-7a3b-4c0f-9b5e-1c2d3e4f5a6b'),
};

/** Reads the request back: the submission set with ebrim-reader helpers, the associations raw. */
function readBack(xml: string) {
  const root = parseXml(xml, {
    arrays: ['Association', 'Slot', 'Value', 'Classification', 'ExternalIdentifier'],
  });
  const list = (root.SubmitObjectsRequest as XmlObject).RegistryObjectList as XmlObject;
  const pkg = list.RegistryPackage as XmlObject;
  const slots = (n: XmlObject) =>
    asArray(n.Slot as XmlObject[]).map((s) => ({
      name: attr(s, 'name') ?? '',
      values: asArray((s.ValueList as XmlObject).Value).map((v) => textOf(v) ?? ''),
    }));
  const set: RimObject = {
    kind: 'RegistryPackage',
    id: attr(pkg, 'id'),
    slots: slots(pkg),
    classifications: asArray(pkg.Classification as XmlObject[]).map((c) => ({
      classificationScheme: attr(c, 'classificationScheme'),
      nodeRepresentation: attr(c, 'nodeRepresentation'),
      slots: slots(c),
    })),
    externalIdentifiers: asArray(pkg.ExternalIdentifier as XmlObject[]).map((e) => ({
      identificationScheme: attr(e, 'identificationScheme'),
      value: attr(e, 'value'),
    })),
  };
  const associations = asArray(list.Association as XmlObject[]).map((a) => ({
    type: attr(a, 'associationType'),
    source: attr(a, 'sourceObject'),
    target: attr(a, 'targetObject'),
    slots: slots(a),
  }));
  return { set, associations, marker: asArray(list.Classification as XmlObject[])[0] };
}

describe('ITI-57 UpdateAvailabilityStatus (DMP TD3.3c deletion)', () => {
  const xml = serialize(buildUpdateAvailabilityStatus(input));

  it('validates against the XDS schemas (lcm:SubmitObjectsRequest)', () => {
    expect(xsdErrors(xml, SCHEMA.xdsRepository)).toEqual([]);
  });

  it('holds one UpdateAvailabilityStatus association from the submission set, Approved → Deleted', () => {
    const { associations } = readBack(xml);
    expect(associations).toEqual([
      {
        type: 'urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus',
        source: input.entryUUID,
        target: 'urn:uuid:0b0c94d3-7a3b-4c0f-9b5e-1c2d3e4f5a6b',
        slots: [
          { name: 'OriginalStatus', values: [STATUS.approved] },
          { name: 'NewStatus', values: ['urn:asip:ci-sis:2010:StatusType:Deleted'] },
        ],
      },
    ]);
  });

  it('carries a complete submission set, marked as such', () => {
    const { set, marker } = readBack(xml);
    const ss = XDS.submissionSet;
    expect(set.id).toBe(input.entryUUID);
    expect(slotValues(set, 'submissionTime')).toEqual(['20261120103000']);
    expect(externalId(set, ss.patientId)).toBe(input.patientCx);
    expect(externalId(set, ss.sourceId)).toBe(input.sourceId);
    expect(externalId(set, ss.uniqueId)).toBe(input.uniqueId);
    expect(classificationsIn(set, ss.contentTypeCode)[0]?.nodeRepresentation).toBe('03');
    const authorSlots = classificationsIn(set, ss.author)[0]?.slots ?? [];
    expect(authorSlots.find((s) => s.name === 'authorPerson')?.values).toEqual([
      '1750100125/dmp-gateway^dmp-gateway^0.1.0^^^^^^&1.2.250.1.71.4.2.1&ISO^U^^^RI',
    ]);
    expect(attr(marker, 'classificationNode')).toBe(ss.classificationNode);
    expect(attr(marker, 'classifiedObject')).toBe(input.entryUUID);
  });
});
