/**
 * Per-sender HL7 settings (`hl7.senders`): whether a sending system wants
 * business acknowledgements by default and the MLLP endpoint they go to.
 */
import { readFileSync } from 'node:fs';
import type { Config } from '../config/schema.ts';
import type { MllpClientOptions } from '../inbound/hl7v2/transport/mllp-client.ts';

export type SenderSettings = Config['hl7']['senders'][number];

/** The settings of the sender `party` (MSH-3 exact; MSH-4 exact unless the setting leaves it empty). */
export function senderSettings(
  config: Pick<Config, 'hl7'>,
  party: { readonly application: string; readonly facility: string },
): SenderSettings | undefined {
  return config.hl7.senders.find(
    (s) => s.application === party.application && (s.facility === '' || s.facility === party.facility),
  );
}

/**
 * Whether the sender gets a ZAM^Z01: the message's ACK_RECEPTION flag when it states one (Y or N: the volet
 * makes N mean "not wanted"), else the sender's setting, else the default.
 */
export function wantsBusinessAck(
  config: Pick<Config, 'hl7'>,
  party: { readonly application: string; readonly facility: string },
  flag: boolean,
  stated = flag,
): boolean {
  if (stated) return flag;
  return senderSettings(config, party)?.businessAck ?? config.hl7.businessAck;
}

/** Where the sender's business acknowledgements go, or undefined when it has no endpoint. */
export function ackEndpoint(
  settings: SenderSettings | undefined,
  timeoutMs: number,
): MllpClientOptions | undefined {
  if (!settings?.ackHost || !settings.ackPort) return undefined;
  const read = (file: string | undefined) => (file ? readFileSync(file, 'utf8') : undefined);
  const t = settings.tls;
  return {
    host: settings.ackHost,
    port: settings.ackPort,
    timeoutMs,
    ...(t && {
      tls: {
        caPem: read(t.caFile),
        certPem: read(t.certFile),
        keyPem: read(t.keyFile),
        servername: t.servername,
      },
    }),
  };
}
