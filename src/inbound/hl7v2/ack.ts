/**
 * Acknowledgements the gateway writes [VOLET-HL7 profils-messages.md "Le
 * message d'acquittement du message HL7v2" (ACK: MSH with sender and receiver
 * swapped, MSH-9 `ACK^<event>^ACK`, MSA-1 AA/AE/AR, MSA-2 = the original
 * MSH-10, ERR-2 location, ERR-3 `<code>^<label>^messageErrorCondition` from
 * HL7 table 0357, ERR-4 severity) and "Contraintes à appliquer au message
 * ZAM^Z01^ZAM_Z01 - Accusé de réception DMP"; error-codes.md (90x codes in
 * ERR-5, table applicationErrorCondition); HL7 v2.5 §2.15.5 ERR, §2.A.26 ERL].
 * Always written with the standard delimiters `|^~\&`, segments ended by CR,
 * every value escaped; user messages (ERR-8) come from the catalogue issues,
 * which never quote patient data.
 */
import { isoToHl7Ts } from '../../cda/time.ts';
import { CATALOGUE, type CatalogueEntry, GatewayError, type Issue } from '../../errors/catalogue.ts';
import { HL7V2 } from '../../model/vocabulary.ts';
import { escapeHl7 } from './escape.ts';
import type { Hl7Header, Hl7Party } from './types.ts';

/** Labels of HL7 table 0357 as the volet lists them (error-codes.md). */
const CONDITION_LABEL: Readonly<Record<string, string>> = {
  '0': 'Message accepted',
  '100': 'Segment sequence error',
  '101': 'Required field missing',
  '102': 'Data type error',
  '103': 'Table value not found',
  '198': 'Non-conformant cardinality',
  '199': 'Other HL7 Error',
  '200': 'Unsupported message type',
  '201': 'Unsupported event code',
  '202': 'Unsupported processing id',
  '203': 'Unsupported version',
  '207': 'Application error',
};

/** Labels of the volet's consumer error codes (error-codes.md; 906 from DOMAIN.md §7). */
const VOLET_LABEL: Readonly<Record<string, string>> = {
  '900': "Version du document incorrecte lors d'une demande de remplacement/suppression",
  '901': 'Auteur non autorisé à remplacer ou supprimer un document',
  '902': 'Identifiant patient inconnu',
  '903': 'INS non présent dans le document',
  '904': "L'INS transmis ne correspond pas exactement à celui stocké dans la base du consommateur",
  '905': "L'INS transmis n'est pas complet",
  '906': 'Autre erreur',
};

/** The gateway's own MSH-3/MSH-4 when the message it answers has no usable header. */
export const DEFAULT_SELF: Hl7Party = { application: 'DMP-GATEWAY', facility: '' };

/**
 * MSA-1 for a failed message: AE for an error in the message (the volet
 * answers even an unsupported version with AE), AR when the failure is
 * circumstantial and the same message may be sent again later.
 */
export function ackCodeFor(error: unknown): 'AE' | 'AR' {
  return error instanceof GatewayError && !error.retryable ? 'AE' : 'AR';
}

/** A pre-encoded HD (see Hl7Party): only what could break the MSH is neutralised. */
function encoded(value: string): string {
  return value
    .replace(/\|/g, '\\F\\')
    .replace(/~/g, '\\R\\')
    .replace(/[\r\n]/g, '');
}

/** ERR-2 (ERL `SEG^seq^field^rep^comp^sub`) from an issue path `SEG[n]-f[r].c.s`; empty when the path names no segment. */
export function errorLocation(path: string): string {
  const m = /^([A-Z][A-Z0-9]{2})(?:\[(\d+)\])?(?:-(\d+)(?:\[(\d+)\])?(?:\.(\d+)(?:\.(\d+))?)?)?$/.exec(path);
  if (!m) return '';
  const [, seg, seq, field, rep, comp, sub] = m;
  const parts = [seg, seq ?? '', field ?? '', field ? (rep ?? '1') : '', comp ?? '', sub ?? ''];
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts.join('^');
}

function timestamp(now: Date): string {
  return isoToHl7Ts(now.toISOString()) ?? now.toISOString().replace(/\D/g, '').slice(0, 14);
}

function errSegment(issue: Issue, severity: 'E' | 'W'): string {
  const entry: CatalogueEntry = CATALOGUE[issue.code];
  const condition = entry.hl7 ?? '207';
  const volet = entry.volet;
  const app = volet
    ? `${volet}^${escapeHl7(VOLET_LABEL[volet] ?? '')}^${HL7V2.applicationErrorCondition}`
    : '';
  const fields = [
    'ERR',
    '',
    errorLocation(issue.path),
    `${condition}^${CONDITION_LABEL[condition] ?? ''}^${HL7V2.messageErrorCondition}`,
    severity,
    app,
    '',
    escapeHl7(issue.code),
    escapeHl7(issue.message),
  ];
  return fields.join('|');
}

