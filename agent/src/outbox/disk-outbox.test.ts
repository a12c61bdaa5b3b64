import { appendFileSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { Event } from '@wardwatch/proto';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiskOutbox } from './disk-outbox';
import { openDiskOutbox } from './disk-outbox';
import { DropCounter } from './drop-counter';
import { TempOutbox } from './disk-outbox.fixture';
import { fileEvent, loginEvent } from './test-events.fixture';

const temps: TempOutbox[] = [];
function temp(options: ConstructorParameters<typeof TempOutbox>[0] = {}): TempOutbox {
  const created = new TempOutbox(options);
  temps.push(created);
  return created;
}
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});

function drain(outbox: DiskOutbox): string[] {
  const ids: string[] = [];
  for (let batch = outbox.takeBatch(1_000); batch; batch = outbox.takeBatch(1_000)) {
    ids.push(...batch.events.map((e) => e.id));
    outbox.ack(batch.sequence);
  }
  return ids;
}

function segmentPaths(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith('seg-'))
    .sort()
    .map((name) => join(dir, name));
}

describe('DiskOutbox', () => {
  it('keeps everything unsent over a clean stop and resends it after a restart, nothing acknowledged', () => {
    const t = temp();
    const first = t.open();
    for (let i = 0; i < 10; i++) first.push(loginEvent(`e${i}`));
    const acked = first.takeBatch(4)!;
    first.ack(acked.sequence);
    const inFlight = first.takeBatch(3)!; // sent, never acknowledged
    first.close();

    const second = t.open();
    expect(second.stats().queued).toBe(6);
    const resent = drain(second);
    expect(resent.sort()).toEqual(['e4', 'e5', 'e6', 'e7', 'e8', 'e9']);
    const next = second.takeBatch(1);
    expect(next).toBeNull();
    second.push(loginEvent('later'));
    expect(second.takeBatch(1)!.sequence).toBeGreaterThan(inFlight.sequence);
    second.close();
    expect(t.open().stats().queued).toBe(1);
  });

  it('cuts off a torn tail, counts it and delivers every whole record', () => {
    const t = temp();
    const first = t.open();
    for (let i = 0; i < 5; i++) first.push(fileEvent(`f${i}`, 'phi'));
    first.close();
    const last = segmentPaths(t.dir).at(-1)!;
    const size = statSync(last).size;
    appendFileSync(last, Buffer.from([200, 0, 0, 0, 1, 2, 3])); // a record cut short
    const second = t.open();
    expect(statSync(last).size).toBe(size);
    expect(second.drops.byKey()).toEqual({ 'torn.unknown.unknown': 1 });
    expect(drain(second).sort()).toEqual(['f0', 'f1', 'f2', 'f3', 'f4']);
  });

  it('detects a tampered record, skips and counts it, and delivers the others', () => {
    const t = temp();
    const first = t.open();
    for (let i = 0; i < 3; i++) {
      first.push(loginEvent(`l${i}`));
      first.flush(); // a record per turn: three turns
    }
    first.close();
    const segment = segmentPaths(t.dir).find((path) => statSync(path).size > 0)!;
    const bytes = readFileSync(segment);
    const recordLength = 8 + bytes.readUInt32LE(0);
    bytes[recordLength + 30] ^= 0x01; // one bit inside the second record
    writeFileSync(segment, bytes);
    const second = t.open();
    expect(second.drops.byKey()).toEqual({ 'tampered.unknown.unknown': 1 });
    expect(drain(second).sort()).toEqual(['l0', 'l2']);
  });

  it("stores a turn's events by the end of that turn, all in one append", async () => {
    const t = temp();
    const outbox = t.open();
    for (let i = 0; i < 3; i++) outbox.push(loginEvent(`turn${i}`));
    const size = () => segmentPaths(t.dir).reduce((sum, path) => sum + statSync(path).size, 0);
    expect(size()).toBe(0); // still gathering
    await new Promise(setImmediate);
    expect(size()).toBeGreaterThan(0);
    expect(outbox.stats().lastSequence).toBe(3);
    outbox.close();
    expect(drain(t.open())).toEqual(['turn0', 'turn1', 'turn2']);
  });

  it('sends recent events from memory, and reads back (and authenticates) what waits again after a broken stream', () => {
    const t = temp();
    const outbox = t.open();
    outbox.push(loginEvent('hot0'));
    outbox.flush();
    outbox.push(loginEvent('hot1'));
    outbox.flush();
    const segment = segmentPaths(t.dir).find((path) => statSync(path).size > 0)!;
    const bytes = readFileSync(segment);
    const length = 8 + bytes.readUInt32LE(0);
    bytes[length - 20] ^= 0x01; // the first record's ciphertext, CRC kept matching
    bytes.writeUInt32LE(crc32(bytes.subarray(8, length)), 4);
    writeFileSync(segment, bytes);
    expect(outbox.takeBatch(10)!.events.map((e) => [e.id, e.sequence])).toEqual([
      ['hot0', 1],
      ['hot1', 2],
    ]);
    outbox.requeueInFlight();
    expect(drain(outbox)).toEqual(['hot1']);
    expect(outbox.drops.byKey()).toEqual({ 'tampered.unknown.unknown': 1 });
    outbox.close();
  });

  it("seals a turn's events as one record: altered, each of its events is counted and the other records delivered", () => {
    const t = temp();
    const first = t.open();
    first.push(loginEvent('alone'));
    first.flush();
    for (let i = 0; i < 3; i++) first.push(fileEvent(`turn${i}`, 'phi'));
    first.flush();
    first.push(loginEvent('after'));
    first.close();
    const segment = segmentPaths(t.dir).find((path) => statSync(path).size > 0)!;
    const bytes = readFileSync(segment);
    const start = 8 + bytes.readUInt32LE(0); // the second record: the turn of three
    const end = start + 8 + bytes.readUInt32LE(start);
    expect(end).toBeLessThan(bytes.length); // a third record follows
    bytes[end - 20] ^= 0x01; // its ciphertext, CRC kept matching: GCM finds it
    bytes.writeUInt32LE(crc32(bytes.subarray(start + 8, end)), start + 4);
    writeFileSync(segment, bytes);
    const second = t.open();
    expect(second.stats().queued).toBe(5);
    expect(drain(second).sort()).toEqual(['after', 'alone']);
    expect(second.drops.byKey()).toEqual({ 'tampered.unknown.unknown': 3 });
  });

  it('reads the one-event records (version 1) an earlier agent left, and numbers on after them', () => {
    const t = temp();
    const frames = ['v1a', 'v1b'].map((id, k) => {
      const header = Buffer.alloc(18);
      header.writeUInt8(1, 0); // version
      header.writeUInt8(2, 1); // high
      header.writeUInt32LE(k + 1, 2); // id, u64 LE
      header.writeDoubleLE(t.clock, 10);
      const sealed = t.sealer.seal(Event.encode({ ...fileEvent(id, 'phi'), sequence: k + 1 }).finish(), header);
      const rest = Buffer.concat([header, sealed]);
      const prefix = Buffer.alloc(8);
      prefix.writeUInt32LE(rest.length, 0);
      prefix.writeUInt32LE(crc32(rest), 4);
      return Buffer.concat([prefix, rest]);
    });
    writeFileSync(join(t.dir, 'seg-0000000000000001.log'), Buffer.concat(frames));
    const outbox = t.open();
    outbox.push(loginEvent('v2'));
    const batch = outbox.takeBatch(10)!;
    expect(batch.events.map((e) => [e.id, e.sequence])).toEqual([
      ['v1a', 1],
      ['v1b', 2],
      ['v2', 3],
    ]);
    expect(outbox.drops.total).toBe(0);
  });

  it('splits a turn too large for one record into several, numbered without gaps', () => {
    const t = temp({ maxBytes: 16 * 1_048_576 });
    const outbox = t.open();
    const big = (id: string) => {
      const event = fileEvent(id, 'phi');
      if (event.detail?.$case === 'file') event.detail.value.path = `/x/${id}/${'b'.repeat(1_500_000)}`;
      return event;
    };
    for (let i = 0; i < 4; i++) outbox.push(big(`big${i}`)); // ~6 MB: more than a record (4 MiB) holds
    outbox.flush();
    expect(outbox.drops.byKey()).toEqual({});
    outbox.close();
    let records = 0;
    for (const path of segmentPaths(t.dir)) {
      const bytes = readFileSync(path);
      for (let at = 0; at < bytes.length; at += 8 + bytes.readUInt32LE(at)) records += 1;
    }
    expect(records).toBeGreaterThan(1);
    const again = t.open();
    const batch = again.takeBatch(10)!;
    expect(batch.events.map((e) => [e.id, e.sequence])).toEqual([0, 1, 2, 3].map((i) => [`big${i}`, i + 1]));
    again.close();
  });

  it('counts the events of an append the disk refused as write_failed, and uses no sequence for them', () => {
    const t = temp({ segmentBytes: 64 }); // smaller than a record: each append after the first opens a new segment
    const outbox = t.open();
    outbox.push(loginEvent('fits'));
    outbox.flush();
    const next = outbox.stats().lastSequence + 1;
    // The next segment is the kernel's always-full device: every write to it fails with ENOSPC.
    symlinkSync('/dev/full', join(t.dir, `seg-${String(next).padStart(16, '0')}.log`));
    outbox.push(loginEvent('refused0'));
    outbox.push(fileEvent('refused1', 'phi'));
    outbox.flush();
    expect(outbox.drops.byKey()).toEqual({ 'write_failed.high.login': 1, 'write_failed.high.file': 1 });
    expect(outbox.stats().lastSequence).toBe(next - 1);
    expect(drain(outbox)).toEqual(['fits']);
  });

  it('refuses only an event too large for a record, storing the rest of its turn with no gap in sequences', () => {
    const t = temp();
    const outbox = t.open();
    const huge = fileEvent('huge', 'phi');
    if (huge.detail?.$case === 'file') huge.detail.value.path = `/x/${'a'.repeat(4 * 1_048_576)}`;
    outbox.push(loginEvent('before'));
    outbox.push(huge);
    outbox.push(loginEvent('after0'));
    outbox.push(fileEvent('after1', 'phi'));
    outbox.flush();
    expect(outbox.drops.byKey()).toEqual({ 'write_failed.high.file': 1 });
    const batch = outbox.takeBatch(10)!;
    expect(batch.events.map((e) => [e.id, e.sequence])).toEqual([
      ['before', 1],
      ['after0', 2],
      ['after1', 3],
    ]);
    outbox.close();
    expect(t.open().stats()).toMatchObject({ queued: 3, lastSequence: 3 }); // on disk, not only in memory
  });

  it('detects a record altered with a matching CRC when reading it (GCM), and counts it', () => {
    const t = temp();
    const first = t.open();
    for (let i = 0; i < 3; i++) {
      first.push(loginEvent(`g${i}`));
      first.flush();
    }
    first.close();
    const segment = segmentPaths(t.dir).find((path) => statSync(path).size > 0)!;
    const bytes = readFileSync(segment);
    const length = 8 + bytes.readUInt32LE(0);
    bytes[length - 20] ^= 0x01; // inside the first record's ciphertext
    bytes.writeUInt32LE(crc32(bytes.subarray(8, length)), 4);
    writeFileSync(segment, bytes);
    const second = t.open();
    expect(second.drops.total).toBe(0);
    expect(drain(second).sort()).toEqual(['g1', 'g2']);
    expect(second.drops.byKey()).toEqual({ 'tampered.unknown.unknown': 1 });
    second.close();
    expect(drain(t.open())).toEqual([]); // counted once, not again at the next start
  });

  it('deletes acknowledged segments and keeps removed.log compact over many acks', () => {
    const t = temp();
    const outbox = t.open();
    for (let i = 0; i < 400; i++) {
      outbox.push(fileEvent(`c${i}`));
      if (i % 10 === 9) outbox.flush(); // turns of 10: records spread over many small segments
    }
    for (let batch = outbox.takeBatch(7); batch; batch = outbox.takeBatch(7)) outbox.ack(batch.sequence);
    for (let i = 0; i < 5; i++) outbox.push(loginEvent(`late${i}`));
    expect(outbox.stats().queued).toBe(5);
    expect(segmentPaths(t.dir).length).toBe(1);
    expect(statSync(join(t.dir, 'removed.log')).size).toBeLessThan(8 * 400);
    outbox.close();
    const again = t.open();
    expect(drain(again).sort()).toEqual(['late0', 'late1', 'late2', 'late3', 'late4']);
    again.close();
  });

  it('numbers events from 1 as they are stored, without gaps or repeats across restarts and crashes', () => {
    const t = temp();
    const sequences = (outbox: DiskOutbox) => {
      const seen: number[] = [];
      for (let batch = outbox.takeBatch(9); batch; batch = outbox.takeBatch(9)) {
        seen.push(...batch.events.map((e) => e.sequence));
        outbox.ack(batch.sequence);
      }
      return seen.sort((a, b) => a - b);
    };
    const first = t.open();
    expect(first.stats().lastSequence).toBe(0);
    for (let i = 0; i < 5; i++) first.push(fileEvent(`a${i}`));
    expect(sequences(first)).toEqual([1, 2, 3, 4, 5]);
    first.push(loginEvent('unsent'));
    first.close();

    // Clean restart: the unsent event keeps its number, the next one follows.
    const second = t.open();
    expect(second.stats().lastSequence).toBe(6);
    second.push(fileEvent('b'));
    expect(sequences(second)).toEqual([6, 7]);
    // Everything acknowledged, several segments written and deleted, then a crash
    // (not closed): the active segment's name still holds the high-water mark.
    for (let i = 0; i < 300; i++) second.push(fileEvent(`c${i}`));
    expect(sequences(second)).toEqual(Array.from({ length: 300 }, (_, i) => 8 + i));
    expect(second.stats().queued).toBe(0);

    const third = t.open();
    expect(third.stats().lastSequence).toBe(307);
    third.push(fileEvent('d'));
    expect(sequences(third)).toEqual([308]);
    third.close();
    const fourth = t.open();
    expect(fourth.stats().lastSequence).toBe(308);
    fourth.close();
  });

  it('leaves a counted gap in the sequence for an event evicted by the bounds', () => {
    const t = temp({ maxAgeMs: 1_000 });
    const outbox = t.open();
    outbox.push(fileEvent('old'));
    t.clock += 2_000;
    outbox.push(fileEvent('new'));
    const batch = outbox.takeBatch(10)!;
    expect(batch.events.map((e) => [e.id, e.sequence])).toEqual([['new', 2]]);
    expect(outbox.drops.total).toBe(1);
    outbox.close();
  });

  it('stores nothing in clear', () => {
    const t = temp();
    const outbox = t.open();
    outbox.push(fileEvent('clear-text-id-123', 'phi'));
    outbox.close();
    for (const path of segmentPaths(t.dir)) expect(readFileSync(path).includes('clear-text-id-123')).toBe(false);
  });

  it('when full, drops the oldest low-priority event first and security events last', () => {
    const t = temp();
    const probe = t.open();
    probe.push(fileEvent('probe'));
    const recordBytes = probe.stats().storedBytes!;
    drain(probe);
    probe.close();
    const outbox = t.open({ maxBytes: recordBytes * 3 + 10 });
    // One event per turn (as the probe's): each its own record, of the probe's size.
    const push = (event: Event) => {
      outbox.push(event);
      outbox.flush();
    };
    push(fileEvent('low1'));
    push(loginEvent('high1'));
    push(fileEvent('low2'));
    push(loginEvent('high2')); // low1 goes
    push(loginEvent('high3')); // low2 goes
    push(fileEvent('low3')); // nothing lower waits: the newcomer goes
    push(loginEvent('high4')); // the oldest high goes, only now
    expect(outbox.stats().storedBytes).toBeLessThanOrEqual(recordBytes * 3 + 10);
    expect(outbox.drops.byKey()).toEqual({ 'queue_full.low.file': 3, 'queue_full.high.login': 1 });
    expect(drain(outbox).sort()).toEqual(['high2', 'high3', 'high4']);
  });

  it('drops events older than the age bound before sending them, counted as expired', () => {
    const t = temp({ maxAgeMs: 1_000 });
    const outbox = t.open();
    outbox.push(fileEvent('old'));
    t.clock += 600;
    outbox.push(loginEvent('young'));
    t.clock += 600;
    expect(drain(outbox)).toEqual(['young']);
    expect(outbox.drops.byKey()).toEqual({ 'expired.low.file': 1 });
  });

  it('makes its folder 0700 and its files 0600, and keeps the key across starts', () => {
    const t = temp();
    const dir = join(t.dir, 'outbox');
    const settings = { maxBytes: 1_048_576, maxAgeMs: 86_400_000, fsyncIntervalMs: 50 };
    const first = openDiskOutbox(dir, settings, new DropCounter());
    first.push(loginEvent('k'));
    first.takeBatch(1);
    first.close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
    const second = openDiskOutbox(dir, settings, new DropCounter());
    expect(drain(second)).toEqual(['k']);
    second.close();
  });

  type Step =
    | { op: 'push'; kind: 'low' | 'normal' | 'high' }
    | { op: 'take'; max: number }
    | { op: 'ack' }
    | { op: 'break' }
    | { op: 'restart' }
    | { op: 'wait'; ms: number };

  const step: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        op: fc.constant('push' as const),
        kind: fc.constantFrom('low' as const, 'normal' as const, 'high' as const),
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('take' as const), max: fc.integer({ min: 1, max: 7 }) }) },
    { weight: 2, arbitrary: fc.constant({ op: 'ack' as const }) },
    { weight: 1, arbitrary: fc.constant({ op: 'break' as const }) },
    { weight: 1, arbitrary: fc.constant({ op: 'restart' as const }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 400 }) }) },
  );

  function eventOf(kind: 'low' | 'normal' | 'high', id: string): Event {
    if (kind === 'low') return fileEvent(id);
    if (kind === 'high') return fileEvent(id, 'phi');
    return loginEvent(id, 'logon');
  }

  it('property: a security event is dropped for room only when no lower-class event waits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('low' as const, 'normal' as const, 'high' as const), { maxLength: 60 }),
        fc.integer({ min: 300, max: 3_000 }),
        (kinds, maxBytes) => {
          const t = temp({ maxBytes });
          const outbox = t.open();
          outbox.drops.onHighDrop(() => {
            expect(outbox.waitingOf('low') + outbox.waitingOf('normal')).toBe(0);
          });
          kinds.forEach((kind, i) => outbox.push(eventOf(kind, `p${i}`)));
          expect(outbox.stats().storedBytes).toBeLessThanOrEqual(maxBytes);
          outbox.close();
          t.remove();
        },
      ),
      { numRuns: 40 },
    );
  }, 30_000);

  it('property: acknowledged events never return, every other event is delivered or counted as dropped, within bounds', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), fc.integer({ min: 600, max: 6_000 }), (steps, maxBytes) => {
        const t = temp({ maxBytes, maxAgeMs: 1_000 });
        let outbox = t.open();
        let drops = 0;
        const pushed = new Set<string>();
        const acked = new Set<string>();
        const inFlight: string[][] = [];
        let lastSequence = -1;
        let lastTaken = -1;
        let n = 0;
        for (const s of steps) {
          if (s.op === 'push') {
            const id = `e${n++}`;
            pushed.add(id);
            outbox.push(eventOf(s.kind, id));
          } else if (s.op === 'take') {
            const batch = outbox.takeBatch(s.max);
            if (batch) {
              expect(batch.sequence).toBeGreaterThan(lastSequence);
              lastSequence = lastTaken = batch.sequence;
              for (const e of batch.events) {
                expect(pushed.has(e.id)).toBe(true);
                expect(acked.has(e.id)).toBe(false);
              }
              inFlight.push(batch.events.map((e) => e.id));
            }
          } else if (s.op === 'ack') {
            if (lastTaken >= 0) outbox.ack(lastTaken);
            for (const ids of inFlight.splice(0)) for (const id of ids) acked.add(id);
          } else if (s.op === 'break') {
            outbox.requeueInFlight();
            inFlight.length = 0;
          } else if (s.op === 'restart') {
            drops += outbox.drops.total;
            outbox.close();
            inFlight.length = 0;
            outbox = t.open();
          } else t.clock += s.ms;
          expect(outbox.stats().storedBytes).toBeLessThanOrEqual(maxBytes);
        }
        outbox.requeueInFlight();
        inFlight.length = 0;
        const rest = drain(outbox);
        for (const id of rest) expect(acked.has(id)).toBe(false);
        expect(new Set(rest).size).toBe(rest.length);
        drops += outbox.drops.total;
        // Every event pushed was acknowledged, is delivered now, or was counted as dropped.
        expect(acked.size + rest.length + drops).toBe(pushed.size);
        outbox.close();
        const again = t.open();
        expect(again.takeBatch(1_000)).toBeNull();
        again.close();
        t.remove();
      }),
      { numRuns: 60 },
    );
  }, 30_000); // real files: slow on a busy CI machine
});
