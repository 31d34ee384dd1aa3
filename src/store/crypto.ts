/**
 * Payload encryption at rest: AES-256-GCM with a random 96-bit IV per
 * payload and the record id as additional authenticated data, so a payload
 * cannot be swapped between records. Layout: version(1) | iv(12) | tag(16) | ciphertext.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GatewayError } from '../errors/catalogue.ts';

const VERSION = 1;

export interface PayloadCipher {
  encrypt(plain: Uint8Array, recordId: string): Buffer;
  decrypt(sealed: Uint8Array, recordId: string): Buffer;
}

export function payloadCipher(key: Uint8Array): PayloadCipher {
  if (key.length !== 32) throw new Error('the payload key must be 32 bytes (AES-256)');
  return {
    encrypt(plain, recordId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(recordId, 'utf8'));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
    },
    decrypt(sealed, recordId) {
      const buf = Buffer.from(sealed);
      if (buf.length < 29 || buf[0] !== VERSION) throw new Error('unknown payload format');
      const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(1, 13));
      decipher.setAAD(Buffer.from(recordId, 'utf8'));
      decipher.setAuthTag(buf.subarray(13, 29));
      return Buffer.concat([decipher.update(buf.subarray(29)), decipher.final()]);
    },
  };
}

/** Reads a 32-byte key written raw, in hex or in base64. */
export function parseKey(bytes: Buffer): Buffer {
  if (bytes.length === 32) return bytes;
  const text = bytes.toString('utf8').trim();
  if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, 'hex');
  const b64 = Buffer.from(text, 'base64');
  if (b64.length === 32) return b64;
  throw new GatewayError('CONFIG_INVALID', [
    {
      code: 'CONFIG_INVALID',
      path: 'storage.encryptionKeyFile',
      message: 'must hold a 32-byte key (raw, 64 hex digits or base64)',
    },
  ]);
}

/** The configured key, or the development key (generated once in `devDir`). */
export function loadPayloadKey(file: string | undefined, devDir: string): Buffer {
  if (file) {
    try {
      return parseKey(readFileSync(file));
    } catch (err) {
      if (err instanceof GatewayError) throw err;
      throw new GatewayError('CONFIG_INVALID', [
        { code: 'CONFIG_INVALID', path: 'storage.encryptionKeyFile', message: `cannot read ${file}` },
      ]);
    }
  }
  const dev = join(devDir, 'payload.key');
  if (!existsSync(dev)) {
    mkdirSync(dirname(dev), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(dev, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return parseKey(readFileSync(dev));
}
