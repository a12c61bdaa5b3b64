// What the durable outbox costs per event, next to a raw file append in the same
// run and on the same disk: appendFileSync of the event's protobuf bytes, a write
// stream, the DiskOutbox with its default group commit (fsync at most every
// 200 ms) and with an fsync after every event; then a restart's recovery scan.
// Each variant runs for WW_SECONDS (default 2 s).
//   npx tsx scripts/bench/outbox.bench.ts
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  createWriteStream,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Event } from '@wardwatch/proto';
import { DiskOutbox } from '../../agent/src/outbox/disk-outbox';
import { RecordSealer } from '../../agent/src/outbox/record-sealer';

const SECONDS = Number(process.env.WW_SECONDS ?? 2);
const root = mkdtempSync(join(process.env.WW_BENCH_DIR ?? tmpdir(), 'ww-outbox-bench-'));
const key = randomBytes(32);

function event(i: number): Event {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    timeMs: 1_764_633_600_000 + i,
    sequence: 0,
    severity: 2,
    user: 'u:4f9c2a61d0b7e8a3',
    detail: {
      $case: 'file',
      value: {
        action: 'write',
        path: 'phi:/p:9b1e44/p:a07c3d/p:55e0f1.pdf',
        previousPath: '',
        folderClass: i % 2 === 0 ? 'phi' : 'other',
        extension: '.pdf',
        depth: 3,
        sizeBytes: 20_480,
        entropy: 4.2,
        owner: 'u:4f9c2a61d0b7e8a3',
        process: 'p:3c9e0d',
        pid: 4242,
      },
    },
  };
}

/** Calls `append(i)` for SECONDS; returns appends per second. */
function rate(append: (i: number) => void): { perSecond: number; count: number } {
  const end = performance.now() + SECONDS * 1_000;
  let count = 0;
  const started = performance.now();
  while (performance.now() < end) for (let k = 0; k < 50; k++) append(count++);
  return { perSecond: count / ((performance.now() - started) / 1_000), count };
}

function outbox(dir: string, fsyncIntervalMs: number): DiskOutbox {
  return new DiskOutbox({
    dir,
    sealer: new RecordSealer(key),
    maxBytes: 4 * 1_073_741_824,
    maxAgeMs: 86_400_000,
    fsyncIntervalMs,
  });
}

function fresh(name: string): string {
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

async function main(): Promise<void> {
  const bytes = Event.encode(event(0)).finish();
  const rows: [string, string][] = [];
  const show = (label: string, r: { perSecond: number }) =>
    rows.push([label, `${Math.round(r.perSecond).toLocaleString('en')} /s`]);

  const rawPath = join(fresh('raw'), 'raw.bin');
  show(
    'raw appendFileSync (no fsync)',
    rate((i) => appendFileSync(rawPath, Event.encode(event(i)).finish())),
  );

  const fd = openSync(join(fresh('rawsync'), 'raw.bin'), 'a');
  show(
    'raw write + fsync per event',
    rate((i) => (writeSync(fd, Event.encode(event(i)).finish()), fsyncSync(fd))),
  );
  closeSync(fd);

  const stream = createWriteStream(join(fresh('stream'), 'raw.bin'));
  const streamStarted = performance.now();
  let streamCount = 0;
  const streamEnd = streamStarted + SECONDS * 1_000;
  while (performance.now() < streamEnd) {
    for (let k = 0; k < 50; k++) stream.write(Event.encode(event(streamCount++)).finish());
    if (stream.writableNeedDrain) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => stream.end(() => resolve()));
  show('raw write stream (no fsync)', { perSecond: streamCount / ((performance.now() - streamStarted) / 1_000) });

  const groupDir = fresh('group');
  const group = outbox(groupDir, 200);
  const grouped = rate((i) => group.push(event(i)));
  show('DiskOutbox, group commit 200 ms (default; a turn gathers up to 512)', grouped);
  group.close();

  const eachDir = fresh('each');
  const each = outbox(eachDir, 0);
  show(
    'DiskOutbox, fsync per event (each pushed in its own turn)',
    rate((i) => (each.push(event(i)), each.flush())),
  );
  each.close();

  const started = performance.now();
  const reopened = outbox(groupDir, 200);
  const ms = performance.now() - started;
  rows.push([`recovery scan at start (${grouped.count.toLocaleString('en')} events)`, `${Math.round(ms)} ms`]);
  rows.push([
    'stored bytes per event (sealed, framed)',
    `${Math.round(reopened.stats().storedBytes! / grouped.count)} B (protobuf ${bytes.length} B)`,
  ]);
  reopened.close();

  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`outbox append rate, ${SECONDS} s per variant, in ${root}`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
  rmSync(root, { recursive: true, force: true });
}

void main();
