// Writes that reach the disk whole: the outbox's segments, its removed log and its batch sequence.
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

/** Writes all of `buffer` at `position` (a write may take less than it is given). */
export function writeFully(fd: number, buffer: Buffer, position: number): void {
  let written = 0;
  while (written < buffer.length)
    written += writeSync(fd, buffer, written, buffer.length - written, position + written);
}

/** fsync of a folder: a file created, renamed or deleted in it survives power loss. */
export function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Replaces the file at `path` whole: written aside (0600), fsynced, renamed over it. The folder is not synced. */
export function replaceFile(path: string, bytes: Buffer | string): void {
  const fd = openSync(`${path}.tmp`, 'w', 0o600);
  try {
    writeFully(fd, typeof bytes === 'string' ? Buffer.from(bytes) : bytes, 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(`${path}.tmp`, path);
}
