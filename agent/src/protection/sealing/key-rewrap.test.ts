import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKek, unwrapDataKey, wrapDataKey } from '@wardwatch/shared/sealing';
import { describe, expect, it } from 'vitest';
import { rewrapFolders, type RewrapCall } from './key-rewrap';
import { readSealedHeader, sealFile, unsealFile, type UnwrapDataKey } from './sealed-file';

/** Two versions of one KEK and the manager's half of a re-wrap and an unwrap, with real keys. */
function rotatedKek() {
  const v1 = generateKek();
  const v2 = generateKek();
  const privateOf = (version: number) => (version === 1 ? v1.privateKeyDer : version === 2 ? v2.privateKeyDer : null);
  const rewrap: RewrapCall = (keyId, keys) =>
    Promise.resolve({
      kekVersion: 2,
      results: keys.map((k) => {
        const der = privateOf(k.kekVersion);
        if (!der) return { wrappedKey: null, error: 'no such version of this key' };
        const dataKey = unwrapDataKey(der, k.wrappedKey, {
          keyId,
          kekVersion: k.kekVersion,
          headerDigest: k.headerDigest,
        });
        return {
          wrappedKey: wrapDataKey(v2.publicKey, dataKey, { keyId, kekVersion: 2, headerDigest: k.headerDigest }),
          error: '',
        };
      }),
    });
  const unwrapWith =
    (version: number): UnwrapDataKey =>
    (r) => {
      const der = privateOf(version);
      if (!der || r.kekVersion !== version) return Promise.reject(new Error('revoked or unknown version'));
      return Promise.resolve(unwrapDataKey(der, r.wrappedKey, { ...r }));
    };
  return {
    v1: { keyId: 'kek_ws1', version: 1, publicKey: v1.publicKey },
    v2: { keyId: 'kek_ws1', version: 2, publicKey: v2.publicKey },
    rewrap,
    unwrapWith,
  };
}

describe('rewrapFolders', () => {
  it('gives old files the new wrapped key without touching their data, and leaves current ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-rewrap-'));
    mkdirSync(join(dir, 'sub'));
    const k = rotatedKek();
    writeFileSync(join(dir, 'a.txt'), 'discharge a');
    writeFileSync(join(dir, 'sub', 'b.txt'), 'discharge b');
    writeFileSync(join(dir, 'c.txt'), 'discharge c');
    const a = await sealFile(join(dir, 'a.txt'), k.v1, { policyVersion: 3 });
    const b = await sealFile(join(dir, 'sub', 'b.txt'), k.v1, { policyVersion: 3 });
    const c = await sealFile(join(dir, 'c.txt'), k.v2, { policyVersion: 3 });
    const bodyBefore = (path: string, offset: number) => readFileSync(path).subarray(offset);
    const headerA = await readSealedHeader(a);
    const dataBefore = bodyBefore(a, headerA.bodyOffset);

    expect(await rewrapFolders([dir], k.v2, k.rewrap)).toEqual({ rewrapped: 2, current: 1, failed: 0 });
    expect((await readSealedHeader(a)).kekVersion).toBe(2);
    expect(bodyBefore(a, headerA.bodyOffset).equals(dataBefore)).toBe(true);
    // Opened with version 2 only (as after version 1 is retired), every file is whole.
    for (const [path, text] of [
      [a, 'discharge a'],
      [b, 'discharge b'],
      [c, 'discharge c'],
    ] as const) {
      const out = `${path}.out`;
      await unsealFile(path, out, k.unwrapWith(2));
      expect(readFileSync(out, 'utf8')).toBe(text);
    }
    expect(await rewrapFolders([dir], k.v2, k.rewrap)).toEqual({ rewrapped: 0, current: 3, failed: 0 });
  });
});
