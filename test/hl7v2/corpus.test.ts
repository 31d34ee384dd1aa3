/**
 * Every HL7 v2 message of ../shared/corpus/hl7v2 sent over MLLP (and the
 * same over `POST /hl7`) gets its acknowledgement: MSA-1 and MSA-2 as the
 * message translators decide (src/inbound/hl7v2/corpus.test.ts), the first
 * ERR located and coded, and one ERR per problem the translator reports.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { context } from '../../fixtures/hl7v2/context.ts';
import { CATALOGUE, type CatalogueEntry, GatewayError } from '../../src/errors/catalogue.ts';
import { errorLocation } from '../../src/inbound/hl7v2/ack.ts';
import { translateHl7 } from '../../src/inbound/hl7v2/translate.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { testRedis } from '../support/redis.ts';
import { corpusFile } from '../support/xsd.ts';
import { postHl7, readAck, sendMllp } from './support.ts';

const ROOT = corpusFile('hl7v2');

/** MSA-1, MSA-2 and the first ERR (`ERR-2 ERR-3.1`) of each file's ACK. */
const EXPECTED: Readonly<Record<string, readonly [string, string, string?]>> = {
  'fr-ans/adt/admission.er7': ['AA', '3975'],
  'fr-ans/adt/sortie.er7': ['AA', '3995'],
  'fr-ans/adt/ConsentementConsultation_NonOppositionAlimentation.er7': ['AA', '3975'],
  'fr-ans/adt/NonConsentementConsultation_OppositionAlimentation.er7': ['AA', '3977'],
  'fr-ans/mdm/ack.er7': ['AE', '016', 'MSH^1^9^1^1 200'],
  'fr-ans/mdm/message_MDM_CR_Radio_INIT_N1.er7': ['AE', '015', 'OBX^1^5^1^5 207'],
  'fr-ans/mdm/message_MDM_CR_Radio_INIT_N1_Base64.er7': ['AE', '015', 'OBX^1^5^1^5 207'],
  'fr-ans/mdm/message_MDM_CR_Radio_RPLC_N1.er7': ['AE', '015', 'OBX^1^5^1^5 207'],
  'fr-ans/mdm/message_MDM_CR_Radio_DEL_N1.er7': ['AA', '015'],
  'fr-ans/oru/ack.hl7': ['AE', '016', 'MSH^1^9^1^1 200'],
  'fr-ans/oru/Message-metier-reception-DMP.er7': ['AE', '017', 'MSH^1^9^1^1 200'],
  'fr-ans/oru/message_ORU_CR_Bio_INIT_N1_N3.hl7': ['AE', '015', 'OBX^1^5^1^5 207'],
  'fr-ans/oru/message_ORU_CR_Bio_RPLC_N1_N3.er7': ['AE', '015', 'OBX^1^5^1^5 207'],
  'fr-ans/oru/message_ORU_CR_Bio_DEL_N1_N3.er7': ['AE', '015', 'OBX^1^5^1^5 207'],
  'fr-ans/oru/message_ORU_CR_Bio_INIT_N3_SEGUR.hl7': ['AA', '015'],
  'ipf/A01.hl7': ['AE', '371601', 'MSH^1^12^1 203'],
  'ipf/msg-02.hl7': ['AE', '20050915785887650000', 'MSH^1^18^1 103'],
  'microsoft/ADT-A01-01.hl7': ['AE', 'MSG00001', 'MSH^1^12^1 203'],
  'microsoft/MDM-T02-01.hl7': ['AE', 'PS1-20080131160038', 'MSH^1^12^1 203'],
  'microsoft/MDM-T02-03.hl7': ['AE', '112', 'MSH^1^12^1 203'],
  'microsoft/MDM-T10-01.hl7': ['AE', 'PS1-20080131160038', 'MSH^1^12^1 203'],
  'microsoft/ORU-R01-RMGEAD.hl7': ['AE', 'CNTRL-3456', 'MSH^1^12^1 203'],
  'microsoft/LAB-ORU-1.hl7': ['AE', '182', 'OBR^2 198'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) =>
    statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)],
  );
}

/** One `ERR-2 ERR-3.1` per issue the translator reports, or none. */
function translatorErrors(bytes: Uint8Array): string[] {
  try {
    translateHl7(bytes, context());
    return [];
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    return err.issues.map(
      (i) => `${errorLocation(i.path)} ${(CATALOGUE[i.code] as CatalogueEntry).hl7 ?? '207'}`,
    );
  }
}

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

/**
 * The corpus files are independent examples; two of them (admission and
 * ConsentementConsultation) are different messages with the same MSH-10 from
 * the same sender, which the gateway refuses as a reused control id (tested
 * below). The ACK memory is emptied between files.
 */
async function forgetAcks(): Promise<void> {
  const redis = await testRedis();
  const keys = await redis.keys(`${gw.config.redis.prefix}:hl7ack:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}

it('has an expectation for every corpus file', () => {
  expect(
    files(ROOT)
      .map((f) => relative(ROOT, f))
      .sort(),
  ).toEqual(Object.keys(EXPECTED).sort());
});

for (const [file, [code, acknowledged, firstError]] of Object.entries(EXPECTED)) {
  it(`${file} → ${code}`, async () => {
    const bytes = readFileSync(join(ROOT, file));
    await forgetAcks();
    const overMllp = readAck(await sendMllp(gw, bytes));
    expect([overMllp.code, overMllp.acknowledged]).toEqual([code, acknowledged]);
    expect(overMllp.errors[0]).toBe(firstError);
    expect(overMllp.errors).toEqual(translatorErrors(bytes));
    await forgetAcks();
    const overHttp = await postHl7(gw, bytes);
    expect(overHttp.status).toBe(200);
    expect(overHttp.type).toBe('x-application/hl7-v2+er7');
    const viaHttp = readAck(overHttp.body);
    expect([viaHttp.code, viaHttp.acknowledged, viaHttp.errors]).toEqual([
      code,
      acknowledged,
      overMllp.errors,
    ]);
  });
}

it('two different corpus messages with one MSH-10 from one sender: the second is refused', async () => {
  await forgetAcks();
  const first = readFileSync(join(ROOT, 'fr-ans/adt/admission.er7'));
  const second = readFileSync(
    join(ROOT, 'fr-ans/adt/ConsentementConsultation_NonOppositionAlimentation.er7'),
  );
  expect(readAck(await sendMllp(gw, first)).code).toBe('AA');
  const refused = readAck(await sendMllp(gw, second));
  expect([refused.code, refused.acknowledged, refused.errors]).toEqual(['AE', '3975', ['MSH^1^10^1 207']]);
});
