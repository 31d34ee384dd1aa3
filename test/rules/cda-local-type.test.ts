/**
 * An HL7 message carrying a ready-made CDA whose OBX-3 is a local type of the
 * sender (BIO-VIH^Sérologie VIH^L, OBR-4 the same): the CDA header keeps the
 * document's type (11502-2), and the local type still reaches the rules, so
 * the CME exclusion X-VIH (`localTypes: [BIO-VIH]`) applies, in the dry run as
 * in the running gateway, to both instances of a two-document ORU too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_PDF } from '../../fixtures/cda/sample.ts';
import { cdaN3 } from '../../fixtures/hl7v2/cda.ts';
import { bytes, ed, message } from '../../fixtures/hl7v2/messages.ts';
import { dryRun } from '../../src/cli/dry-run.ts';
import { configSchema } from '../../src/config/schema.ts';
import { MappingRegistry } from '../../src/mappings/registry.ts';
import { freshOid, postHl7, readAck, submissionOf } from '../hl7v2/support.ts';
import { startExampleGateway, type TestGateway } from '../support/gateway.ts';

function hivSerologyAsCda(id: string): Uint8Array {
  const cda = cdaN3({ id, creationTime: '2026-11-20T09:00:00Z' }); // header code 11502-2
  return bytes(
    message({
      type: 'MDM',
      controlId: `RV-${id.slice(-12)}`,
      txa12: id,
      documents: [{ ed: ed(cda), type: 'BIO-VIH^Sérologie VIH^L' }],
    }),
  );
}

describe('ready-made CDA sent with a local OBX-3 type', () => {
  it('dry run: rule X-VIH (localTypes BIO-VIH) excludes it', () => {
    const registry = new MappingRegistry('mappings');
    expect(registry.reload().errors).toEqual([]);
    const report = dryRun(hivSerologyAsCda(freshOid()), {
      config: configSchema.parse({}),
      snapshot: registry.current,
      now: new Date('2026-12-06T10:00:00Z'),
      dmp: 'active',
    });
    expect(report.issues).toEqual([]);
    const decision = report.documents[0]!.decision;
    expect({
      action: decision.action,
      rules: decision.reasons.map((r) => r.ruleId ?? r.effect),
    }).toEqual({ action: 'skip', rules: ['X-VIH'] });
  });

  describe('live gateway', () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startExampleGateway();
    });
    afterAll(async () => {
      await gw?.close();
    });

    it('is AA, then skipped by X-VIH, never deposited', async () => {
      const id = freshOid();
      const ack = readAck((await postHl7(gw, hivSerologyAsCda(id))).body);
      expect(ack.code).toBe('AA');
      const sub = await submissionOf(gw, `hl7:DPI-DEMO|CHD:${id}`);
      expect(sub).toBeDefined();
      const done = await gw.waitFor(sub!, (s) =>
        ['deposited', 'skipped', 'rejected', 'failed'].includes(s.status),
      );
      expect({ status: done.status, localType: done.mapping?.documents[0]?.localType }).toEqual({
        status: 'skipped',
        localType: 'BIO-VIH',
      });
      expect(gw.sandbox!.document(id)).toBeUndefined();
    });

    it('ORU with the two instances of one BIO-VIH report (PDF + CDA N3): both skipped, neither fed', async () => {
      const id = freshOid();
      const cda = cdaN3({ id, creationTime: '2026-11-20T09:00:00Z' });
      const type = 'BIO-VIH^Sérologie VIH^L';
      const oru = bytes(
        message({
          type: 'ORU',
          controlId: `RV2-${id.slice(-12)}`,
          documents: [
            { ed: ed(TINY_PDF, 'application', 'pdf'), type },
            { ed: ed(cda), type },
          ],
        }),
      );
      const ack = readAck((await postHl7(gw, oru)).body);
      expect(ack.code, ack.text).toBe('AA');
      const cdaSub = await submissionOf(gw, `hl7:DPI-DEMO|CHD:${id}`);
      expect(cdaSub).toBeDefined();
      const done = await gw.waitFor(cdaSub!, (s) =>
        ['deposited', 'skipped', 'rejected', 'failed'].includes(s.status),
      );
      expect({
        status: done.status,
        reasons: (done.decision as { reasons: { ruleId?: string }[] }[]).flatMap((d) =>
          d.reasons.map((r) => r.ruleId),
        ),
      }).toEqual({ status: 'skipped', reasons: ['X-VIH'] });
    });
  });
});
