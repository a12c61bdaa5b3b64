import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wrapDataKey, unwrapDataKey } from '@wardwatch/shared/sealing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TAG_BYTES } from './chunk-stream';
import { type SealError } from './seal-error';
import { readSealedHeader, rewriteKeySlot, sealFile, unsealFile } from './sealed-file';
import { SEALED_SUFFIX } from './sealed-header';
import { testKek } from './sealing.fixture';

const CHUNK = 1_024;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ww-seal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function sealed(content: Buffer, chunkBytes = CHUNK) {
  const key = testKek();
  const path = join(dir, 'discharge.pdf');
  writeFileSync(path, content);
  const sealedPath = await sealFile(path, key.kek, { policyVersion: 7, chunkBytes });
  return { key, path, sealedPath };
}

async function unsealTo(sealedPath: string, unwrap = testKek().unwrap, name = 'out.pdf') {
  const out = join(dir, name);
  await unsealFile(sealedPath, out, unwrap);
  return readFileSync(out);
}

describe('sealFile / unsealFile round trip', () => {
  it.each([
    ['empty', 0],
    ['one byte', 1],
    ['exactly one chunk', CHUNK],
    ['one chunk and a byte', CHUNK + 1],
    ['many chunks', 10 * CHUNK + 17],
  ])('%s', async (_name, size) => {
    const content = randomBytes(size);
    const { key, path, sealedPath } = await sealed(content);
    expect(sealedPath).toBe(path + SEALED_SUFFIX);
    expect(existsSync(path)).toBe(false);
    expect(statSync(sealedPath).mode & 0o777).toBe(0o600);
    if (size >= 32) expect(readFileSync(sealedPath).includes(content.subarray(0, 32))).toBe(false);
    expect((await unsealTo(sealedPath, key.unwrap)).equals(content)).toBe(true);
    // No temporary file is left behind.
    expect(readdirSync(dir).sort()).toEqual(['discharge.pdf.wwsealed', 'out.pdf']);
  });

  it('a large file with the default chunk size', async () => {
    const content = randomBytes(12 * 1024 * 1024 + 5);
    const key = testKek();
    const path = join(dir, 'scan.dcm');
    writeFileSync(path, content);
    const sealedPath = await sealFile(path, key.kek, { policyVersion: 1 });
    expect((await unsealTo(sealedPath, key.unwrap)).equals(content)).toBe(true);
  });

  it('keeps key id, KEK version and policy version in the header', async () => {
    const { sealedPath } = await sealed(randomBytes(10));
    const header = await readSealedHeader(sealedPath);
    expect(header).toMatchObject({ keyId: 'kek_test', kekVersion: 1, policyVersion: 7, chunkBytes: CHUNK });
  });

  it('refuses a file already sealed, a link, and an output that exists', async () => {
    const { key, sealedPath } = await sealed(randomBytes(10));
    await expect(sealFile(sealedPath, key.kek, { policyVersion: 1 })).rejects.toThrow(/already sealed/);
    writeFileSync(join(dir, 'taken'), 'x');
    await expect(unsealFile(sealedPath, join(dir, 'taken'), key.unwrap)).rejects.toThrow(/already exists/);
  });
});

