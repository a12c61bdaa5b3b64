// Writes that reach the disk whole: the outbox's segments and its removed log.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

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
