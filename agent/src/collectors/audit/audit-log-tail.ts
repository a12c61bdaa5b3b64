// Reads what was appended to the audit log since the last call, following
// rotation (a new inode: the old file is read to its end first) and truncation.
// Called from the poll loop; each call reads at most `maxBytesPerRead`.
import { closeSync, constants, accessSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { LineSplitter } from '../line-splitter';

export const DEFAULT_AUDIT_LOG = '/var/log/audit/audit.log';

export function isReadable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

export class AuditLogTail {
  private fd: number | undefined;
  private ino = -1;
  private offset = 0;
  private readonly buffer: Buffer;
  private readonly splitter: LineSplitter;

  constructor(
    private readonly path: string,
    onLine: (line: string) => void,
    onOversized: (bytes: number) => void,
    private readonly maxBytesPerRead = 4 * 1024 * 1024,
  ) {
    this.buffer = Buffer.allocUnsafe(Math.min(maxBytesPerRead, 1024 * 1024));
    this.splitter = new LineSplitter({ line: onLine, overlong: onOversized, maxLineBytes: 64 * 1024 });
  }

  /** Starts at the end of the current file: only executions from now on are read. */
  open(): void {
    this.fd = openSync(this.path, 'r');
    const s = fstatSync(this.fd);
    this.ino = s.ino;
    this.offset = s.size;
  }

  /** Throws when the file cannot be read; the next call tries again (a rotated-in file from its start). */
  read(): void {
    if (this.fd === undefined) {
      if (this.ino === -1) return; // never opened, or closed
      this.openRotated();
    }
    let current: { ino: number; size: number } | undefined;
    try {
      current = statSync(this.path);
    } catch {
      current = undefined; // between rename and re-creation
    }
    if (current && current.ino !== this.ino) {
      let lost: unknown;
      try {
        this.drain(Number.POSITIVE_INFINITY);
        this.splitter.flush();
      } catch (error) {
        lost = error; // what the old file still held is lost; the new one is read all the same
      } finally {
        closeSync(this.fd!);
        this.fd = undefined;
      }
      this.openRotated();
      this.drain(this.maxBytesPerRead);
      if (lost) throw lost;
      return;
    } else if (current && current.size < this.offset) {
      this.offset = 0; // copytruncate
    }
    this.drain(this.maxBytesPerRead);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.ino = -1;
  }

  private openRotated(): void {
    const fd = openSync(this.path, 'r');
    this.fd = fd;
    this.ino = fstatSync(fd).ino;
    this.offset = 0;
  }

  private drain(limit: number): void {
    let read = 0;
    while (read < limit && this.fd !== undefined) {
      const n = readSync(this.fd, this.buffer, 0, this.buffer.length, this.offset);
      if (n === 0) return;
      this.offset += n;
      read += n;
      this.splitter.push(this.buffer.subarray(0, n));
    }
  }
}
