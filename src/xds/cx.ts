/**
 * The HL7 v2 CX identifiers of XDS patient ids (ITI TF-3 §4.2.3.1.7 CX):
 * `id^^^&<oid>&ISO^<type>`, and the INS in that form
 * (`matricule^^^&<INS OID>&ISO^NH`, DOMAIN.md §3). Shared by the sandbox DMP
 * and the ITI-41 recipient (moved from src/sandbox/patients.ts).
 */
import { INS_OIDS } from '../model/vocabulary.ts';

/** An INS: its OID (INS-NIR, INS-NIA, test, demo) and the matricule. */
export interface InsId {
  readonly root: string;
  readonly extension: string;
}

/** A parsed CX identifier. */
export interface Cx {
  readonly extension: string;
  readonly root: string;
  readonly type: string;
}

const OID = /^[0-2](\.(0|[1-9]\d*))+$/;

/** Parses `id^^^&oid&ISO^type` (the assigning authority must be an ISO OID); undefined when malformed. */
export function parseCx(value: string): Cx | undefined {
  const parts = value.split('^');
  const [extension, , , authority, type] = parts;
  if (parts.length > 5 && parts.slice(5).some((p) => p !== '')) return undefined;
  const [namespace, root, kind] = (authority ?? '').split('&');
  if (!extension || namespace === undefined || !root || !OID.test(root) || kind !== 'ISO') return undefined;
  return { extension, root, type: type ?? '' };
}

/** The INS of an `^NH` CX whose root is an INS OID, else undefined. */
export function insOfCx(value: string): InsId | undefined {
  const cx = parseCx(value);
  if (cx?.type !== 'NH' || !INS_OIDS.includes(cx.root)) return undefined;
  return { root: cx.root, extension: cx.extension };
}

/** `matricule^^^&oid&ISO^NH` */
export function insCx(ins: InsId): string {
  return `${ins.extension}^^^&${ins.root}&ISO^NH`;
}

export function sameIns(a: InsId, b: InsId): boolean {
  return a.root === b.root && a.extension === b.extension;
}
