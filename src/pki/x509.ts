/**
 * @peculiar/x509, loaded after the Reflect metadata polyfill it needs (its
 * tsyringe dependency refuses to load without one) and bound to Node's
 * WebCrypto. Import x509 from here, never from the package directly.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
