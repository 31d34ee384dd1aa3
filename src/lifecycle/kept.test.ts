import { describe, expect, it } from 'vitest';
import { keptFlags, keptForNext, NOTHING_KEPT, type VersionFacts } from './kept.ts';

const flags = (masked: boolean, secrecy: boolean) => ({
  hiddenFromPatient: false,
  hiddenFromLegalRepresentatives: secrecy,
  maskedFromProfessionals: masked,
});
const sender = (o: Partial<VersionFacts> = {}): VersionFacts => ({
  madeBy: 'sender',
  sent: flags(false, false),
  secrecyRequested: false,
  confidentialityChange: false,
  ...o,
});
const operator = (masked: boolean, secrecy: boolean): VersionFacts => ({
  ...sender(),
  madeBy: 'visibility',
  sent: flags(masked, secrecy),
});
const release = (masked: boolean, secrecy: boolean): VersionFacts => ({
  ...sender(),
  madeBy: 'release',
  sent: flags(masked, secrecy),
});

describe('what earlier versions keep', () => {
  it('nothing for versions of the sender alone (its own mask is its statement, each version)', () => {
    expect(keptFlags([])).toEqual(NOTHING_KEPT);
    expect(keptFlags([sender({ sent: flags(true, false) })])).toEqual(NOTHING_KEPT);
  });

  it("an operator's mask, through releases and the sender's versions, until the sender restates", () => {
    const masked = [sender(), operator(true, false), sender(), release(true, false), sender()];
    expect(keptFlags(masked)).toEqual({ masked: true, secrecy: false });
    expect(keptFlags([...masked, sender({ confidentialityChange: true }), sender()]).masked).toBe(false);
  });

  it("an operator's later change states the flags anew", () => {
    expect(keptFlags([operator(true, true), sender(), operator(false, false)])).toEqual(NOTHING_KEPT);
  });

  it("a minor's secrecy, asked or sent, holds for every later version, restated confidentiality or not", () => {
    expect(keptFlags([sender({ secrecyRequested: true }), sender()]).secrecy).toBe(true);
    expect(
      keptFlags([sender({ sent: flags(false, true) }), sender({ confidentialityChange: true })]).secrecy,
    ).toBe(true);
    expect(keptFlags([operator(false, true), release(false, true)]).secrecy).toBe(true);
  });

  it("the next version keeps the operator's mask unless it restates the confidentiality itself", () => {
    const kept = { masked: true, secrecy: true };
    expect(keptForNext(kept, {})).toEqual(kept);
    expect(keptForNext(kept, { confidentialityChange: true })).toEqual({ masked: false, secrecy: true });
  });
});
