import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cdaN1 } from '../../fixtures/hl7v2/cda.ts';
import { SENDER_PRT } from '../../fixtures/hl7v2/messages.ts';
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

/** The sender PRT without PRT-8: the units decide the site. */
const SENDER_WITHOUT_SITE = SENDER_PRT.split('|').slice(0, 8).join('|');

function fromUnit(id: string, unit: string, controlId: string): Uint8Array {
  const cda = cdaN1({ id, creationTime: '2026-12-01T10:00:00Z' });
  const text = Buffer.from(mdmWithCda(id, { cda, controlId, sender: SENDER_WITHOUT_SITE })).toString('utf8');
  const withUnit = text.replace(/PV1\|1\|O\|/, `PV1|1|O|${unit}^^^CHD|`);
  expect(withUnit).not.toBe(text);
  return new TextEncoder().encode(withUnit);
}

describe('HL7: the same document resent with another unit (so another site and other rules)', () => {
  it('after a deposit: refused (AE, DOCUMENT_CONFLICT), the deposited record unchanged', async () => {
    const id = freshOid();
    // First sent from a unit of the south site (MDA: fed), then "corrected" to CARDIO (north site).
    const first = readAck((await postHl7(gw, fromUnit(id, 'MDA', `R1-${id.slice(-10)}`))).body);
    expect(first.code).toBe('AA');
    const sub = (await submissionOf(gw, `hl7:DPI-DEMO|CHD:${id}`))!;
    expect((await gw.waitFor(sub, (s) => ENDED.includes(s.status))).status).toBe('deposited');
    const second = readAck((await postHl7(gw, fromUnit(id, 'CARDIO', `R2-${id.slice(-10)}`))).body);
    expect(second.code).toBe('AE');
    expect(second.text).toContain('was already received from this sender with other content');
    const view = await gw.status(sub);
    expect(view.mapping?.documents[0]).toMatchObject({ unit: 'MDA', site: '999000027' });
  });

  it('after a skip: the corrected document replaces the skipped one and is decided again', async () => {
    const id = freshOid();
    // First from CARDIO (north: not fed), then corrected to MDA (south: fed).
    expect(readAck((await postHl7(gw, fromUnit(id, 'CARDIO', `S1-${id.slice(-10)}`))).body).code).toBe('AA');
    const skipped = (await submissionOf(gw, `hl7:DPI-DEMO|CHD:${id}`))!;
    expect((await gw.waitFor(skipped, (s) => ENDED.includes(s.status))).status).toBe('skipped');
    expect(readAck((await postHl7(gw, fromUnit(id, 'MDA', `S2-${id.slice(-10)}`))).body).code).toBe('AA');
    const corrected = (await submissionOf(gw, `hl7:DPI-DEMO|CHD:${id}`))!;
    expect(corrected).not.toBe(skipped);
    const done = await gw.waitFor(corrected, (s) => ENDED.includes(s.status));
    expect({ status: done.status, unit: done.mapping?.documents[0]?.unit }).toEqual({
      status: 'deposited',
      unit: 'MDA',
    });
  });
});

describe('MHD: the site of an unmapped bundle is its author institution', () => {
  /** Posts a bundle authored at `structure`; its submission once ended. */
  async function bundleFrom(structure: string) {
    const bundle = mhdBundle();
    const doc = bundle.entry[1]!.resource as {
      contained: { resourceType: string; identifier?: { value: string }[] }[];
    };
    const org = doc.contained.find((r) => r.resourceType === 'Organization')!;
    org.identifier![0]!.value = structure;
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
    return {
      status: done.status,
      rules: (done.decision as { rulesVersion?: string }[] | undefined)?.[0]?.rulesVersion?.split('#')[0],
    };
  }

  it('a bundle authored at the south site (1999000027) is decided by the south rules (feed)', async () => {
    expect(await bundleFrom('1999000027')).toEqual({ status: 'deposited', rules: 'rules-sud.yaml' });
  });

  it('a bundle authored at a structure no rules file governs is decided by the establishment’s rules', async () => {
    // Naming another organisation's FINESS never escapes the CME's rules (the establishment's: skip).
    expect(await bundleFrom('1120459876')).toEqual({ status: 'skipped', rules: 'rules-nord.yaml' });
  });
});
