/**
 * Reads the ebRIM registry objects of an ITI-41 request (bare
 * `ProvideAndRegisterDocumentSetRequest` or inside a SOAP envelope) into a
 * plain, wire-level view: objects with their slots, classifications and
 * external identifiers, associations, and the `xds:Document` parts
 * [OASIS regrep-rim-3.0; ITI TF-3 §4.2.3]. It interprets no metadata: the
 * mapping to the canonical model belongs to the inbound adapter.
 */
import { GatewayError } from '../errors/catalogue.ts';
import { asArray, attr, parseXml, textOf, type XmlObject } from '../xml/parse.ts';

export interface RimSlot {
  readonly name: string;
  readonly values: readonly string[];
}

export interface RimClassification {
  readonly id?: string;
  readonly classificationScheme?: string;
  readonly classificationNode?: string;
  readonly classifiedObject?: string;
  readonly nodeRepresentation?: string;
  readonly name?: string;
  readonly slots: readonly RimSlot[];
}

export interface RimExternalIdentifier {
  readonly id?: string;
  readonly identificationScheme?: string;
  readonly registryObject?: string;
  readonly value?: string;
  readonly name?: string;
}

export interface RimObject {
  readonly kind: 'ExtrinsicObject' | 'RegistryPackage';
  readonly id?: string;
  readonly objectType?: string;
  readonly mimeType?: string;
  readonly name?: string;
  readonly slots: readonly RimSlot[];
  readonly classifications: readonly RimClassification[];
  readonly externalIdentifiers: readonly RimExternalIdentifier[];
}

export interface RimAssociation {
  readonly id?: string;
  readonly associationType?: string;
  readonly sourceObject?: string;
  readonly targetObject?: string;
  readonly slots: readonly RimSlot[];
}

/** An `xds:Document`: an MTOM reference (`cid:…`) or inline base64 text. */
export interface RimDocumentPart {
  readonly id?: string;
  readonly href?: string;
  readonly base64?: string;
}

export interface RimSubmission {
  readonly objects: readonly RimObject[];
  readonly associations: readonly RimAssociation[];
  /** Classifications directly in the RegistryObjectList (e.g. the submission-set marker). */
  readonly classifications: readonly RimClassification[];
  readonly documents: readonly RimDocumentPart[];
}

const ARRAYS = [
  'ExtrinsicObject',
  'RegistryPackage',
  'Association',
  'Classification',
  'ExternalIdentifier',
  'Slot',
  'Value',
  'LocalizedString',
  'Document',
];

function readSlots(node: unknown): RimSlot[] {
  return asArray((node as XmlObject | undefined)?.Slot).map((s) => ({
    name: attr(s, 'name') ?? '',
    values: asArray(((s as XmlObject).ValueList as XmlObject | undefined)?.Value).map((v) => textOf(v) ?? ''),
  }));
}

function readName(node: unknown): string | undefined {
  const name = (node as XmlObject).Name as XmlObject | undefined;
  return attr(asArray(name?.LocalizedString)[0], 'value');
}

function readClassification(c: unknown): RimClassification {
  return {
    id: attr(c, 'id'),
    classificationScheme: attr(c, 'classificationScheme'),
    classificationNode: attr(c, 'classificationNode'),
    classifiedObject: attr(c, 'classifiedObject'),
    nodeRepresentation: attr(c, 'nodeRepresentation'),
    name: readName(c),
    slots: readSlots(c),
  };
}

function readObject(kind: RimObject['kind'], o: unknown): RimObject {
  return {
    kind,
    id: attr(o, 'id'),
    objectType: attr(o, 'objectType'),
    mimeType: attr(o, 'mimeType'),
    name: readName(o),
    slots: readSlots(o),
    classifications: asArray((o as XmlObject).Classification).map(readClassification),
    externalIdentifiers: asArray((o as XmlObject).ExternalIdentifier).map((e) => ({
      id: attr(e, 'id'),
      identificationScheme: attr(e, 'identificationScheme'),
      registryObject: attr(e, 'registryObject'),
      value: attr(e, 'value'),
      name: readName(e),
    })),
  };
}

/** Parses an ITI-41 request; throws INVALID_INPUT when there is no RegistryObjectList. */
export function readProvideAndRegister(xml: string | Uint8Array): RimSubmission {
  const root = parseXml(xml, { arrays: ARRAYS });
  const envelope = root.Envelope as XmlObject | undefined;
  const request = ((envelope?.Body as XmlObject | undefined) ?? root).ProvideAndRegisterDocumentSetRequest as
    | XmlObject
    | undefined;
  const list = (request?.SubmitObjectsRequest as XmlObject | undefined)?.RegistryObjectList as
    | XmlObject
    | undefined;
  if (!request || !list) {
    throw new GatewayError('INVALID_INPUT', [
      { code: 'INVALID_INPUT', path: '/', message: 'not an ITI-41 ProvideAndRegisterDocumentSetRequest' },
    ]);
  }
  return {
    objects: [
      ...asArray(list.RegistryPackage).map((o) => readObject('RegistryPackage', o)),
      ...asArray(list.ExtrinsicObject).map((o) => readObject('ExtrinsicObject', o)),
    ],
    associations: asArray(list.Association).map((a) => ({
      id: attr(a, 'id'),
      associationType: attr(a, 'associationType'),
      sourceObject: attr(a, 'sourceObject'),
      targetObject: attr(a, 'targetObject'),
      slots: readSlots(a),
    })),
    classifications: asArray(list.Classification).map(readClassification),
    documents: asArray(request.Document).map((d) => ({
      id: attr(d, 'id'),
      href: attr((d as XmlObject).Include, 'href'),
      base64: textOf(d),
    })),
  };
}

/** Values of the slot `name` (empty when absent). */
export function slotValues(holder: { readonly slots: readonly RimSlot[] }, name: string): readonly string[] {
  return holder.slots.find((s) => s.name === name)?.values ?? [];
}

/** Classifications of `object` in `scheme`, in document order. */
export function classificationsIn(object: RimObject, scheme: string): readonly RimClassification[] {
  return object.classifications.filter((c) => c.classificationScheme === scheme);
}

/** Value of the external identifier of `object` in `scheme`. */
export function externalId(object: RimObject, scheme: string): string | undefined {
  return object.externalIdentifiers.find((e) => e.identificationScheme === scheme)?.value;
}
