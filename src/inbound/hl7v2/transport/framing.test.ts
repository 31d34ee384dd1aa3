import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CR, type FrameEvent, FS, frame, HEAD_BYTES, MllpDecoder, VT } from './framing.ts';

const messages = (events: FrameEvent[]) =>
  events.flatMap((e) => (e.kind === 'message' ? [e.bytes.toString('latin1')] : []));

function feed(decoder: MllpDecoder, chunks: Buffer[]): FrameEvent[] {
  return chunks.flatMap((c) => decoder.push(c));
}

describe('MllpDecoder', () => {
  it('frames with VT … FS CR', () => {
    expect([...frame('MSH|x')]).toEqual([VT, ...Buffer.from('MSH|x'), FS, CR]);
  });

  it('decodes a message split byte by byte, FS and CR in different chunks', () => {
    const bytes = frame('MSH|^~\\&|A\rPID|1');
    const events = feed(
      new MllpDecoder(100),
      [...bytes].map((b) => Buffer.from([b])),
    );
    expect(messages(events)).toEqual(['MSH|^~\\&|A\rPID|1']);
  });

  it('decodes several messages in one chunk, in order', () => {
    const chunk = Buffer.concat([frame('M1'), frame('M2'), frame('M3')]);
    expect(messages(new MllpDecoder(100).push(chunk))).toEqual(['M1', 'M2', 'M3']);
  });

  it('is binary safe: 8-bit bytes and NULs pass untouched', () => {
    const body = Buffer.from([0x4d, 0x00, 0xe9, 0xff, 0x80, 0x0a, 0x0d]);
    const [event] = new MllpDecoder(100).push(frame(body));
    expect(event).toEqual({ kind: 'message', bytes: body });
  });

  it('discards bytes before VT and reports how many', () => {
    const events = new MllpDecoder(100).push(Buffer.concat([Buffer.from('garbage'), frame('M1')]));
    expect(events).toEqual([
      { kind: 'discarded', bytes: 7, reason: 'outside a block' },
      { kind: 'message', bytes: Buffer.from('M1') },
    ]);
  });

  it('a VT inside a block restarts it', () => {
    const events = new MllpDecoder(100).push(
      Buffer.concat([Buffer.from([VT]), Buffer.from('half'), frame('M2')]),
    );
    expect(events).toEqual([
      { kind: 'discarded', bytes: 4, reason: 'restarted block' },
      { kind: 'message', bytes: Buffer.from('M2') },
    ]);
  });

  it('accepts a block ended by FS alone', () => {
    const d = new MllpDecoder(100);
    const events = d.push(Buffer.from([VT, 0x41, FS, VT, 0x42, FS, CR]));
    expect(messages(events)).toEqual(['A', 'B']);
  });

  it('keeps a truncated block pending', () => {
    const d = new MllpDecoder(100);
    expect(d.push(Buffer.from([VT, 0x41, 0x42]))).toEqual([]);
    expect(d.inBlock).toBe(true);
    expect(d.pending).toBe(2);
  });

  it('reports an oversized block once, with its head, then skips it', () => {
    const d = new MllpDecoder(10);
    const big = Buffer.alloc(HEAD_BYTES + 50, 0x41);
    const events = feed(d, [Buffer.from([VT]), big.subarray(0, 6), big.subarray(6), Buffer.from([FS, CR])]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'oversize', limit: 10 });
    expect((events[0] as { head: Buffer }).head.length).toBe(HEAD_BYTES);
    expect(messages(d.push(frame('next')))).toEqual(['next']);
  });

  it('a message of exactly the limit passes', () => {
    expect(messages(new MllpDecoder(4).push(frame('ABCD')))).toEqual(['ABCD']);
  });

  it('any chunking of any message sequence yields the same messages (property)', () => {
    const body = fc
      .uint8Array({ maxLength: 200 })
      .map((a) => Buffer.from(a.filter((b) => b !== VT && b !== FS)));
    fc.assert(
      fc.property(fc.array(body, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 20 }), (bodies, cuts) => {
        const stream = Buffer.concat(bodies.map((b) => frame(b)));
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let last = 0;
        for (const p of [...points, stream.length]) {
          chunks.push(stream.subarray(last, p));
          last = p;
        }
        const got = feed(new MllpDecoder(1000), chunks).filter((e) => e.kind === 'message');
        expect(got.map((e) => (e as { bytes: Buffer }).bytes)).toEqual(bodies);
      }),
    );
  });
});
