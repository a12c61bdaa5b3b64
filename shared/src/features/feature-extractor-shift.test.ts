import { describe, expect, it } from 'vitest';
import { PortableEvent, type PortableEventInput } from '../portable/event.schema';
import { DAY_MS, FeatureExtractor, type FeatureExtractorOptions, type FeatureWindow } from './feature-extractor';
import { FEATURE_INDEX as F } from './feature-definitions';

const HOUR = 3_600_000;
const day0 = Date.parse('2026-03-02T00:00:00Z');
const at = (day: number, hour: number, minute = 0) => day0 + day * DAY_MS + hour * HOUR + minute * 60_000;
type WithoutVersion<T> = T extends unknown ? Omit<T, 'v'> : never;
const ev = (input: WithoutVersion<PortableEventInput>): PortableEvent => PortableEvent.parse({ v: 1, ...input });

/** A shift starting at `from` o'clock (UTC + `offsetHours`) on `day`, one event an hour, with USB copies at `usbAt` hours after its start. */
function shift(
  user: string,
  day: number,
  from: number,
  hours: number,
  role = 'nurse',
  usbAt: number[] = [],
  offsetHours = 0,
) {
  const events: PortableEvent[] = [];
  for (let k = 0; k < hours; k++) {
    const time = at(day, from + k - offsetHours, 5);
    const kind = k === 0 ? 'logon' : 'process_start';
    events.push(
      kind === 'logon'
        ? ev({ time, host: 'ws1', user, role, kind })
        : ev({ time, host: 'ws1', user, role, kind, executable: 'C:\\EHR\\ehr.exe' }),
    );
    if (usbAt.includes(k))
      events.push(
        ev({
          time: time + 60_000,
          host: 'ws1',
          user,
          role,
          kind: 'file_write',
          path: `/media/usb/${day}-${k}.pdf`,
          folderClass: 'removable',
        }),
      );
  }
  return events;
}

function run(events: PortableEvent[], options: FeatureExtractorOptions = {}): FeatureWindow[] {
  const extractor = new FeatureExtractor(options);
  const ordered = [...events].sort((a, b) => a.time - b.time);
  return [...ordered.flatMap((e) => extractor.push(e)), ...extractor.flush()];
}

const windowsOf = (windows: FeatureWindow[], user: string) => windows.filter((w) => w.user === user);

