import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  type BadLine,
  emptyReadStats,
  formatPortableLine,
  parsePortableLine,
  readPortableEvents,
} from './ndjson-reader';
import type { PortableEvent } from './event.schema';

const good = {
  v: 1,
  time: '2026-03-02T02:10:00Z',
  host: 'ws-icu-03',
  user: 'n.adams',
  kind: 'file_copy',
  path: '/phi/p/1.pdf',
  folderClass: 'phi',
  targetPath: '/media/usb/1.pdf',
  targetFolderClass: 'removable',
};

describe('portable NDJSON reader', () => {
  it('parses ISO and epoch times to epoch ms', () => {
    expect(parsePortableLine(JSON.stringify(good)).event?.time).toBe(Date.parse('2026-03-02T02:10:00Z'));
    const epoch = parsePortableLine(JSON.stringify({ ...good, time: 1772417460000 }));
    expect(epoch.event?.time).toBe(1772417460000);
  });

  it('reports bad lines with numbers and reasons and keeps going, across chunk boundaries', async () => {
    const lines = [
      JSON.stringify(good),
      '{not json',
      JSON.stringify({ ...good, v: 2 }),
      JSON.stringify({ ...good, kind: 'teleport' }),
      JSON.stringify({ ...good, folderClass: 'secret' }),
      '',
      JSON.stringify({ v: 1, time: 5, host: 'h', user: 'u', kind: 'logon', method: 'password' }),
    ].join('\n');
    // Split into 7-byte chunks so records straddle chunk boundaries.
    const bytes = Buffer.from(lines);
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
    const bad: BadLine[] = [];
    const stats = emptyReadStats();
    const events: PortableEvent[] = [];
    for await (const event of readPortableEvents(Readable.from(chunks), (b) => bad.push(b), stats)) events.push(event);
    expect(events.map((e) => e.kind)).toEqual(['file_copy', 'logon']);
    expect(bad.map((b) => b.line)).toEqual([2, 3, 4, 5]);
    expect(bad[3].reason).toContain('folderClass');
    expect(stats.errorsByReason).toEqual({ json: 1, version: 1, unknown_kind: 1, invalid: 1 });
    expect(stats.records).toBe(2);
  });

  it('round-trips through formatPortableLine', () => {
    const event = parsePortableLine(JSON.stringify(good)).event!;
    expect(parsePortableLine(formatPortableLine(event)).event).toEqual(event);
  });
});
