import { describe, expect, it } from 'vitest';
import { isOid } from '../model/code-systems.ts';
import { N1_FORMAT_CODE, OID } from '../model/vocabulary.ts';
import { CDA_MODEL_FORMAT_CODES, modelFormatCode, n1FormatCode } from './format-codes.ts';

describe('format codes', () => {
  it('keys the model table by OID, with URN codes in the TRE_A06 or TRE_A11 scheme', () => {
    const schemes = new Set([OID.formatCodeScheme, OID.formatCodeComplementaryScheme]);
    for (const [templateId, code] of Object.entries(CDA_MODEL_FORMAT_CODES)) {
      expect(isOid(templateId), templateId).toBe(true);
      expect(code.code, templateId).toMatch(/^urn:(ihe|asip|ans):[\w.:-]+$/);
      expect(schemes.has(code.codeSystem as never), templateId).toBe(true);
      expect(code.codeSystem === OID.formatCodeScheme, templateId).toBe(code.code.startsWith('urn:ihe:'));
    }
    expect(CDA_MODEL_FORMAT_CODES['1.3.6.1.4.1.19376.1.8.1.1.2.16']?.code).toBe(
      'urn:ihe:pat:apsr:urinary_bladder:2010',
    );
  });

  it('uses the French codes for JPEG, TIFF and RTF (ASS_A12)', () => {
    expect(N1_FORMAT_CODE['image/jpeg']).toBe('urn:ihe:iti-fr:xds-sd:jpeg:2010');
    expect(N1_FORMAT_CODE['image/tiff']).toBe('urn:ihe:iti-fr:xds-sd:tiff:2010');
    expect(N1_FORMAT_CODE['text/rtf']).toBe('urn:ihe:iti-fr:xds-sd:rtf:2010');
  });

  it('normalises the media type of N1 documents', () => {
    expect(n1FormatCode('Application/PDF; name=x.pdf')).toMatchObject({
      code: 'urn:ihe:iti:xds-sd:pdf:2008',
      codeSystem: OID.formatCodeScheme,
    });
    expect(n1FormatCode('image/png')).toBeUndefined();
  });

  it('takes the first mapped templateId, configured rows first', () => {
    const ids = [
      '2.16.840.1.113883.2.8.2.1',
      '1.2.250.1.213.1.1.1.1',
      '1.2.250.1.213.1.1.1.5',
      '1.2.250.1.213.1.1.1.5.4',
    ];
    expect(modelFormatCode(ids)?.code).toBe('urn:ans:ci-sis:cse-mde:2023');
    const local = { code: 'urn:local:2025', codeSystem: OID.formatCodeComplementaryScheme };
    expect(modelFormatCode(ids, { '1.2.250.1.213.1.1.1.5': local })).toBe(local);
    expect(modelFormatCode(['1.2.250.1.213.1.1.1.1'])).toBeUndefined();
  });
});
