// A real KEK pair for tests: the agent's half (public) and an unwrap that does what the
// manager does with the private half, with no manager in between.
import { generateKek, unwrapDataKey } from '@wardwatch/shared/sealing';
import type { SealingKek, UnwrapDataKey } from './sealed-file';

export interface TestKek {
  kek: SealingKek;
  privateKeyDer: Buffer;
  unwrap: UnwrapDataKey;
}

export function testKek(keyId = 'kek_test', version = 1): TestKek {
  const pair = generateKek();
  const kek = { keyId, version, publicKey: pair.publicKey };
  return {
    kek,
    privateKeyDer: pair.privateKeyDer,
    unwrap: (request) => {
      if (request.keyId !== keyId || request.kekVersion !== version) return Promise.reject(new Error('unknown KEK'));
      return Promise.resolve(unwrapDataKey(pair.privateKeyDer, request.wrappedKey, { ...request }));
    },
  };
}
