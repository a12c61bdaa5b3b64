// Sealing and unsealing one file on disk. The agent holds only the public half of its
// key-encryption key (KEK): it seals offline, but opening needs the manager to unwrap
// the data key (`UnwrapDataKey`), so a revoked KEK opens nothing and every open is in
// the manager's audit.
//
// Writes are atomic: the output goes to a temporary file (0600) beside the target,
// is fsynced, then renamed into place and the folder fsynced. A sealed file keeps its
// name plus `.wwsealed`; the clear original is removed only after its sealed copy is
// durable. An unsealed copy is renamed into place only after its last chunk authenticated,
// so no unauthenticated byte ever reaches the named output.
import { createReadStream, createWriteStream } from 'node:fs';
import { createSecretKey, randomBytes } from 'node:crypto';
import { lstat, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DATA_KEY_BYTES, wrapDataKey } from '@wardwatch/shared/sealing';
import { openChunks, sealChunks, TAG_BYTES } from './chunk-stream';
import { SealError } from './seal-error';
import {
  digestOf,
  encodeContentHeader,
  encodeKeySlot,
  MAX_HEADER_BYTES,
  parseHeader,
  SEALED_SUFFIX,
  type KeySlot,
  type SealedHeader,
} from './sealed-header';

// 1 MiB: per-chunk costs (a cipher, a tag) stay small next to the data; memory stays about two chunks.
export const DEFAULT_CHUNK_BYTES = 1_024 * 1_024;
export const TEMP_MARK = '.wwtmp-';

/** The public half of the workstation's KEK, as the manager issued it. */
export interface SealingKek {
  keyId: string;
  version: number;
  publicKey: Buffer;
}

/** What the manager needs to unwrap a file's data key (the CLI adds the user and the reason). */
export interface UnwrapRequest {
  keyId: string;
  kekVersion: number;
  wrappedKey: Buffer;
  headerDigest: Buffer;
  policyVersion: number;
}

/** Asks the manager for the data key; rejects when it refuses. */
export type UnwrapDataKey = (request: UnwrapRequest) => Promise<Buffer>;

export interface SealOptions {
  policyVersion: number;
  chunkBytes?: number;
}

/** Seals a regular file in place (`name` → `name.wwsealed`); returns the sealed path. */
export async function sealFile(path: string, kek: SealingKek, options: SealOptions): Promise<string> {
  if (path.endsWith(SEALED_SUFFIX)) throw new SealError('bad_input', `${path} is already sealed`);
  await requireRegularFile(path);
  const content = encodeContentHeader({
    keyId: kek.keyId,
    policyVersion: options.policyVersion,
    chunkBytes: options.chunkBytes ?? DEFAULT_CHUNK_BYTES,
  });
  const digest = digestOf(content);
  const dataKey = randomBytes(DATA_KEY_BYTES);
  const slot = encodeKeySlot({
    kekVersion: kek.version,
    wrappedKey: wrapDataKey(kek.publicKey, dataKey, {
      keyId: kek.keyId,
      kekVersion: kek.version,
      headerDigest: digest,
    }),
  });
  const key = createSecretKey(dataKey);
  dataKey.fill(0);
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const target = path + SEALED_SUFFIX;
  await writeAtomically(target, async (out) => {
    await pipeline(
      // Reads of one chunk each: the default 64 KiB pieces cost a generator step and a cipher call each.
      createReadStream(path, { highWaterMark: chunkBytes }),
      async function* (source: AsyncIterable<Buffer>) {
        yield content;
        yield slot;
        yield* sealChunks(source, key, digest, chunkBytes);
      },
      out,
    );
  });
  await rm(path);
  return target;
}

/** Reads and checks the header of a sealed file. */
export async function readSealedHeader(path: string): Promise<SealedHeader> {
  const handle = await open(path, 'r');
  try {
    const start = Buffer.alloc(MAX_HEADER_BYTES);
    const { bytesRead } = await handle.read(start, 0, start.length, 0);
    return parseHeader(start.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** Writes the clear content of `sealedPath` to `outPath` (which must not exist) once every chunk authenticated. */
export async function unsealFile(sealedPath: string, outPath: string, unwrap: UnwrapDataKey): Promise<SealedHeader> {
  const header = await readSealedHeader(sealedPath);
  if (await exists(outPath)) throw new SealError('bad_input', `${outPath} already exists`);
  const dataKey = await unwrap({
    keyId: header.keyId,
    kekVersion: header.kekVersion,
    wrappedKey: header.wrappedKey,
    headerDigest: header.digest,
    policyVersion: header.policyVersion,
  });
  if (dataKey.length !== DATA_KEY_BYTES)
    throw new SealError('wrong_key', 'the manager answered with a malformed data key');
  const key = createSecretKey(dataKey);
  dataKey.fill(0);
  await writeAtomically(outPath, (out) =>
    pipeline(
      // One sealed chunk (body and tag) per read, so chunks are cut without copying.
      createReadStream(sealedPath, { start: header.bodyOffset, highWaterMark: header.chunkBytes + TAG_BYTES }),
      (source: AsyncIterable<Buffer>) => openChunks(source, key, header.digest, header.chunkBytes),
      out,
    ),
  );
  return header;
}

/**
 * Replaces the key slot of a sealed file (a re-wrap after a KEK rotation): the data is not
 * touched. The slot has a fixed size and sits at a fixed offset, so this is one small write,
 * refused when the file's content header is not the one the new slot was wrapped for.
 */
export async function rewriteKeySlot(path: string, expectedDigest: Buffer, slot: KeySlot): Promise<void> {
  const header = await readSealedHeader(path);
  if (!header.digest.equals(expectedDigest)) throw new SealError('damaged', `${path} changed while it was re-wrapped`);
  const handle = await open(path, 'r+');
  try {
    await handle.write(encodeKeySlot(slot), 0, undefined, header.keySlotOffset);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function requireRegularFile(path: string): Promise<void> {
  // lstat: a link planted in a sealed folder must not make the agent seal (and remove) its target.
  const stat = await lstat(path);
  if (!stat.isFile()) throw new SealError('bad_input', `${path} is not a regular file`);
}

async function writeAtomically(target: string, write: (out: NodeJS.WritableStream) => Promise<void>): Promise<void> {
  const temp = join(dirname(target), `.${basename(target)}${TEMP_MARK}${randomBytes(6).toString('hex')}`);
  try {
    await write(createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
    const handle = await open(temp, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(dirname(target));
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot fsync a folder; the rename is still atomic there.
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
