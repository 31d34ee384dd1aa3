/**
 * The published JSON Schemas of the configuration files
 * (`mappings/schema/mapping.schema.json`, `mappings/schema/rules.schema.json`),
 * generated from the zod schemas that validate them, so the two cannot
 * disagree (a test compares the published files with these). Editors use
 * them for completion: start a YAML file with
 * `# yaml-language-server: $schema=schema/mapping.schema.json`.
 *
 * Regenerate after a schema change: `node src/mappings/json-schema.ts --write`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { rulesFileSchema } from '../rules/schema.ts';
import { mappingFileSchema } from './schema.ts';

/** File name → JSON Schema text (2020-12, 2-space indented, trailing newline). */
export function jsonSchemas(): Record<string, string> {
  const render = (schema: z.ZodType, kind: string, title: string): string => {
    const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' });
    return `${JSON.stringify({ ...json, $id: `urn:dmp-gateway:schema:${kind}`, title }, null, 2)}\n`;
  };
  return {
    'mapping.schema.json': render(mappingFileSchema, 'mapping', 'dmp-gateway mapping file'),
    'rules.schema.json': render(rulesFileSchema, 'rules', 'dmp-gateway CME feeding rules file'),
  };
}

if (import.meta.main && process.argv.includes('--write')) {
  const dir = join(import.meta.dirname, '../../mappings/schema');
  for (const [name, text] of Object.entries(jsonSchemas())) writeFileSync(join(dir, name), text);
}
