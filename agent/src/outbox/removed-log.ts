// removed.log: u64 LE ids of the outbox's events acknowledged or dropped, never to be sent again.
// Appended as they go; rewritten (aside, fsynced, renamed) with only the ids still on disk when it
// grows out of proportion, so it stays small beside the segments.
import { closeSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFile, syncDir, writeFully } from './durable-writes';

const NAME = 'removed.log';

export class RemovedLog {
  private fd: number;
  private written = 0;
  private dirty = false;

  /** The log holding `kept` (the ids of events still on disk), written afresh. */
  constructor(
    private readonly dir: string,
    kept: readonly number[],
  ) {
    this.fd = this.rewrite(kept);
  }

  /** The ids in the folder's log; none when there is no log. */
  static read(dir: string): Set<number> {
    const ids = new Set<number>();
    let data: Buffer;
    try {
      data = readFileSync(join(dir, NAME));
    } catch {
      return ids;
    }
    for (let offset = 0; offset + 8 <= data.length; offset += 8) ids.add(Number(data.readBigUInt64LE(offset)));
    return ids;
  }

  /** Bytes in the log. */
  get bytes(): number {
    return this.written;
  }

  append(ids: readonly number[]): void {
    const buffer = encodeIds(ids);
    writeFully(this.fd, buffer, this.written);
    this.written += buffer.length;
    this.dirty = true;
  }

  /** Written afresh with only `kept` (the rewrite is fsynced itself). */
  compact(kept: readonly number[]): void {
    this.dirty = false;
    closeSync(this.fd);
    this.fd = this.rewrite(kept);
  }

  sync(): void {
    if (this.dirty) fsyncSync(this.fd);
    this.dirty = false;
  }

  close(): void {
    this.sync();
    closeSync(this.fd);
  }

  private rewrite(ids: readonly number[]): number {
    const buffer = encodeIds(ids);
    const path = join(this.dir, NAME);
    replaceFile(path, buffer);
    syncDir(this.dir);
    this.written = buffer.length;
    return openSync(path, 'r+');
  }
}

/** u64 LE each, without a BigInt per id (ids stay below 2^53). */
function encodeIds(ids: readonly number[]): Buffer {
  const buffer = Buffer.alloc(8 * ids.length);
  ids.forEach((id, index) => {
    buffer.writeUInt32LE(id % 2 ** 32, 8 * index);
    buffer.writeUInt32LE(Math.floor(id / 2 ** 32), 8 * index + 4);
  });
  return buffer;
}
