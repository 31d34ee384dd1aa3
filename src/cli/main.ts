#!/usr/bin/env node
/** Command-line entry: `dmp-gateway <command> [options]`. */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load.ts';
import { formatIssue, GatewayError } from '../errors/catalogue.ts';
import { startCommand } from '../main.ts';
import { ensureDevPki } from '../pki/dev-pki.ts';
import { dryRunCommand } from './dry-run-command.ts';
import { translateCommand } from './translate.ts';

const USAGE = `usage: dmp-gateway <command> [options]

commands:
  translate <input> --out <dir>   build the DMP deposit (ITI-41) of one document and write it to <dir>
      <input>: FHIR DocumentReference JSON (inline base64 PDF/text) or a ready-made CDA XML file
      --config <file>             configuration JSON (default: $DMP_GATEWAY_CONFIG, else built-in defaults)
      CDA input only:
      --ipp <id>                  local patient id (IPP) when the CDA has none
      --identity-status <code>    INS identity status (default VALI)
      --visibility <codes>        comma-separated TRE_A07 flags (INVISIBLE_PATIENT, INVISIBLE_REPRESENTANTS_LEGAUX, MASQUE_PS)
      --replaces-entry-uuid <id>  entryUUID of the document a CDA replacement (RPLC) replaces
  dry-run <message> [--mapping f] [--rules f]
                                  show the XDS metadata, the feeding decision, the visibility and the lineage
                                  of each value for a FHIR DocumentReference, a CDA or an HL7 v2 message
  start [--role api,worker,sandbox] [--config <file>]
                                  run the gateway (default: every role, with the built-in sandbox DMP)
  pki [--config <file>]           generate the development PKI (CA, signing, TLS client/server) if absent
`;

async function main(argv: string[]): Promise<number | undefined> {
  if (argv[0] === 'dry-run') return dryRunCommand(argv.slice(1));
  if (argv[0] === 'start') {
    await startCommand(argv.slice(1));
    return undefined;
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      config: { type: 'string', short: 'c' },
      ipp: { type: 'string' },
      'identity-status': { type: 'string' },
      visibility: { type: 'string' },
      'replaces-entry-uuid': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, input] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  switch (command) {
    case 'translate':
      if (!input || !values.out) {
        process.stderr.write(`translate needs <input> and --out <dir>\n\n${USAGE}`);
        return 2;
      }
      await translateCommand({
        input,
        out: values.out,
        config: values.config,
        ipp: values.ipp,
        identityStatus: values['identity-status'],
        visibility: values.visibility,
        replacesEntryUUID: values['replaces-entry-uuid'],
      });
      return 0;
    case 'pki': {
      const config = loadConfig(values.config);
      const paths = await ensureDevPki(config.devPkiDir, {
        establishmentName: config.establishment.name,
        finess: config.establishment.finess,
        softwareName: config.software.name,
      });
      process.stdout.write(`${JSON.stringify(paths, null, 2)}\n`);
      return 0;
    }
    default:
      process.stderr.write(`unknown command ${command}\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof GatewayError) {
      process.stderr.write(
        `${err.entry.summary} (${err.code}):\n${err.issues.map((i) => `  ${formatIssue(i)}`).join('\n')}\n`,
      );
    } else {
      process.stderr.write(`error: ${(err as Error).message}\n`);
    }
    process.exitCode = 1;
  },
);
