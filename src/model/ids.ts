/**
 * Identifiers the gateway mints: registry object ids (`urn:uuid:`), and OIDs
 * for documents and submission sets. Without a configured OID root, OIDs are
 * UUID-derived (ITU-T X.667 §6.3: `2.25.<the UUID as one decimal integer>`),
 * unique without coordination.
 */
import { createHash } from 'node:crypto';
import { GatewayError, type Issue } from '../errors/catalogue.ts';
import type { InstanceId } from './types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `2.25.<decimal>` OID of a UUID (X.667). */
export function uuidToOid(uuid: string): string {
  const bare = uuid.replace(/^urn:uuid:/i, '');
  if (!UUID.test(bare)) throw new Error('not a UUID');
  return `2.25.${BigInt(`0x${bare.replace(/-/g, '')}`).toString(10)}`;
}

/** Sources of fresh identifiers; injected so translations are reproducible in tests. */
export interface IdSource {
  /** A random UUID, without prefix. */
  uuid(): string;
}

export const randomIds: IdSource = { uuid: () => crypto.randomUUID() };

/**
 * Ids derived from a seed: the same seed gives the same sequence. Used where a
 * resent message must mint the same ids as its first sending (so its document
 * keeps one identity and is deposited once). RFC 4122 version-4 layout.
 */
export function seededIds(seed: string): IdSource {
  let n = 0;
  return {
    uuid: () => {
      const h = createHash('sha256').update(`${seed}#${n++}`).digest('hex');
      const variant = ((Number.parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
}

/** A fresh registry object id. */
export function newEntryUUID(ids: IdSource): string {
  return `urn:uuid:${ids.uuid()}`;
}

/** A fresh OID: `<root>.<uuid as decimal>` under a configured root, else `2.25.<uuid>`. */
export function newOid(ids: IdSource, root?: string): string {
  const uuidOid = uuidToOid(ids.uuid());
  return root ? `${root}.${uuidOid.slice('2.25.'.length)}` : uuidOid;
}

/**
 * The XDS uniqueId of a CDA document id: its root OID. The DMP rejects the
 * `OID^extension` form, so an id with an extension cannot be deposited.
 */
export function documentUniqueId(id: InstanceId, path = 'ClinicalDocument/id'): string {
  if (id.extension) {
    const issue: Issue = {
      code: 'INVALID_INPUT',
      path,
      message:
        'the document id must be a bare OID (root without extension): the DMP rejects OID^extension uniqueIds',
    };
    throw new GatewayError('INVALID_INPUT', [issue]);
  }
  return id.root;
}
