// Zip archives written for tests as archivers lay them out (local headers and
// data, then the central directory and its end record), with the variants a
// reader meets: stored and deflated entries, UTF-8 and Latin-1 names, zip64
// records, AES-encrypted entries that keep no CRC, a comment. Real archivers' output is in fixtures/ (Info-ZIP).
import { crc32, deflateRawSync } from 'node:zlib';

export interface FixtureEntry {
  /** The entry's path inside the archive ('/' between folders). */
  name: string;
  data: Buffer;
  store?: boolean;
  /** Written as an AE-2 entry: method 99, CRC 0, the bytes as they are (a stand-in for ciphertext). */
  aes?: boolean;
  /** Name in Latin-1 without the UTF-8 flag. */
  latin1?: boolean;
}

export interface FixtureOptions {
  zip64?: boolean;
  comment?: string;
}

const MAX32 = 0xffffffff;

export function zipArchive(entries: readonly FixtureEntry[], options: FixtureOptions = {}): Buffer {
  const body: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, entry.latin1 ? 'latin1' : 'utf8');
    const data = entry.store || entry.aes ? entry.data : deflateRawSync(entry.data);
    const method = entry.aes ? 99 : entry.store ? 0 : 8;
    const flags = (entry.latin1 ? 0 : 0x800) | (entry.aes ? 1 : 0);
    const crc = entry.aes ? 0 : crc32(entry.data);
    const [size, packed, at] = options.zip64 ? [MAX32, MAX32, MAX32] : [entry.data.length, data.length, offset];
    const localExtra = options.zip64 ? extra(1, u64(entry.data.length), u64(data.length)) : Buffer.alloc(0);
    const centralExtra = options.zip64
      ? extra(1, u64(entry.data.length), u64(data.length), u64(offset))
      : Buffer.alloc(0);
    // The fields a local header and the directory's entry share, from "version needed" to the name's length.
    const shared = [
      u16(45),
      u16(flags),
      u16(method),
      u16(0),
      u16(0x21),
      u32(crc),
      u32(packed),
      u32(size),
      u16(name.length),
    ];
    const local = Buffer.concat([u32(0x04034b50), ...shared, u16(localExtra.length), name, localExtra]);
    body.push(local, data);
    const [comment, disk, internal, external] = [u16(0), u16(0), u16(0), u32(0)];
    central.push(
      Buffer.concat([
        u32(0x02014b50),
        u16(0x031e),
        ...shared,
        u16(centralExtra.length),
        comment,
        disk,
        internal,
        external,
        u32(at),
        name,
        centralExtra,
      ]),
    );
    offset += local.length + data.length;
  }
  const directory = Buffer.concat(central);
  const comment = Buffer.from(options.comment ?? '', 'latin1');
  const tail: Buffer[] = [];
  if (options.zip64) {
    const zip64End = offset + directory.length;
    tail.push(
      Buffer.concat([
        u32(0x06064b50),
        u64(44),
        u16(45),
        u16(45),
        u32(0),
        u32(0),
        u64(entries.length),
        u64(entries.length),
        u64(directory.length),
        u64(offset),
      ]),
      Buffer.concat([u32(0x07064b50), u32(0), u64(zip64End), u32(1)]),
    );
  }
  const [count, bytes, at] = options.zip64 ? [0xffff, MAX32, MAX32] : [entries.length, directory.length, offset];
  tail.push(
    Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(count), u16(count), u32(bytes), u32(at), u16(comment.length)]),
    comment,
  );
  return Buffer.concat([...body, directory, ...tail]);
}

function extra(id: number, ...values: Buffer[]): Buffer {
  const data = Buffer.concat(values);
  return Buffer.concat([u16(id), u16(data.length), data]);
}

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(value);
  return b;
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return b;
}

function u64(value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(value));
  return b;
}
