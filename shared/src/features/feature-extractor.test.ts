import { describe, expect, it } from 'vitest';
import type { PortableEventInput } from '../portable/event.schema';
import { PortableEvent } from '../portable/event.schema';
import { DAY_MS, FeatureExtractor, type FeatureWindow } from './feature-extractor';
import { FEATURE_INDEX as F, FEATURES, featureReason } from './feature-definitions';
import { formatHourRange } from './user-history';

const day0 = Date.parse('2026-03-02T00:00:00Z');
const at = (day: number, hour: number, minute = 0) => day0 + day * DAY_MS + hour * 3_600_000 + minute * 60_000;
/** Omit over each member of the union, so that every kind keeps its own fields. */
type WithoutVersion<T> = T extends unknown ? Omit<T, 'v'> : never;
const ev = (input: WithoutVersion<PortableEventInput>): PortableEvent => PortableEvent.parse({ v: 1, ...input });

function run(events: PortableEvent[]): FeatureWindow[] {
  const extractor = new FeatureExtractor();
  return [...events.flatMap((e) => extractor.push(e)), ...extractor.flush()];
}

function dayShift(day: number, user = 'u1', host = 'ws1'): PortableEvent[] {
  return [
    ev({ time: at(day, 8), host, user, kind: 'logon' }),
    ev({ time: at(day, 9), host, user, kind: 'process_start', executable: 'C:\\Program Files\\EHR\\ehr.exe' }),
    ev({ time: at(day, 10), host, user, kind: 'file_write', path: '/phi/ward/a.docx', folderClass: 'phi' }),
    ev({ time: at(day, 16), host, user, kind: 'logoff' }),
  ];
}