function msh(
  from: Hl7Party,
  to: Hl7Party | undefined,
  now: Date,
  type: string,
  controlId: string,
  rest: { processingId: string; version: string; charset: string; profile?: string },
): string {
  const fields = [
    'MSH',
    '^~\\&',
    encoded(from.application),
    encoded(from.facility),
    encoded(to?.application ?? ''),
    encoded(to?.facility ?? ''),
    timestamp(now),
    '',
    type,
    escapeHl7(controlId),
    escapeHl7(rest.processingId),
    escapeHl7(rest.version),
    '',
    '',
    '',
    '',
    'FRA',
    escapeHl7(rest.charset),
  ];
  if (rest.profile) fields.push('', '', rest.profile);
  return fields.join('|');
}

export interface AckInput {
  /** The acknowledged message's header; undefined when it had no usable MSH (MSA-2 is then empty). */
  readonly header?: Hl7Header;
  readonly code: 'AA' | 'AE' | 'AR';
  readonly issues?: readonly Issue[];
  /** Problems that did not stop the message (ERR-4 `W`). */
  readonly warnings?: readonly Issue[];
  readonly now: Date;
  /** MSH-10 of the ACK. */
  readonly controlId: string;
  /** MSH-18 of the ACK; default: the acknowledged message's, else `UNICODE UTF-8`. */
  readonly charset?: string;
  /** MSH-3/MSH-4 when there is no header to swap; default {@link DEFAULT_SELF}. */
  readonly self?: Hl7Party;
}

/** The technical acknowledgement (ACK) of a message, as ER7 text. */
export function buildAck(input: AckInput): string {
  const { header } = input;
  const event = header?.messageType.split('^')[1];
  const type = event ? `ACK^${escapeHl7(event)}^ACK` : 'ACK';
  const segments = [
    msh(header?.receiver ?? input.self ?? DEFAULT_SELF, header?.sender, input.now, type, input.controlId, {
      processingId: header?.processingId || 'P',
      version: header?.version || '2.5',
      charset: input.charset ?? (header?.charset || 'UNICODE UTF-8'),
    }),
    `MSA|${input.code}|${escapeHl7(header?.controlId ?? '')}`,
    ...(input.issues ?? []).map((i) => errSegment(i, 'E')),
    ...(input.warnings ?? []).map((i) => errSegment(i, 'W')),
  ];
  return `${segments.join('\r')}\r`;
}

export interface ZamInput {
  /** Header of the message that carried the document. */
  readonly header: Hl7Header;
  readonly outcome: {
    readonly accepted: boolean;
    /** DMP errors (code and label of the DMP error list) when not accepted. */
    readonly errors?: readonly { readonly code: string; readonly text: string }[];
  };
  readonly now: Date;
  readonly controlId: string;
  readonly charset?: string;
}

/**
 * The business acknowledgement ZAM^Z01 (DMP receipt): OBX ACK_RECEPTION_DMP
 * with OBX-4 = the original MSH-10 and OBX-5 Y/N, and when N one ERR per DMP
 * error (ERR-3 207, ERR-5 `code^label^DMP_ERROR_CODE`).
 */
export function buildZam(input: ZamInput): string {
  const { header, outcome } = input;
  const errors = outcome.accepted ? [] : outcome.errors?.length ? outcome.errors : [undefined];
  const segments = [
    msh(header.receiver, header.sender, input.now, 'ZAM^Z01^ZAM_Z01', input.controlId, {
      processingId: header.processingId || 'P',
      version: '2.6',
      charset: input.charset ?? (header.charset || 'UNICODE UTF-8'),
      profile: HL7V2.profile,
    }),
    `EVN||${timestamp(input.now)}`,
    [
      'OBX',
      '1',
      'CWE',
      `ACK_RECEPTION_DMP^Accusé de réception DMP^${HL7V2.ackMetierZam}`,
      escapeHl7(header.controlId),
      `${outcome.accepted ? 'Y' : 'N'}^^${HL7V2.yesNo}`,
      '',
      '',
      '',
      '',
      '',
      'F',
    ].join('|'),
    // ERR is [0..1] in the ZAM (volet ack-metier-zam.md): the first DMP error.
    ...errors
      .slice(0, 1)
      .map((e) =>
        [
          'ERR',
          '',
          '',
          `207^${CONDITION_LABEL['207']}^${HL7V2.messageErrorCondition}`,
          'E',
          ...(e ? [`${escapeHl7(e.code)}^${escapeHl7(e.text)}^${HL7V2.dmpErrorCode}`] : []),
        ].join('|'),
      ),
  ];
  return `${segments.join('\r')}\r`;
}
