import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { wantsBusinessAck } from './senders.ts';

const party = { application: 'RIS', facility: 'CHU' };
const config = parseConfig({ hl7: { businessAck: false, senders: [{ ...party, businessAck: true }] } });

describe('whether a sender gets a ZAM^Z01', () => {
  it('follows ACK_RECEPTION when the message states it, Y or N (volet: N = not wanted)', () => {
    expect(wantsBusinessAck(config, party, true, true)).toBe(true);
    expect(wantsBusinessAck(config, party, false, true)).toBe(false);
  });
  it('falls back on the sender setting, then the default, when the message says nothing', () => {
    expect(wantsBusinessAck(config, party, false, false)).toBe(true);
    expect(wantsBusinessAck(config, { application: 'LAB', facility: 'X' }, false, false)).toBe(false);
  });
});
