import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_PDF } from '../../fixtures/cda/sample.ts';
import { cdaN1 } from '../../fixtures/hl7v2/cda.ts';
import { bytes, ed, message, SENDER_PRT } from '../../fixtures/hl7v2/messages.ts';
import { freshOid, mdmWithCda, postHl7, readAck, submissionOf } from '../hl7v2/support.ts';
import {
  freshDocument,
  idFrom,
  type SubmissionView,
  startExampleGateway,
  type TestGateway,
} from '../support/gateway.ts';
import { startTwoSiteGateway } from './support.ts';

const ENDED = ['deposited', 'skipped', 'rejected', 'failed'];
let gw: TestGateway;
beforeAll(async () => {
  gw = await startExampleGateway();
});
afterAll(async () => {
  await gw?.close();
});

function ruleIds(view: SubmissionView): (string | undefined)[] {
  const decisions = (view.decision as { reasons: { ruleId?: string }[] }[] | undefined) ?? [];
  return decisions.flatMap((d) => d.reasons.map((r) => r.ruleId)).filter((r) => r !== undefined);
}

/** The sender PRT without PRT-8: the message names no structure, the mapping gives the site. */
const SENDER_WITHOUT_SITE = SENDER_PRT.split('|').slice(0, 8).join('|');

/**
 * An MDM^T02 discharge letter written now by `unit` (PV1-3.1), its PRT naming no structure unless
 * `sender` says otherwise; returns its submission once ended.
 */
async function fromUnit(
  unit: string,
  to: TestGateway = gw,
  sender = SENDER_WITHOUT_SITE,
): Promise<SubmissionView> {
  const id = freshOid();
  const cda = cdaN1({ id, creationTime: new Date().toISOString() });
  const text = Buffer.from(mdmWithCda(id, { cda, sender })).toString('utf8');
  const withUnit = text.replace(/PV1\|1\|O\|/, `PV1|1|O|${unit}^^^CHD|`);
  expect(withUnit).not.toBe(text);
  const ack = await postHl7(to, new TextEncoder().encode(withUnit));
  expect(ack.status).toBe(200);
  const submission = await submissionOf(to, `hl7:DPI-DEMO|CHD:${id}`);
  expect(submission, `the message was not stored: ${readAck(ack.body).text}`).toBeDefined();
  return to.waitFor(submission!, (s) => ENDED.includes(s.status));
}

/** A FHIR DocumentReference whose type is the hospital's local code `local`. */
async function localType(local: string): Promise<{ view: SubmissionView; uid: string }> {
  const doc = freshDocument();
  doc.type = { coding: [{ system: 'urn:chu-demo:types', code: local }] };
  const res = await gw.post(doc);
  expect(res.status, JSON.stringify(res.json)).toBe(202);
  const view = await gw.waitFor(idFrom(res.location), (s) => ENDED.includes(s.status));
  return { view, uid: doc.masterIdentifier.value.slice('urn:oid:'.length) };
}

it('a discharge letter from a psychiatric unit (PV1-3.1 PSY-ADULTE) is skipped by rule X-PSY', async () => {
  const done = await fromUnit('PSY-ADULTE');
  expect({ status: done.status, reasons: ruleIds(done) }).toEqual({ status: 'skipped', reasons: ['X-PSY'] });
  // The record says which mapping decided and on what: the unit, its specialty and its site (CHD-SUD).
  expect(done.mapping).toMatchObject({
    snapshot: expect.stringMatching(/^[0-9a-f]{12}$/),
    files: [{ file: expect.stringMatching(/chu-demo\.yaml$/), version: expect.any(String) }],
    documents: [{ unit: 'PSY-ADULTE', unitSpecialty: { code: 'SM42' }, site: '999000027' }],
  });
});

it('an oncology discharge letter is fed hidden from the patient by the unit rule M-ANNONCE-ONCO', async () => {
  const done = await fromUnit('ONCO');
  expect(done.status).toBe('deposited');
  expect(ruleIds(done)).toEqual(['I-SEJOUR', 'M-ANNONCE-ONCO']);
  const inDmp = gw.sandbox!.document(done.documents[0]!.uniqueId)!;
  expect(inDmp.confidentialityCodes.map((c) => c.code)).toContain('INVISIBLE_PATIENT');
});

it('a cardiology discharge letter is fed as sent (no unit rule applies)', async () => {
  const done = await fromUnit('CARDIO');
  expect({ status: done.status, reasons: ruleIds(done) }).toEqual({
    status: 'deposited',
    reasons: ['I-SEJOUR'],
  });
  const inDmp = gw.sandbox!.document(done.documents[0]!.uniqueId)!;
  expect(inDmp.confidentialityCodes.map((c) => c.code)).not.toContain('INVISIBLE_PATIENT');
});

it('a FHIR document of local type BIO-VIH is skipped by the local-type rule X-VIH', async () => {
  const { view } = await localType('BIO-VIH');
  expect({ status: view.status, reasons: ruleIds(view) }).toEqual({ status: 'skipped', reasons: ['X-VIH'] });
  expect(view.mapping?.documents).toEqual([{ site: '999000019', localType: 'BIO-VIH' }]);
  expect(view.documents[0]!.typeCode.code).toBe('11502-2');
});

it('a FHIR document of local type CRH reaches the DMP with the mapped type and class', async () => {
  const { view, uid } = await localType('CRH');
  expect(view.status).toBe('deposited');
  const inDmp = gw.sandbox!.document(uid)!;
  expect([inDmp.typeCode?.code, inDmp.classCode?.code]).toEqual(['34112-3', '10']);
});

