// Child program for disk-outbox.process.test.ts: appends events to a DiskOutbox
// until it is killed, acknowledging a batch now and then. After each append (once
// the turn that pushed it ended: the outbox gathers a turn's events into one
// write) and each ack it notes the ids in progress.log, so the parent knows what
// was stored (and what was, or may have been, acknowledged) before the SIGKILL.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiskOutbox } from './disk-outbox';
import { RecordSealer } from './record-sealer';
import { fileEvent, loginEvent } from './test-events.fixture';

const [dir, keyHex] = process.argv.slice(2);
const outbox = new DiskOutbox({
  dir,
  sealer: new RecordSealer(Buffer.from(keyHex, 'hex')),
  maxBytes: 1_073_741_824,
  maxAgeMs: 86_400_000,
  fsyncIntervalMs: 200,
  segmentBytes: 65_536,
});
const progress = join(dir, '..', 'progress.log');
async function main(): Promise<void> {
  for (let n = 0; ; n++) {
    const id = `k${n}`;
    outbox.push(n % 3 === 0 ? loginEvent(id) : fileEvent(id, n % 2 === 0 ? 'phi' : 'other'));
    await new Promise(setImmediate);
    appendFileSync(progress, `s ${id}\n`);
    if (n % 50 === 49) {
      const batch = outbox.takeBatch(20);
      if (batch) {
        // Noted before the ack too: a kill between the ack and its note leaves these undecided.
        appendFileSync(progress, `t ${batch.events.map((e) => e.id).join(' ')}\n`);
        outbox.ack(batch.sequence);
        appendFileSync(progress, `a ${batch.events.map((e) => e.id).join(' ')}\n`);
      }
    }
  }
}

void main();
