/**
 * ITI-57 on the sandbox DMP: an establishment marks its own document
 * Deleted; another structure's document, another status or an unknown
 * entry are refused with an XDS error and nothing changes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ACTIVE,
  fixtureDeposit,
  post,
  readAnswer,
  startTestSandbox,
  type TestSandbox,
} from '../../test/support/sandbox-client.ts';
import { type RequestEnv, updateStatus } from '../../test/support/sandbox-requests.ts';
import { SCHEMA, xsdErrors } from '../../test/support/xsd.ts';
import { STATUS } from '../model/vocabulary.ts';
import { parseRegistryResponse } from '../xds/registry-response.ts';

let t: TestSandbox;
let env: RequestEnv;
let entryUUID: string;

beforeAll(async () => {
  t = await startTestSandbox();
  env = { ...t, ins: ACTIVE };
});
afterAll(async () => {
  await t.sandbox.close();
});
beforeEach(async () => {
  t.sandbox.reset();
  await post(t, 'iti41', fixtureDeposit(t).http);
  entryUUID = t.sandbox.document('1.2.250.1.999.1.3.1001')!.entryUUID;
});

async function update(message: { contentType: string; body: Buffer }) {
  const { envelope, body } = readAnswer(await post(t, 'iti57', message));
  expect(envelope.action).toBe('urn:ihe:iti:2010:UpdateDocumentSetResponse');
  expect(xsdErrors(body, SCHEMA.xdsRepository)).toEqual([]);
  return parseRegistryResponse(body);
}

const status = () => t.sandbox.document('1.2.250.1.999.1.3.1001')!.status;

describe('ITI-57 UpdateAvailabilityStatus', () => {
  it('marks its own document Deleted', async () => {
    const result = await update(updateStatus(env, { entryUUID }));
    expect(result).toEqual({ status: 'Success', errors: [] });
    expect(status()).toBe(STATUS.deleted);
    expect(t.sandbox.trace().at(-1)).toMatchObject({ endpoint: 'iti57', outcome: 'success' });
  });

  it("refuses another structure's document", async () => {
    const result = await update(updateStatus({ ...env, structureId: '1999000027' }, { entryUUID }));
    expect(result.status).toBe('Failure');
    expect(result.errors.map((e) => e.errorCode)).toEqual(['XDSMetadataUpdateError']);
    expect(result.errors[0]?.codeContext).toMatch(/structure that deposited/);
    expect(status()).toBe(STATUS.approved);
  });

  it('refuses any new status but Deleted', async () => {
    const result = await update(updateStatus(env, { entryUUID, newStatus: STATUS.deprecated }));
    expect(result.errors.map((e) => e.errorCode)).toEqual(['XDSMetadataUpdateError']);
    expect(status()).toBe(STATUS.approved);
  });

  it('refuses a wrong OriginalStatus (already deleted)', async () => {
    expect((await update(updateStatus(env, { entryUUID }))).status).toBe('Success');
    const again = await update(updateStatus(env, { entryUUID }));
    expect(again.errors.map((e) => e.errorCode)).toEqual(['XDSMetadataUpdateError']);
  });

  it('an unknown entry → UnresolvedReferenceException', async () => {
    const result = await update(
      updateStatus(env, { entryUUID: 'urn:uuid:00000000-0000-4000-8000-0000000000ff' }),
    );
    expect(result.errors.map((e) => e.errorCode)).toEqual(['UnresolvedReferenceException']);
  });
});
