// @peculiar/x509 resolves its parsers through tsyringe, which needs the Reflect
// metadata API first; import the library only through this file.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

let ready = false;

/** Points the library at Node's WebCrypto (its types name the DOM's Crypto, the same API). */
export function useNodeCrypto(): typeof x509 {
  if (!ready) {
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    ready = true;
  }
  return x509;
}

export { x509 };
