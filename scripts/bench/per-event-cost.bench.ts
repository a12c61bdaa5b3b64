// CPU per file event of each step the agent takes for it, measured with
// process.cpuUsage over a fixed number of events (a shared machine stretches wall
// time far more than CPU time, so this compares builds more steadily than the
// footprint bench). Runs the built agent (`npx tsc -b` first) of this checkout or of
// another one, to compare two commits the same minute:
//   npx tsx scripts/bench/per-event-cost.bench.ts                 this checkout
//   WW_ROOT=/tmp/other-checkout npx tsx scripts/bench/per-event-cost.bench.ts
// Events: rewrites cycling over 10,000 files (as the footprint bench writes them).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '@wardwatch/proto';
import type * as SharedModule from '@wardwatch/shared';
import type * as EntropyModule from '../../agent/src/collectors/files/entropy';
import type * as RecordSealerModule from '../../agent/src/outbox/record-sealer';
import type * as SegmentStoreModule from '../../agent/src/outbox/segment-store';
import type * as PseudonymizeEventModule from '../../agent/src/pseudonymize/pseudonymize-event';
import type * as PseudonymizerModule from '../../agent/src/pseudonymize/pseudonymizer';
import type * as EventToPortableModule from '../../agent/src/scoring/features/event-to-portable';
import { repoRoot } from '../lib/wardwatch';

const root = process.env.WW_ROOT ?? repoRoot;
const N = Number(process.env.WW_EVENTS ?? 20_000);
const FILES = 10_000;
const load = createRequire(join(root, 'agent', 'package.json'));
// Typed as this checkout's sources; another checkout's build is called the same way.
const { Pseudonymizer } = load('./dist/pseudonymize/pseudonymizer.js') as typeof PseudonymizerModule;
const { pseudonymizeEvent } = load('./dist/pseudonymize/pseudonymize-event.js') as typeof PseudonymizeEventModule;
const { RecordSealer } = load('./dist/outbox/record-sealer.js') as typeof RecordSealerModule;
const { SegmentStore } = load('./dist/outbox/segment-store.js') as typeof SegmentStoreModule;
const { eventToPortable } = load('./dist/scoring/features/event-to-portable.js') as typeof EventToPortableModule;
const { sampleEntropySync } = load('./dist/collectors/files/entropy.js') as typeof EntropyModule;
const { formatPortableLine } = load('@wardwatch/shared') as typeof SharedModule;

function fileEvent(i: number): Event {
  const file = (i * 7_919) % FILES;
  return {
    id: `e${i}`,
    timeMs: 1_764_680_000_000 + i,
    sequence: 0,
    severity: 1,
    user: 'nurse1',
    detail: {
      $case: 'file',
      value: {
        action: 'write',
        path: `/srv/patient-records/ward-${Math.floor(file / 100)}/f${file}.txt`,
        previousPath: '',
        folderClass: 'phi',
        extension: '.txt',
        depth: 2,
        sizeBytes: 200 + (i % 9_973),
        entropy: 4.2,
        owner: 'nurse1',
        process: '',
        pid: 0,
      },
    },
  };
}

function measure(label: string, run: (count: number) => void): void {
  run(2_000); // warm the JIT
  const start = process.cpuUsage();
  run(N);
  const used = process.cpuUsage(start);
  console.log(`${label.padEnd(34)} ${((used.user + used.system) / N).toFixed(2).padStart(7)} µs CPU per event`);
}

const events = Array.from({ length: N }, (_, i) => fileEvent(i));
console.log(`${root}: ${N} file events over ${FILES} files\n`);
const pseudonymizer = new Pseudonymizer(randomBytes(32), { folders: [{ path: '/srv/patient-records', class: 'phi' }] });
let safe: Event[] = [];
measure('pseudonymise', (count) => {
  safe = [];
  for (let i = 0; i < count; i++) safe.push(pseudonymizeEvent(events[i], pseudonymizer));
});
let historyBytes = 0;
measure('portable event + history line', (count) => {
  for (let i = 0; i < count; i++) {
    const mapped = eventToPortable(events[i], 'host');
    if ('event' in mapped) historyBytes += formatPortableLine(mapped.event).length;
  }
});
const outboxDir = mkdtempSync(join(tmpdir(), 'ww-per-event-'));
const { store } = SegmentStore.open(outboxDir, new RecordSealer(randomBytes(32)), 64 * 1_048_576);
measure('encode + seal + append (50 a turn)', (count) => {
  for (let i = 0; i < count; i += 50)
    store.appendAll(
      safe.slice(i, Math.min(count, i + 50)).map((event) => ({ event, priority: 'high', storedAtMs: 1 })),
    );
});
store.close();
rmSync(outboxDir, { recursive: true, force: true });
const filesDir = mkdtempSync(join(tmpdir(), 'ww-per-event-files-'));
const content = Buffer.alloc(10_000, 'ward round note ');
for (let k = 0; k < 1_000; k++) writeFileSync(join(filesDir, `f${k}`), content.subarray(0, 200 + k));
measure('entropy sample (open, read, close)', (count) => {
  for (let i = 0; i < count; i++) sampleEntropySync(join(filesDir, `f${i % 1_000}`), 0);
});
rmSync(filesDir, { recursive: true, force: true });
console.log(`\n(${historyBytes} bytes of history lines formatted)`);
