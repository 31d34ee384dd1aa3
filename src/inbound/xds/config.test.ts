import { describe, expect, it } from 'vitest';
import { DEFAULT_XDS_CONFIG, xdsConfigSchema } from './config.ts';
import { mapCode, mappingFor, siteOf } from './source-mapping.ts';

describe('XDS door settings and source mappings', () => {
  it('defaults, and a mapping read from configuration applies to its source only', () => {
    expect(DEFAULT_XDS_CONFIG).toMatchObject({ maxDepth: 64, maxParts: 100, sources: [] });
    const config = xdsConfigSchema.parse({
      sources: [
        {
          sourceId: '1.2.250.1.999.7.1',
          site: { finess: '330781196', name: 'CHU Site Sud' },
          codes: {
            typeCode: [
              {
                from: { code: 'L1', codeSystem: '1.9' },
                to: { code: '11490-0', codeSystem: '2.16.840.1.113883.6.1' },
              },
            ],
          },
        },
      ],
    });
    const mapping = mappingFor(config.sources, '1.2.250.1.999.7.1');
    expect(mapCode(mapping, 'typeCode', { code: 'L1', codeSystem: '1.9' }).code).toBe('11490-0');
    expect(mapCode(mapping, 'typeCode', { code: 'L2', codeSystem: '1.9' }).code).toBe('L2');
    expect(mapCode(mapping, 'practiceSettingCode', { code: 'L1', codeSystem: '1.9' }).code).toBe('L1');
    expect(mappingFor(config.sources, '1.2.3')).toBeUndefined();
    expect(siteOf(mapping, { finess: '999000019', name: 'E' })).toEqual({
      id: '1330781196',
      name: 'CHU Site Sud',
    });
    expect(siteOf(undefined, { finess: '999000019', name: 'E' })).toEqual({ id: '1999000019', name: 'E' });
  });

  it('refuses a bad sourceId, FINESS, or two mappings of one source', () => {
    const bad = xdsConfigSchema.safeParse({
      sources: [
        { sourceId: 'not-an-oid', site: { finess: '12', name: 'x' } },
        { sourceId: '1.2', codes: {} },
        { sourceId: '1.2' },
      ],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'sources.0.sourceId',
      'sources.0.site.finess',
      'sources',
    ]);
  });
});
