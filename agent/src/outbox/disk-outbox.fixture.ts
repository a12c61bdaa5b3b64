// A DiskOutbox in a fresh temp folder for tests, reopened as a restart would.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskOutbox, type DiskOutboxOptions } from './disk-outbox';
import { DropCounter } from './drop-counter';
import { RecordSealer } from './record-sealer';

export type TestOutboxOptions = Partial<Omit<DiskOutboxOptions, 'dir' | 'sealer'>>;

export class TempOutbox {
  readonly dir = mkdtempSync(join(tmpdir(), 'ww-outbox-'));
  readonly sealer = new RecordSealer(randomBytes(32));
  clock = 1_000_000;

  constructor(private readonly options: TestOutboxOptions = {}) {}

  /** Opens the folder as the agent does on start (a fresh DropCounter, like a new process). */
  open(options: TestOutboxOptions = {}): DiskOutbox {
    return new DiskOutbox({
      dir: this.dir,
      sealer: this.sealer,
      maxBytes: 1_048_576,
      maxAgeMs: 7 * 86_400_000,
      fsyncIntervalMs: 0,
      segmentBytes: 4_096,
      drops: new DropCounter(),
      now: () => this.clock,
      ...this.options,
      ...options,
    });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
