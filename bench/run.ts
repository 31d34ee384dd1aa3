/**
 * `npm run bench`: runs every benchmark of the gateway in one go on this
 * machine and prints the figures. BENCH_SECONDS sets each run's length.
 */
import { benchTranslate } from './translate.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);

function print(title: string, figures: Record<string, number>): void {
  process.stdout.write(`\n${title}\n`);
  for (const [k, v] of Object.entries(figures)) process.stdout.write(`  ${k.padEnd(20)} ${v}\n`);
}

process.stdout.write(
  `node ${process.version}, ${(await import('node:os')).cpus().length} cores, ${seconds}s per run\n`,
);
print(
  'translate: 100 KB PDF → signed ITI-41 deposit (RSA-SHA256), one process',
  await benchTranslate({ seconds, digest: 'sha256' }),
);
print('translate: same, SHA-1 profile', await benchTranslate({ seconds, digest: 'sha1' }));
