// Events held back on the workstation because one of their values has no token yet (OPRF
// mode: the manager has not evaluated it, or cannot be reached). Invariants:
// - an event here is never sent: it goes to the outbox only once every value has its
//   token (EventPipeline.release), pseudonymised like any other;
// - bounded by count and bytes; beyond either the oldest is dropped and counted;
// - durable: each event is appended to `pending-events.bin` (0600, in the agent's data
//   folder, beside the outbox) before `add` returns, and the file is rewritten with what
//   remains after a release, so a restart loses none (a power cut may lose the last few
//   appends: they are not fsynced one by one). The file holds clear events, exactly what
//   the workstation's own logs hold; it is read by nobody but the agent (docs/privacy.md).
import { Event } from '@wardwatch/proto';
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PENDING_EVENTS_FILE = 'pending-events.bin';

export interface PendingLimits {
  maxEvents: number;
  maxBytes: number;
}

export class PendingEvents {
  private events: { event: Event; bytes: Buffer }[] = [];
  private bytes = 0;
  private dropped = 0;
  private readonly file: string | undefined;

  constructor(
    dataDir: string | undefined,
    private readonly limits: PendingLimits = { maxEvents: 200_000, maxBytes: 64 * 1_048_576 },
  ) {
    this.file = dataDir === undefined ? undefined : join(dataDir, PENDING_EVENTS_FILE);
    if (this.file && existsSync(this.file)) this.restore(readFileSync(this.file));
  }

  get size(): number {
    return this.events.length;
  }

  get stats() {
    return { waiting: this.events.length, bytes: this.bytes, dropped: this.dropped };
  }

  add(event: Event): void {
    const bytes = frame(Event.encode(event).finish());
    this.events.push({ event, bytes });
    this.bytes += bytes.length;
    if (this.file) appendFileSync(this.file, bytes, { mode: 0o600 });
    if (this.events.length > this.limits.maxEvents || this.bytes > this.limits.maxBytes) {
      while (this.events.length > this.limits.maxEvents || this.bytes > this.limits.maxBytes) {
        this.bytes -= this.events.shift()!.bytes.length;
        this.dropped += 1;
      }
      this.persist();
    }
  }

  /** Offers each waiting event, oldest first; those `take` accepts leave the queue. */
  release(take: (event: Event) => boolean): number {
    const before = this.events.length;
    this.events = this.events.filter(({ event }) => !take(event));
    const released = before - this.events.length;
    if (released > 0) {
      this.bytes = this.events.reduce((sum, e) => sum + e.bytes.length, 0);
      this.persist();
    }
    return released;
  }

  private persist(): void {
    if (!this.file) return;
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, Buffer.concat(this.events.map((e) => e.bytes)), { mode: 0o600 });
    renameSync(temp, this.file);
  }

  /** Reads back what a previous run left; a torn last record (power cut mid-append) is dropped. */
  private restore(data: Buffer): void {
    let at = 0;
    while (at + 4 <= data.length) {
      const length = data.readUInt32BE(at);
      if (at + 4 + length > data.length) break;
      try {
        const body = data.subarray(at + 4, at + 4 + length);
        this.events.push({ event: Event.decode(body), bytes: frame(body) });
        this.bytes += 4 + length;
      } catch {
        this.dropped += 1;
      }
      at += 4 + length;
    }
  }
}

function frame(body: Uint8Array): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}
