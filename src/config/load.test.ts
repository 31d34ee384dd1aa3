import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/catalogue.ts';
import { parseConfig } from './load.ts';

describe('configuration', () => {
  it('fills every default from an empty file', () => {
    const config = parseConfig({});
    expect(config.establishment.finess).toMatch(/^\d{9}$/);
    expect(config.signing.digest).toBe('sha256');
    expect(config.vihf.version).toBe('3.0');
  });

  it('takes the signing key and certificate from the environment', () => {
    const config = parseConfig({}, { DMP_SIGN_KEY: '/k.pem', DMP_SIGN_CERT: '/c.pem' });
    expect(config.signing).toMatchObject({ keyFile: '/k.pem', certFile: '/c.pem' });
  });

  it('lists every bad setting at once', () => {
    try {
      parseConfig({
        establishment: { finess: '12' },
        ids: { sourceId: 'not-an-oid' },
        signing: { digest: 'md5' },
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(GatewayError);
      const paths = (err as GatewayError).issues.map((i) => i.path).sort();
      expect(paths).toEqual(['establishment.finess', 'ids.sourceId', 'signing.digest']);
    }
  });
});
