// @peculiar/x509 resolves its ASN.1 parsers through tsyringe, which needs the
// Reflect metadata API loaded first; import the library only through this file.
// Tests only: the agent itself writes its requests with der.ts.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** Points the library at Node's WebCrypto (its types name the DOM's Crypto, the same API). */
export function useNodeCrypto(): void {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
}

export { x509 };
