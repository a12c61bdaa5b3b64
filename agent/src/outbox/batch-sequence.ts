// The per-agent batch sequence (EventBatch.sequence), kept with the outbox so it
// only grows, across restarts and clock changes too. The file holds a reserved
// upper bound, written (aside, fsynced, renamed) once per block of numbers; after
// a restart numbering resumes at that bound, so a crash skips numbers but never
// repeats one. The first start begins at the wall clock in ms, above the numbers
// of earlier versions (which started there on every start).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFile } from './durable-writes';

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
      replaceFile(this.path, String(this.reserved));
    }
    return this.value++;
  }

  close(): void {
    // Numbers below `value` are used: a later start resumes there, not at the reserved bound.
    if (this.value < this.reserved) replaceFile(this.path, String(this.value));
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