describe('FeatureExtractor', () => {
  it('labels a window by what was done in it, not by the end of a session that began the day before', () => {
    // An intruder's session from 23:30 to 00:15: the next day's window holds only its logoff.
    const windows = run([
      ev({ time: at(0, 23, 30), host: 'ws9', user: 'u1', kind: 'logon', label: 'takeover' }),
      ev({
        time: at(0, 23, 40),
        host: 'ws9',
        user: 'u1',
        kind: 'process_start',
        executable: 'x.exe',
        label: 'takeover',
      }),
      ev({ time: at(1, 0, 15), host: 'ws9', user: 'u1', kind: 'logoff', label: 'takeover' }),
      ev({
        time: at(1, 0, 16),
        host: 'ws9',
        user: 'u1',
        kind: 'device_disconnect',
        deviceType: 'usb-storage',
        removable: true,
        label: 'takeover',
      }),
    ]);
    expect(windows.map((w) => w.labels)).toEqual([['takeover'], []]);
  });

  it('keeps learning destinations past its memory, forgetting the longest unused', () => {
    const extractor = new FeatureExtractor();
    const connect = (day: number, addresses: string[]) =>
      addresses.flatMap((remoteAddress, i) =>
        extractor.push(
          ev({
            time: at(day, 9) + i * 1_000,
            host: 'ws1',
            user: 'u1',
            kind: 'net_connect',
            remoteAddress,
            remotePort: 443,
          }),
        ),
      );
    const flood = (day: number) => Array.from({ length: 2_000 }, (_, i) => `10.${day}.${i >> 8}.${i & 255}`);
    // Four days of 2,000 new addresses each (a browser behind a CDN), the intranet every day.
    const windows = [0, 1, 2, 3].flatMap((day) => connect(day, ['10.99.0.1', ...flood(day)]));
    windows.push(...connect(4, ['10.3.0.1', '10.3.7.200', '10.99.0.1']), ...connect(5, ['10.0.0.1']));
    windows.push(...extractor.flush());
    const newOn = (day: number) => windows.find((w) => w.start === at(day, 0))!.values[F.new_net_destinations];
    expect([newOn(0), newOn(3)]).toEqual([2_001, 2_000]);
    expect(newOn(4)).toBe(0); // yesterday's and the everyday one are known
    expect(newOn(5)).toBe(1); // four days and 8,000 addresses ago: new again
  });

  it('defines every feature once with a description, unit and reason', () => {
    expect(new Set(FEATURES.map((f) => f.name)).size).toBe(FEATURES.length);
    for (const f of FEATURES) expect(f.description && f.unit && f.reason).toBeTruthy();
    expect(featureReason('removable_writes', 214, 0)).toBe('wrote 214 files to a USB drive; usual is 0');
  });

  it('counts per window and learns history only from past windows', () => {
    const events = [...Array.from({ length: 10 }, (_, d) => dayShift(d)).flat()];
    // Day 10: 02:10 logon on a new host, USB copy, new program, encrypted writes.
    events.push(
      ev({ time: at(10, 2, 10), host: 'ws9', user: 'u1', kind: 'logon' }),
      ev({
        time: at(10, 2, 11),
        host: 'ws9',
        user: 'u1',
        kind: 'device_connect',
        deviceType: 'usb-storage',
        removable: true,
      }),
      ...Array.from({ length: 5 }, (_, i) =>
        ev({
          time: at(10, 2, 12 + i),
          host: 'ws9',
          user: 'u1',
          kind: 'file_copy',
          path: `/phi/p/${i}.pdf`,
          folderClass: 'phi',
          targetPath: `/media/usb/${i}.pdf`,
          targetFolderClass: 'removable',
          label: 'exfil',
        }),
      ),
      ev({ time: at(10, 2, 20), host: 'ws9', user: 'u1', kind: 'process_start', executable: '/usr/bin/7z' }),
      ev({
        time: at(10, 2, 21),
        host: 'ws9',
        user: 'u1',
        kind: 'file_write',
        path: '/phi/x/a.enc',
        folderClass: 'phi',
        entropy: 7.9,
      }),
    );
    const windows = run(events);
    expect(windows).toHaveLength(11);
    const first = windows[0];
    expect(first.values[F.new_hosts]).toBe(1);
    expect(first.values[F.new_processes]).toBe(1);
    const normal = windows[9];
    expect(normal.values[F.new_hosts]).toBe(0);
    expect(normal.values[F.new_processes]).toBe(0);
    expect(normal.values[F.offhours_logons]).toBe(0);
    expect(normal.usualHours && formatHourRange(normal.usualHours)).toBe('08:00–17:00');
    const odd = windows[10];
    expect(odd.labels).toEqual(['exfil']);
    expect(odd.values[F.offhours_logons]).toBe(1);
    expect(odd.offHoursLogonAt).toBe(at(10, 2, 10));
    expect(odd.values[F.new_hosts]).toBe(1);
    expect(odd.values[F.removable_connects]).toBe(1);
    expect(odd.values[F.removable_writes]).toBe(5);
    expect(odd.values[F.phi_reads]).toBe(5);
    expect(odd.values[F.high_entropy_writes]).toBe(1);
    expect(odd.values[F.new_processes]).toBe(1);
    expect(odd.values[F.hour_rarity]).toBeGreaterThan(4);
    expect(odd.values[F.max_concurrent_hosts]).toBe(1);
  });

  it('counts patient data copied into a cloud-synced folder among the copies elsewhere', () => {
    const copy = (minute: number, targetPath: string, folderClass: 'phi' | 'other' = 'phi') =>
      ev({
        time: at(0, 10, minute),
        host: 'ws1',
        user: 'u1',
        kind: 'file_copy',
        path: `D:\\PHI\\icu\\${minute}.pdf`,
        folderClass,
        targetPath,
        targetFolderClass: 'other',
      });
    const [w] = run([
      copy(1, 'C:\\Users\\u1\\OneDrive\\1.pdf'),
      copy(2, 'C:\\Users\\u1\\Dropbox\\x\\2.pdf'),
      copy(3, 'C:\\Users\\u1\\Documents\\3.pdf'),
      copy(4, 'C:\\Users\\u1\\OneDrive\\4.pdf', 'other'),
    ]);
    expect([w.values[F.phi_copies_to_sync], w.values[F.phi_copies_elsewhere]]).toEqual([2, 3]);
  });

  it('counts a patient file opened once a window, and one opened and copied out as one file touched and one copy', () => {
    const base = { host: 'ws1', user: 'u1', folderClass: 'phi' as const };
    const read = (minute: number, name: string) =>
      ev({ ...base, time: at(0, 10, minute), kind: 'file_read', path: `D:\\PHI\\icu\\${name}` });
    const copy = (minute: number, name: string) =>
      ev({
        ...base,
        time: at(0, 10, minute),
        kind: 'file_copy',
        path: `D:\\PHI\\icu\\${name}`,
        targetPath: `E:\\${name}`,
        targetFolderClass: 'removable',
      });
    const [w] = run([
      read(1, 'a.pdf'),
      read(2, 'a.pdf'),
      read(3, 'b.pdf'),
      copy(4, 'b.pdf'),
      copy(5, 'c.pdf'),
      read(6, 'c.pdf'),
    ]);
    const v = (name: keyof typeof F) => w.values[F[name]];
    // a, b and c opened; b and c also copied to the stick: two copies out, three files touched.
    expect([v('phi_reads'), v('removable_writes'), v('peak_hour_file_ops')]).toEqual([2, 2, 3]);
    expect([v('phi_writes'), v('phi_copies_elsewhere')]).toEqual([0, 0]);
  });

  it('remembers at most 10,000 opened files a window (reads are hostile input): past them a copy is a touch too', () => {
    const extractor = new FeatureExtractor();
    const base = { host: 'ws1', user: 'u1', folderClass: 'phi' as const, time: at(0, 10) };
    const read = (i: number) => ev({ ...base, kind: 'file_read', path: `/phi/icu/${i}.pdf` });
    const copy = (i: number) =>
      ev({
        ...base,
        kind: 'file_copy',
        path: `/phi/icu/${i}.pdf`,
        targetPath: '/tmp/x.pdf',
        targetFolderClass: 'other',
      });
    for (let i = 0; i <= 10_000; i++) extractor.push(read(i));
    const [w] = [...extractor.push(copy(0)), ...extractor.push(copy(10_000)), ...extractor.flush()];
    // 10,001 files opened; the first one's copy is the same touch, the last one's (not remembered) another.
    expect(w.values[F.peak_hour_file_ops]).toBe(10_002);
    expect(w.values[F.phi_reads]).toBe(2);
  });

  it('sees concurrent sessions on distinct workstations and counts late events', () => {
    const extractor = new FeatureExtractor();
    extractor.push(ev({ time: at(0, 8), host: 'a', user: 'u', kind: 'logon' }));
    extractor.push(ev({ time: at(0, 9), host: 'b', user: 'u', kind: 'logon' }));
    extractor.push(ev({ time: at(1, 9), host: 'b', user: 'u', kind: 'logoff' }));
    extractor.push(ev({ time: at(0, 23), host: 'b', user: 'u', kind: 'logoff' }));
    const [window] = extractor.flush();
    expect(extractor.late).toBe(1);
    expect(window.start).toBe(at(1, 0));
    expect(extractor.history('u').openSessions.size).toBe(1);
  });

  it('emits one window per (user, workstation) when asked, with history shared across them', () => {
    const extractor = new FeatureExtractor({ perHost: true });
    const events = [...dayShift(0, 'u', 'a'), ...dayShift(0, 'u', 'b'), ...dayShift(1, 'u', 'a')];
    events.sort((x, y) => x.time - y.time);
    const windows = [...events.flatMap((e) => extractor.push(e)), ...extractor.flush()];
    expect(windows.map((w) => `${w.host}@${(w.start - day0) / DAY_MS}`)).toEqual(['a@0', 'b@0', 'a@1']);
    expect(windows[0].values[F.max_concurrent_hosts]).toBe(1);
    expect(windows[1].values[F.max_concurrent_hosts]).toBe(2);
    expect(windows[2].values[F.new_hosts]).toBe(0);
    expect(windows[2].values[F.new_processes]).toBe(0);
  });
});
