/**
 * The VIHF "connexion secrète" (DOMAIN.md §5; VIHF attribute
 * urn:oasis:names:tc:xspa:1.0:resource:patient:hl7:confidentiality-code =
 * INVISIBLE_REPRESENTANTS_LEGAUX): present in the deposit of a minor who
 * asked for secrecy, absent otherwise. The processor runs one attempt with a
 * DMP port that keeps the deposit it is given.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Deposit } from '../../src/deposit/build-deposit.ts';
import { documentReferenceToSubmission } from '../../src/inbound/fhir/document-reference.ts';
import { randomIds } from '../../src/model/ids.ts';
import { VIHF_ATTRIBUTE } from '../../src/model/vocabulary.ts';
import { processJob } from '../../src/queue/processor.ts';
import { recordOf } from '../../src/store/identity.ts';
import { type Harness, harness, scriptedDmp, silent } from '../support/harness.ts';
import { document } from './support.ts';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h?.close();
});

async function sentVihf(birthDate: string | undefined): Promise<string> {
  const doc = document('discharge', {
    flags: ['INVISIBLE_REPRESENTANTS_LEGAUX'],
    ...(birthDate && { birthDate }),
  });
  const submission = documentReferenceToSubmission(doc, {
    config: h.config,
    ids: randomIds,
    now: new Date(),
  });
  const id = randomUUID();
  await h.store.create(
    recordOf(id, 'fhir', submission, `fhir:${id}`, 'h', new Date()),
    submission,
    new Date(),
  );
  let sent: Deposit | undefined;
  const dmp = scriptedDmp(async () => ({ kind: 'success', response: {} }) as never);
  const result = await processJob(
    id,
    { number: 1, max: 1 },
    {
      store: h.store,
      dmp: {
        ...dmp,
        provideAndRegister: (deposit) => {
          sent = deposit;
          return dmp.provideAndRegister(deposit);
        },
      },
      depositEnv: h.depositEnv,
      log: silent,
      feeding: {
        rules: () => undefined,
        patientFacts: async () => undefined,
        dmpStatus: async () => 'active',
      },
    },
  );
  expect(result).toBe('deposited');
  const security = sent!.envelope.match(/<wsse:Security[\s\S]*<\/wsse:Security>/)?.[0] ?? '';
  expect(security).toContain('saml2:Assertion');
  return security;
}

it('a minor who asked for secrecy: the VIHF carries the connexion secrète', async () => {
  const vihf = await sentVihf('2012-05-01');
  expect(vihf).toContain(`Name="${VIHF_ATTRIBUTE.confidentialityCode}"`);
  expect(vihf).toMatch(/code="INVISIBLE_REPRESENTANTS_LEGAUX"/);
});

it('an adult: no connexion secrète', async () => {
  const vihf = await sentVihf(undefined);
  expect(vihf).not.toContain(VIHF_ATTRIBUTE.confidentialityCode);
});
