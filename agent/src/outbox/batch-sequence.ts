// The per-agent batch sequence (EventBatch.sequence), kept with the outbox so it
// only grows, across restarts and clock changes too. The file holds a reserved
// upper bound, written (aside, fsynced, renamed) once per block of numbers; after
// a restart numbering resumes at that bound, so a crash skips numbers but never
// repeats one. The first start begins at the wall clock in ms, above the numbers
// of earlier versions (which started there on every start).
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const BLOCK = 1_000;
const FILE = 'batch-sequence';

export class BatchSequence {
  private value: number;
  private reserved: number;
  private readonly path: string;

  constructor(dir: string, now: () => number) {
    this.path = join(dir, FILE);
    this.value = readReserved(this.path) ?? now();
    this.reserved = this.value;
  }

  next(): number {
    if (this.value >= this.reserved) {
      this.reserved = this.value + BLOCK;
      writeAtomically(this.path, String(this.reserved));
    }
    return this.value++;
  }

  close(): void {
    // Numbers below `value` are used: a later start resumes there, not at the reserved bound.
    if (this.value < this.reserved) writeAtomically(this.path, String(this.value));
    this.reserved = this.value;
  }
}

function readReserved(path: string): number | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const value = Number(text.trim());
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}

function writeAtomically(path: string, text: string): void {
  const fd = openSync(`${path}.tmp`, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(`${path}.tmp`, path);
}
