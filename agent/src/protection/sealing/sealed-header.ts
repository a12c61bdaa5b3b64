// The header of a sealed file (`.wwsealed`), in two parts:
//
//   content header: magic "WWSL" ‖ format version (u8) ‖ key id length (u8) ‖ key id ‖
//                   policy version (u32) ‖ chunk size (u32)
//   key slot:       KEK version (u32) ‖ wrapped data key (92 bytes)
//
// Every byte is authenticated. The content header's SHA-256 is the associated data of
// every chunk and of the wrapped key; the key slot is the wrapped key's own AEAD (its
// associated data holds the KEK version). The key slot has a fixed size so that a
// rotation rewrites it in place (re-wrap) without touching, or re-encrypting, the data;
// that is also why it is not part of the chunks' associated data.
import { createHash } from 'node:crypto';
import { WRAPPED_KEY_BYTES } from '@wardwatch/shared/sealing';
import { SealError } from './seal-error';

export const SEALED_SUFFIX = '.wwsealed';
export const FORMAT_VERSION = 1;
export const SEALED_MAGIC = Buffer.from('WWSL');
const MAGIC = SEALED_MAGIC;
export const MAX_KEY_ID_LENGTH = 64;
export const KEY_SLOT_BYTES = 4 + WRAPPED_KEY_BYTES;
/** The most a header can take: a reader never reads more before it knows the file is ours. */
export const MAX_HEADER_BYTES = MAGIC.length + 2 + MAX_KEY_ID_LENGTH + 8 + KEY_SLOT_BYTES;
export const MIN_CHUNK_BYTES = 1_024;
export const MAX_CHUNK_BYTES = 4 * 1_024 * 1_024;
const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export interface ContentHeader {
  keyId: string;
  policyVersion: number;
  chunkBytes: number;
}

export interface KeySlot {
  kekVersion: number;
  wrappedKey: Buffer;
}

export interface SealedHeader extends ContentHeader, KeySlot {
  /** The content header's bytes, as written (authenticated by every chunk). */
  content: Buffer;
  /** SHA-256 of `content`. */
  digest: Buffer;
  /** Where the key slot starts in the file. */
  keySlotOffset: number;
  /** Where the first chunk starts. */
  bodyOffset: number;
}

export function encodeContentHeader(header: ContentHeader): Buffer {
  if (!KEY_ID.test(header.keyId)) throw new SealError('bad_input', 'the key id is not valid');
  checkU32(header.policyVersion, 'policy version');
  if (header.chunkBytes < MIN_CHUNK_BYTES || header.chunkBytes > MAX_CHUNK_BYTES)
    throw new SealError('bad_input', 'the chunk size is out of range');
  const id = Buffer.from(header.keyId, 'ascii');
  const tail = Buffer.alloc(8);
  tail.writeUInt32BE(header.policyVersion, 0);
  tail.writeUInt32BE(header.chunkBytes, 4);
  return Buffer.concat([MAGIC, Buffer.from([FORMAT_VERSION, id.length]), id, tail]);
}

export function encodeKeySlot(slot: KeySlot): Buffer {
  checkU32(slot.kekVersion, 'KEK version');
  if (slot.wrappedKey.length !== WRAPPED_KEY_BYTES)
    throw new SealError('bad_input', 'the wrapped key has the wrong size');
  const version = Buffer.alloc(4);
  version.writeUInt32BE(slot.kekVersion);
  return Buffer.concat([version, slot.wrappedKey]);
}

export function digestOf(content: Buffer): Buffer {
  return createHash('sha256').update(content).digest();
}

/** Parses the start of a file; throws SealError('not_sealed' | 'unsupported' | 'damaged'). */
export function parseHeader(start: Buffer): SealedHeader {
  if (start.length < MAGIC.length + 2 || !start.subarray(0, MAGIC.length).equals(MAGIC))
    throw new SealError('not_sealed', 'this is not a WardWatch sealed file');
  const format = start[MAGIC.length];
  if (format !== FORMAT_VERSION) throw new SealError('unsupported', `sealed format version ${format} is not supported`);
  const idLength = start[MAGIC.length + 1];
  const keySlotOffset = MAGIC.length + 2 + idLength + 8;
  const bodyOffset = keySlotOffset + KEY_SLOT_BYTES;
  if (idLength === 0 || idLength > MAX_KEY_ID_LENGTH || start.length < bodyOffset)
    throw new SealError('damaged', 'the sealed header is damaged or cut short');
  const content = Buffer.from(start.subarray(0, keySlotOffset));
  const keyId = content.toString('ascii', MAGIC.length + 2, MAGIC.length + 2 + idLength);
  if (!KEY_ID.test(keyId)) throw new SealError('damaged', 'the sealed header is damaged (key id)');
  const policyVersion = content.readUInt32BE(keySlotOffset - 8);
  const chunkBytes = content.readUInt32BE(keySlotOffset - 4);
  if (chunkBytes < MIN_CHUNK_BYTES || chunkBytes > MAX_CHUNK_BYTES)
    throw new SealError('damaged', 'the sealed header is damaged (chunk size)');
  return {
    keyId,
    policyVersion,
    chunkBytes,
    kekVersion: start.readUInt32BE(keySlotOffset),
    wrappedKey: Buffer.from(start.subarray(keySlotOffset + 4, bodyOffset)),
    content,
    digest: digestOf(content),
    keySlotOffset,
    bodyOffset,
  };
}

function checkU32(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff)
    throw new SealError('bad_input', `the ${what} must be a whole number from 0 to 4294967295`);
}
