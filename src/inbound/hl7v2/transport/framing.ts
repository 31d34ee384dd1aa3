/**
 * MLLP framing (HL7 v2.5.1 Appendix C "Minimal Lower Layer Protocol",
 * release 1/2 block format): `<VT> message <FS><CR>` with VT = 0x0B,
 * FS = 0x1C, CR = 0x0D. Binary-safe: works on Buffers, never decodes text, so
 * any MSH-18 charset goes through untouched (none of the three bytes can occur
 * inside UTF-8 or ISO 8859 text).
 *
 * The decoder is fed TCP chunks as they come: a message may be split across
 * chunks (even byte by byte, FS and CR in different chunks) or several
 * messages may share one chunk. Choices, per the appendix ("bytes outside a
 * block are ignored"):
 * - bytes before a VT are discarded (counted, for the log), never answered:
 *   an answer would be read by the sender as the ACK of its next message;
 * - a VT inside a block restarts the block (the sender gave up on the
 *   previous one, whose partial content is discarded and counted);
 * - the block ends at FS; the CR after it is consumed when present, so a
 *   sender that forgets it is still understood;
 * - a block longer than `maxBytes` is reported once with its first bytes
 *   (for the MSH of the reject ACK); the caller then closes the connection.
 */

export const VT = 0x0b;
export const FS = 0x1c;
export const CR = 0x0d;

/** How many leading bytes of an oversized message are kept, enough for its MSH segment. */
export const HEAD_BYTES = 8 * 1024;

export type FrameEvent =
  | { readonly kind: 'message'; readonly bytes: Buffer }
  | { readonly kind: 'oversize'; readonly head: Buffer; readonly limit: number }
  | {
      readonly kind: 'discarded';
      readonly bytes: number;
      readonly reason: 'outside a block' | 'restarted block';
    };

/** Wraps a message in an MLLP block. */
export function frame(message: Uint8Array | string): Buffer {
  const body = typeof message === 'string' ? Buffer.from(message, 'utf8') : Buffer.from(message);
  const out = Buffer.allocUnsafe(body.length + 3);
  out[0] = VT;
  body.copy(out, 1);
  out[body.length + 1] = FS;
  out[body.length + 2] = CR;
  return out;
}

/** Incremental MLLP block decoder for one connection. */
export class MllpDecoder {
  readonly maxBytes: number;
  #inside = false;
  /** A block just ended at FS: a CR that follows belongs to its trailer. */
  #afterFs = false;
  /** The block is oversized: its bytes are skipped until FS. */
  #skipping = false;
  #parts: Buffer[] = [];
  #length = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** Bytes of the block being received (0 outside a block). */
  get pending(): number {
    return this.#length;
  }

  /** Whether a block was started and not finished (a close now truncates it). */
  get inBlock(): boolean {
    return this.#inside;
  }

  /** Feeds one chunk; returns the events it completes, in order. */
  push(chunk: Buffer): FrameEvent[] {
    const events: FrameEvent[] = [];
    let pos = 0;
    if (this.#afterFs && chunk.length > 0) {
      this.#afterFs = false;
      if (chunk[0] === CR) pos = 1;
    }
    while (pos < chunk.length) {
      if (!this.#inside) {
        const start = chunk.indexOf(VT, pos);
        const end = start < 0 ? chunk.length : start;
        if (end > pos) events.push({ kind: 'discarded', bytes: end - pos, reason: 'outside a block' });
        if (start < 0) break;
        this.#inside = true;
        pos = start + 1;
        continue;
      }
      const fs = chunk.indexOf(FS, pos);
      const restart = chunk.indexOf(VT, pos);
      if (restart >= 0 && (fs < 0 || restart < fs)) {
        const dropped = this.#length + (restart - pos);
        this.#reset();
        if (dropped > 0) events.push({ kind: 'discarded', bytes: dropped, reason: 'restarted block' });
        this.#inside = true;
        pos = restart + 1;
        continue;
      }
      const end = fs < 0 ? chunk.length : fs;
      this.#append(chunk.subarray(pos, end), events);
      if (fs < 0) break;
      if (!this.#skipping) events.push({ kind: 'message', bytes: Buffer.concat(this.#parts, this.#length) });
      this.#reset();
      pos = fs + 1;
      if (pos < chunk.length) {
        if (chunk[pos] === CR) pos++;
      } else this.#afterFs = true;
    }
    return events;
  }

  #append(piece: Buffer, events: FrameEvent[]): void {
    if (piece.length === 0) return;
    if (this.#skipping) {
      this.#length += piece.length;
      return;
    }
    if (this.#length + piece.length > this.maxBytes) {
      const head = Buffer.concat([...this.#parts, piece]).subarray(0, HEAD_BYTES);
      events.push({ kind: 'oversize', head: Buffer.from(head), limit: this.maxBytes });
      this.#parts = [];
      this.#skipping = true;
      this.#length += piece.length;
      return;
    }
    this.#parts.push(piece);
    this.#length += piece.length;
  }

  #reset(): void {
    this.#inside = false;
    this.#skipping = false;
    this.#parts = [];
    this.#length = 0;
  }
}