describe('FeatureExtractor: a day follows the user’s shift', () => {
  it('puts a night shift’s activity after midnight in the same window as the evening’s', () => {
    // Ten nights 19:00–07:00; on the last, USB writes at 22:05 and at 03:05.
    const events = Array.from({ length: 10 }, (_, d) =>
      shift('night', d, 19, 12, 'nurse', d === 9 ? [3, 8] : []),
    ).flat();
    const windows = windowsOf(run(events), 'night');
    const last = windows.at(-1) as FeatureWindow;
    // Own history from the fourth night on (30 active hours): day windows begin at 13:00, mid-sleep.
    expect(last.start).toBe(at(9, 13));
    expect(last.end).toBe(at(10, 13));
    expect(last.eventCount).toBe(14);
    expect(last.values[F.removable_writes]).toBe(2);
    // Once the boundary has moved, every night is one window, and no window overlaps the next.
    const shifted = windows.filter((w) => w.start % DAY_MS === 13 * HOUR);
    expect(shifted.length).toBeGreaterThanOrEqual(6);
    for (const w of shifted.slice(0, -1)) expect(w.eventCount).toBe(12);
    for (let i = 1; i < windows.length; i++) expect(windows[i].start).toBeGreaterThanOrEqual(windows[i - 1].end);
  });

  it('splits the same nights at midnight with dayBoundary "midnight" (the calendar day)', () => {
    const events = Array.from({ length: 10 }, (_, d) =>
      shift('night', d, 19, 12, 'nurse', d === 9 ? [3, 8] : []),
    ).flat();
    const windows = windowsOf(run(events, { dayBoundary: 'midnight' }), 'night');
    for (const w of windows) expect(w.start % DAY_MS).toBe(0);
    const lastNight = windows.filter((w) => w.values[F.removable_writes] > 0);
    expect(lastNight.map((w) => w.values[F.removable_writes])).toEqual([1, 1]);
  });

  it('leaves a day worker’s windows on calendar days, also next to night workers', () => {
    const events = Array.from({ length: 10 }, (_, d) => [
      ...shift('day', d, 7, 12),
      ...shift('night', d, 19, 12),
    ]).flat();
    const day = windowsOf(run(events), 'day');
    expect(day).toHaveLength(10);
    for (const [d, w] of day.entries()) expect(w).toMatchObject({ start: at(d, 0), end: at(d + 1, 0), eventCount: 12 });
  });

  it('gives a new night worker their peers’ boundary from the first window, a new user the fleet’s', () => {
    // Five night nurses' history; then a new night nurse and a new clerk arrive.
    const events = Array.from({ length: 6 }, (_, d) =>
      [1, 2, 3, 4, 5].flatMap((n) => shift(`n${n}`, d, 19, 12)),
    ).flat();
    events.push(...shift('newNurse', 6, 19, 12), ...shift('newClerk', 6, 19, 12, 'clerk'));
    const windows = run(events);
    // The role's hours say 13:00; the fleet's too here (only night nurses so far): both begin mid-sleep.
    expect(windowsOf(windows, 'newNurse')).toMatchObject([{ start: at(6, 13), eventCount: 12 }]);
    expect(windowsOf(windows, 'newClerk')).toMatchObject([{ start: at(6, 13), eventCount: 12 }]);
    // With nothing learned at all, a first window is a calendar day.
    expect(windowsOf(run(shift('first', 0, 19, 12)), 'first').map((w) => w.start)).toEqual([at(0, 0), at(1, 0)]);
  });

  it('cold start: a night worker among day workers starts on calendar days and moves once their own hours are known', () => {
    const events = Array.from({ length: 8 }, (_, d) => [
      ...[1, 2, 3, 4].flatMap((n) => shift(`d${n}`, d, 7, 12, 'clerk')),
      ...shift('night', d, 19, 12, 'clerk'),
    ]).flat();
    const windows = windowsOf(run(events), 'night');
    expect(windows[0].start).toBe(at(0, 0));
    // The move: one shorter window from the last midnight to 13:00, then whole nights.
    const moved = windows.findIndex((w) => w.start % DAY_MS === 13 * HOUR);
    expect(moved).toBeGreaterThan(0);
    expect(windows[moved - 1].end).toBe(windows[moved].start);
    expect(windows[moved - 1].start % DAY_MS).toBe(0);
    expect(windows.slice(moved, -1).every((w) => w.eventCount === 12)).toBe(true);
  });

  it('learns the boundary in local hours (site time zone UTC+2)', () => {
    const offsetHours = 2;
    const events = Array.from({ length: 10 }, (_, d) => shift('night', d, 19, 12, 'nurse', [], offsetHours)).flat();
    const windows = windowsOf(run(events, { utcOffsetMinutes: offsetHours * 60 }), 'night');
    const last = windows.at(-2) as FeatureWindow;
    // 13:00 local is 11:00 UTC; the fixed offset has no daylight-saving change to follow.
    expect(last.start).toBe(at(8, 13 - offsetHours));
    expect(last.eventCount).toBe(12);
  });

  it('treats an event before the user’s open shifted window as late (dropped without a late bound)', () => {
    const extractor = new FeatureExtractor();
    const events = Array.from({ length: 6 }, (_, d) => shift('night', d, 19, 12)).flat();
    for (const e of events) extractor.push(e);
    // The open window began at 13:00 on day 5; an event at 12:00 that day belongs to the closed one.
    extractor.push(ev({ time: at(5, 12), host: 'ws1', user: 'night', kind: 'logon' }));
    expect(extractor.lateDropped.beyond_late_bound).toBe(1);
    expect(extractor.lastWindowStart).toBeUndefined();
    const [open] = extractor.flush();
    expect(open).toMatchObject({ start: at(5, 13), eventCount: 12 });
  });
});
