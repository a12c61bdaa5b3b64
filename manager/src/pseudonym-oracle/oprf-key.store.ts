// The OPRF key at rest: `oprf.key` in the data folder, sealed under the master key
// (keys/master-key.provider.ts, so a KMS or an HSM that replaces it covers this key too),
// owner-only, made at first start. The file holds only the sealed scalar.
import type { OprfSuite } from '@wardwatch/shared/oprf';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MasterKeyProvider } from '../keys/master-key.provider';
import { OprfKey } from './oprf-key';

export const OPRF_KEY_FILE = 'oprf.key';
/** Bound into the seal: this sealed blob opens only as the OPRF key. */
const CONTEXT = 'wardwatch oprf key v1';

export async function loadOrCreateOprfKey(
  dataDir: string,
  master: MasterKeyProvider,
  suite: OprfSuite,
): Promise<OprfKey> {
  const path = join(dataDir, OPRF_KEY_FILE);
  if (existsSync(path)) {
    chmodSync(path, 0o600);
    const secret = await master.open(readFileSync(path), CONTEXT).catch(() => {
      throw new Error(`${path} does not open under the master key ${master.keyId}`);
    });
    return new OprfKey(secret, suite);
  }
  const { key, secret } = OprfKey.generate(suite);
  writeFileSync(path, await master.seal(Buffer.from(secret), CONTEXT), { mode: 0o600, flag: 'wx' });
  return key;
}
