import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchemas } from './json-schema.ts';

describe('published JSON Schemas', () => {
  it.each(Object.entries(jsonSchemas()))(
    'mappings/schema/%s is the one generated from the zod schema',
    (name, text) => {
      expect(readFileSync(`mappings/schema/${name}`, 'utf8')).toBe(text);
    },
  );

  it('the example files point editors at them', () => {
    expect(readFileSync('mappings/chu-demo.yaml', 'utf8')).toMatch(
      /^# yaml-language-server: \$schema=schema\/mapping\.schema\.json$/m,
    );
    expect(readFileSync('mappings/rules-chu-demo.yaml', 'utf8')).toMatch(
      /^# yaml-language-server: \$schema=schema\/rules\.schema\.json$/m,
    );
  });
});
