import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cdaN1 } from '../../fixtures/hl7v2/cda.ts';
import { freshOid, mdmWithCda, postHl7, readAck, submissionOf } from '../hl7v2/support.ts';
import { mhdBundle } from '../mhd/bundles.ts';
import type { TestGateway } from '../support/gateway.ts';
import { startTwoSiteGateway } from './support.ts';

const ENDED = ['deposited', 'skipped', 'rejected', 'failed'];
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTwoSiteGateway();
});
afterAll(async () => {
  await gw?.close();
});

function fromUnit(id: string, unit: string, controlId: string): Uint8Array {
  const cda = cdaN1({ id, creationTime: '2026-12-01T10:00:00Z' });
  const text = Buffer.from(mdmWithCda(id, { cda, controlId })).toString('utf8');
  const withUnit = text.replace(/PV1\|1\|O\|/, `PV1|1|O|${unit}^^^CHD|`);
  expect(withUnit).not.toBe(text);
  return new TextEncoder().encode(withUnit);
}

describe('HL7: the same document resent with another unit (another site)', () => {
  it('is not silently acknowledged AA while the first unit/site keeps deciding', async () => {
    const id = freshOid();
    // First sent from a unit of the south site (MDA), then corrected to CARDIO (north site).
    const first = readAck((await postHl7(gw, fromUnit(id, 'MDA', `R1-${id.slice(-10)}`))).body);
    expect(first.code).toBe('AA');
    const sub = (await submissionOf(gw, `hl7:DPI-DEMO|CHD:${id}`))!;
    await gw.waitFor(sub, (s) => ENDED.includes(s.status));
    const second = readAck((await postHl7(gw, fromUnit(id, 'CARDIO', `R2-${id.slice(-10)}`))).body);
    const view = await gw.status(sub);
    // Either the correction is refused (AE, conflict), or it is what the record holds.
    const seen = {
      ack: second.code,
      unit: view.mapping?.documents[0]?.unit,
      site: view.mapping?.documents[0]?.site,
      status: view.status,
    };
    // Today: { ack: 'AA', unit: 'MDA', site: '999000027', status: 'deposited' }: the correction is dropped.
    expect(second.code === 'AE' || seen.unit === 'CARDIO', JSON.stringify(seen)).toBe(true);
  });
});

describe('MHD: the site of an unmapped bundle is its author institution', () => {
  it('a bundle authored at the south site (1999000027) is decided by the south rules (feed)', async () => {
    const bundle = mhdBundle();
    const doc = bundle.entry[1]!.resource as {
      contained: { resourceType: string; identifier?: { value: string }[] }[];
    };
    const org = doc.contained.find((r) => r.resourceType === 'Organization')!;
    org.identifier![0]!.value = '1999000027';
    const res = await fetch(`${gw.apiUrl}/fhir`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(bundle),
    });
    const json = (await res.json()) as {
      entry?: { response?: { outcome?: { issue: { details?: { text?: string } }[] } } }[];
    };
    expect(res.status, JSON.stringify(json).slice(0, 500)).toBe(200);
    const id =
      json.entry?.[0]?.response?.outcome?.issue[0]?.details?.text?.match(/submission ([0-9a-f-]{36})/)?.[1];
    expect(id).toBeDefined();
    const done = await gw.waitFor(id!, (s) => ENDED.includes(s.status));
    expect({
      status: done.status,
      rules: (done.decision as { rulesVersion?: string }[] | undefined)?.[0]?.rulesVersion?.split('#')[0],
    }).toEqual({ status: 'deposited', rules: 'rules-sud.yaml' });
  });
});
