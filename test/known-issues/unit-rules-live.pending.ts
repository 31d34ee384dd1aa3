/**
 * REVIEW (fails now): the CME rules keyed on the local unit (`units`), the
 * local type (`localTypes`) or a unit's specialty never match in the running
 * gateway. The worker builds the decision context without the mapping's
 * facts (src/queue/decision-step.ts judge → decisionContext(...) with no
 * `mapped` and no `toDmp`), and no intake applies mappings/ at all (only the
 * dry-run does: src/cli/dry-run.ts). So the example establishment's X-PSY
 * exclusion ("psychiatric units are not fed", CME 2025-02-11 décision 3)
 * works in the dry-run and in test/rules/chu-demo.test.ts, while the real
 * pipeline deposits a psychiatric unit's discharge letter under I-SEJOUR.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshOid, mdmWithCda, postHl7, submissionOf } from '../hl7v2/support.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({
    feeding: { policy: 'rules' },
    mappings: { dir: resolve(import.meta.dirname, '../../mappings') },
  });
});
afterAll(async () => {
  await gw?.close();
});

it('a discharge letter from a psychiatric unit (PV1-3.1 PSY-ADULTE) is skipped by rule X-PSY', async () => {
  const id = freshOid();
  const text = Buffer.from(mdmWithCda(id)).toString('utf8');
  // PV1-3 (assigned location): point of care PSY-ADULTE, facility CHD.
  const withUnit = text.replace(/PV1\|1\|O\|/, 'PV1|1|O|PSY-ADULTE^^^CHD|');
  expect(withUnit).not.toBe(text);
  const ack = await postHl7(gw, new TextEncoder().encode(withUnit));
  expect(ack.status).toBe(200);
  const submission = await submissionOf(gw, `hl7:DPI-DEMO|CHD:${id}`);
  expect(submission).toBeDefined();
  const done = await gw.waitFor(submission!, (s) =>
    ['deposited', 'skipped', 'rejected', 'failed'].includes(s.status),
  );
  const reasons = ((done.decision as { reasons: { ruleId?: string }[] }[] | undefined) ?? []).flatMap((d) =>
    d.reasons.map((r) => r.ruleId),
  );
  expect({ status: done.status, reasons }).toEqual({ status: 'skipped', reasons: ['X-PSY'] });
});