describe('tampering is detected', () => {
  const content = randomBytes(4 * CHUNK + 100);
  const sealedChunk = CHUNK + TAG_BYTES;

  async function expectRefused(change: (bytes: Buffer, bodyOffset: number) => Buffer, pattern: RegExp) {
    const { key, sealedPath } = await sealed(content);
    const { bodyOffset } = await readSealedHeader(sealedPath);
    writeFileSync(sealedPath, change(readFileSync(sealedPath), bodyOffset));
    await expect(unsealTo(sealedPath, key.unwrap)).rejects.toThrow(pattern);
    expect(existsSync(join(dir, 'out.pdf'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['discharge.pdf.wwsealed']);
  }
  const flip = (at: number) => (bytes: Buffer) => {
    bytes[at] ^= 0x01;
    return bytes;
  };

  it('in the magic', () => expectRefused(flip(0), /not a WardWatch sealed file/));
  it('in the format version', () => expectRefused(flip(4), /format version/));
  it('in the key id', () => expectRefused(flip(7), /does not open|unknown KEK/));
  it('in the policy version', () => expectRefused((b, body) => flip(body - 96 - 5)(b), /does not open/));
  it('in the KEK version', () => expectRefused((b, body) => flip(body - 96 + 3)(b), /unknown KEK/));
  it('in the wrapped data key', () => expectRefused((b, body) => flip(body - 10)(b), /does not open/));

  for (let chunk = 0; chunk < 5; chunk++) {
    it(`in chunk ${chunk}`, () =>
      expectRefused((b, body) => flip(body + chunk * sealedChunk + 3)(b), new RegExp(`chunk ${chunk}`)));
    it(`in chunk ${chunk}'s tag`, () =>
      expectRefused(
        (b, body) => flip(Math.min(b.length - 1, body + (chunk + 1) * sealedChunk - 1))(b),
        new RegExp(`chunk ${chunk}`),
      ));
  }

  it('truncation at a chunk boundary', () =>
    expectRefused((b, body) => b.subarray(0, body + 3 * sealedChunk), /chunk 2, the last one/));
  it('truncation inside a chunk', () => expectRefused((b) => b.subarray(0, b.length - 50), /does not authenticate/));
  it('truncation to the header', () => expectRefused((b, body) => b.subarray(0, body), /cut short/));
  it('bytes appended after the last chunk', () =>
    expectRefused((b) => Buffer.concat([b, randomBytes(40)]), /does not authenticate/));
  it('two chunks swapped', () =>
    expectRefused((b, body) => {
      const first = Buffer.from(b.subarray(body, body + sealedChunk));
      b.copy(b, body, body + sealedChunk, body + 2 * sealedChunk);
      first.copy(b, body + sealedChunk);
      return b;
    }, /chunk 0/));
  it('a chunk dropped from the middle', () =>
    expectRefused(
      (b, body) => Buffer.concat([b.subarray(0, body + sealedChunk), b.subarray(body + 2 * sealedChunk)]),
      /chunk 1/,
    ));

  it('a header moved onto another file is refused', async () => {
    const key = testKek();
    writeFileSync(join(dir, 'a'), randomBytes(3000));
    writeFileSync(join(dir, 'b'), randomBytes(3000));
    const a = await sealFile(join(dir, 'a'), key.kek, { policyVersion: 1, chunkBytes: CHUNK });
    const b = await sealFile(join(dir, 'b'), key.kek, { policyVersion: 1, chunkBytes: CHUNK });
    const { bodyOffset } = await readSealedHeader(a);
    writeFileSync(b, Buffer.concat([readFileSync(a).subarray(0, bodyOffset), readFileSync(b).subarray(bodyOffset)]));
    await expect(unsealTo(b, key.unwrap)).rejects.toThrow(/chunk 0/);
  });
});

describe('keys', () => {
  it('another KEK does not open the data key', async () => {
    const { sealedPath } = await sealed(randomBytes(100));
    const other = testKek();
    await expect(unsealTo(sealedPath, other.unwrap)).rejects.toThrow(/does not open/);
  });

  it('a data key the manager got wrong fails at the first chunk', async () => {
    const { sealedPath } = await sealed(randomBytes(100));
    await expect(unsealTo(sealedPath, () => Promise.resolve(randomBytes(32)))).rejects.toMatchObject({
      code: 'damaged',
    } satisfies Partial<SealError>);
  });

  it('a re-wrapped key slot opens under the new KEK version, the data untouched', async () => {
    const content = randomBytes(3 * CHUNK);
    const { key, sealedPath } = await sealed(content);
    const header = await readSealedHeader(sealedPath);
    const bodyBefore = readFileSync(sealedPath).subarray(header.bodyOffset);
    // What the manager does on re-wrap: unwrap under v1, wrap under v2.
    const v2 = testKek('kek_test', 2);
    const dataKey = unwrapDataKey(key.privateKeyDer, header.wrappedKey, {
      keyId: header.keyId,
      kekVersion: 1,
      headerDigest: header.digest,
    });
    const wrappedKey = wrapDataKey(v2.kek.publicKey, dataKey, {
      keyId: 'kek_test',
      kekVersion: 2,
      headerDigest: header.digest,
    });
    await rewriteKeySlot(sealedPath, header.digest, { kekVersion: 2, wrappedKey });
    expect(readFileSync(sealedPath).subarray(header.bodyOffset).equals(bodyBefore)).toBe(true);
    await expect(unsealTo(sealedPath, key.unwrap, 'old.pdf')).rejects.toThrow(/unknown KEK/);
    expect((await unsealTo(sealedPath, v2.unwrap)).equals(content)).toBe(true);
  });
});
