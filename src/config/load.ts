/**
 * Loads the configuration once: a JSON file (path from `DMP_GATEWAY_CONFIG`
 * or the caller) overlaid with environment variables, validated by the one
 * schema. Every invalid setting is reported at once.
 */
import { readFileSync } from 'node:fs';
import { GatewayError, type Issue } from '../errors/catalogue.ts';
import { type Config, configSchema } from './schema.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Environment variables that override file settings, by config path. */
const ENV_OVERRIDES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['DMP_SIGN_KEY', ['signing', 'keyFile']],
  ['DMP_SIGN_CERT', ['signing', 'certFile']],
  ['DMP_ITI41_URL', ['dmp', 'iti41Url']],
  ['REDIS_URL', ['redis', 'url']],
  ['REDIS_PREFIX', ['redis', 'prefix']],
  ['PORT', ['http', 'port']],
  ['STORAGE_KEY_FILE', ['storage', 'encryptionKeyFile']],
  ['MLLP_PORT', ['hl7', 'mllpPort']],
];

function setPath(target: Record<string, unknown>, path: readonly string[], value: string): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

/** Validates raw settings; throws CONFIG_INVALID listing every bad setting. */
export function parseConfig(raw: unknown, env: Env = {}): Config {
  const input = structuredClone((raw ?? {}) as Record<string, unknown>);
  for (const [name, path] of ENV_OVERRIDES) {
    const value = env[name];
    if (value) setPath(input, path, value);
  }
  const result = configSchema.safeParse(input);
  if (result.success) return result.data;
  const issues: Issue[] = result.error.issues.map((i) => ({
    code: 'CONFIG_INVALID',
    path: i.path.join('.') || '(root)',
    message: i.message,
  }));
  throw new GatewayError('CONFIG_INVALID', issues);
}

/** Reads the JSON file (if any) and the environment. */
export function loadConfig(
  file: string | undefined = process.env.DMP_GATEWAY_CONFIG,
  env: Env = process.env,
): Config {
  let raw: unknown = {};
  if (file) {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new GatewayError('CONFIG_INVALID', [
        {
          code: 'CONFIG_INVALID',
          path: file,
          message: `cannot read configuration: ${(err as Error).message}`,
        },
      ]);
    }
  }
  return parseConfig(raw, env);
}