it('a local type the mapping does not know is refused at intake, naming the field', async () => {
  const doc = freshDocument();
  doc.type = { coding: [{ system: 'urn:chu-demo:types', code: 'NO-SUCH-TYPE' }] };
  const res = await gw.post(doc);
  expect(res.status).toBe(422);
  const issues = (res.json.issue ?? []).map((i) => `${i.expression?.[0]}: ${i.details?.text}`);
  expect(issues).toContainEqual(
    expect.stringMatching(
      /^DocumentReference\.type\.coding\[0\]: NO-SUCH-TYPE is neither a DMP document type \(JDV_J66\) nor a local type the establishment's mapping knows$/,
    ),
  );
});

describe("HL7 local document types (OBX-3 in the sender's own coding system)", () => {
  /** An MDM^T02 wrapping a PDF whose OBX-3 is `type`; its ACK and, when stored, its ended submission. */
  async function pdfOfType(type: string) {
    const id = freshOid();
    const pdf = { ed: ed(TINY_PDF, 'application', 'pdf'), type };
    const msg = message({ type: 'MDM', controlId: `LT-${id.slice(-10)}`, txa12: id, documents: [pdf] });
    const res = await postHl7(gw, bytes(msg));
    const ack = readAck(res.body);
    const submission = await submissionOf(gw, `hl7:DPI-DEMO|CHD:${id}`);
    const view = submission ? await gw.waitFor(submission, (s) => ENDED.includes(s.status)) : undefined;
    return { ack, view, id };
  }

  it('an HIV serology coded BIO-VIH is translated by the mapping and skipped by rule X-VIH', async () => {
    const { ack, view } = await pdfOfType('BIO-VIH^Sérologie VIH^L');
    expect(ack.code).toBe('AA');
    expect({ status: view?.status, reasons: view && ruleIds(view) }).toEqual({
      status: 'skipped',
      reasons: ['X-VIH'],
    });
    expect(view?.documents[0]?.typeCode.code).toBe('11502-2');
    expect(view?.mapping?.documents[0]).toMatchObject({ localType: 'BIO-VIH' });
  });

  it('an operative report coded CRO reaches the DMP as 34874-8', async () => {
    const { ack, view, id } = await pdfOfType('CRO^CR opératoire^L');
    expect(ack.code).toBe('AA');
    expect(view?.status).toBe('deposited');
    expect(gw.sandbox!.document(id)?.typeCode?.code).toBe('34874-8');
  });

  it('a local type the mapping does not know is refused (AE) at OBX-3.3, nothing stored', async () => {
    const { ack, view } = await pdfOfType('NOPE^Inconnu^L');
    expect({ code: ack.code, errors: ack.errors, stored: view !== undefined }).toEqual({
      code: 'AE',
      errors: ['OBX^1^3^1^3 103'],
      stored: false,
    });
  });
});

describe('each site has its own rules file and deposits under its own structure', () => {
  let sites: TestGateway;
  beforeAll(async () => {
    sites = await startTwoSiteGateway();
  });
  afterAll(async () => {
    await sites?.close();
  });

  it("a document is decided by its site's rules", async () => {
    const north = await fromUnit('CARDIO', sites);
    expect({ status: north.status, site: north.mapping?.documents[0]?.site }).toEqual({
      status: 'skipped',
      site: '999000019',
    });
    const south = await fromUnit('MDA', sites);
    expect({ status: south.status, site: south.mapping?.documents[0]?.site }).toEqual({
      status: 'deposited',
      site: '999000027',
    });
    expect(south.decision).toMatchObject([{ rulesVersion: expect.stringMatching(/^rules-sud\.yaml#/) }]);
  });

  it('a structure the message names (PRT-8) is the site, whatever the unit: its rules, its VIHF', async () => {
    // PRT-8 names the main site (FINEG 999000019); the MDA unit would be the southern one.
    const named = await fromUnit('MDA', sites, SENDER_PRT);
    expect({ status: named.status, site: named.mapping?.documents[0]?.site }).toEqual({
      status: 'skipped',
      site: '999000019',
    });
    expect(named.decision).toMatchObject([{ rulesVersion: expect.stringMatching(/^rules-nord\.yaml#/) }]);
  });

  it('a structure the message names that is none of the sites stays the author institution only', async () => {
    // PRT-8 names another organisation (FINEG 120459876): the site is the MDA unit's (south), its rules
    // decide, and the deposit goes under the south site's structure.
    const foreign = SENDER_PRT.replace('FINEG^^^999000019', 'FINEG^^^120459876');
    expect(foreign).not.toBe(SENDER_PRT);
    const done = await fromUnit('MDA', sites, foreign);
    expect({ status: done.status, site: done.mapping?.documents[0]?.site }).toEqual({
      status: 'deposited',
      site: '999000027',
    });
    expect(sites.sandbox!.document(done.documents[0]!.uniqueId)!.depositorStructureId).toBe('1999000027');
  });

  it("the deposit's VIHF names the site's structure, and so does the deletion of the document", async () => {
    const south = await fromUnit('MDA', sites);
    const uid = south.documents[0]!.uniqueId;
    expect(sites.sandbox!.document(uid)!.depositorStructureId).toBe('1999000027');
    const res = await fetch(`${sites.apiUrl}/api/documents/${uid}`, { method: 'DELETE' });
    expect(res.status).toBe(202);
    const deletion = idFrom(res.headers.get('location'));
    // The sandbox, like the DMP, lets only the depositing structure delete a document.
    const done = await sites.waitFor(deletion, (s) => ['deleted', 'rejected', 'failed'].includes(s.status));
    expect(done.status, JSON.stringify(done.outcome)).toBe('deleted');
    expect(sites.sandbox!.document(uid)!.status).toMatch(/Deleted$/);
  });
});
