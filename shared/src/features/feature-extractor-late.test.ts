import { describe, expect, it } from 'vitest';
import { PortableEvent, type PortableEventInput } from '../portable/event.schema';
import { DAY_MS, FeatureExtractor, MAX_LATE_WINDOWS } from './feature-extractor';
import { FEATURE_INDEX as F } from './feature-definitions';

const day0 = Date.parse('2026-03-02T00:00:00Z');
const at = (day: number, hour: number, minute = 0) => day0 + day * DAY_MS + hour * 3_600_000 + minute * 60_000;
type WithoutVersion<T> = T extends unknown ? Omit<T, 'v'> : never;
const ev = (input: WithoutVersion<PortableEventInput>): PortableEvent => PortableEvent.parse({ v: 1, ...input });
const usbCopy = (day: number, user: string, i: number) =>
  ev({
    time: at(day, 10, i),
    host: 'ws1',
    user,
    kind: 'file_write',
    path: `/media/usb/${i}.pdf`,
    folderClass: 'removable',
  });

describe('FeatureExtractor: late events', () => {
  it('puts a backlog of yesterday, read after today began, in a window of its own', () => {
    const extractor = new FeatureExtractor({ lateWindowMs: 2 * DAY_MS });
    extractor.push(ev({ time: at(1, 8), host: 'ws1', user: 'u', kind: 'logon' }));
    for (let i = 0; i < 5; i++) expect(extractor.push(usbCopy(0, 'u', i))).toEqual([]);
    // Still reading the backlog: the late window stays open across one timer tick.
    expect(extractor.closeIdleLate()).toEqual([]);
    const [yesterday] = extractor.closeIdleLate();
    expect(yesterday).toMatchObject({ user: 'u', start: at(0, 0), end: at(1, 0), eventCount: 5 });
    expect(yesterday.values[F.removable_writes]).toBe(5);
    expect(extractor.lateScored).toBe(5);
    expect(extractor.late).toBe(0);
    // Today's window is untouched by the late one.
    const [today] = extractor.flush();
    expect(today).toMatchObject({ start: at(1, 0), eventCount: 1 });
  });

  it('counts by reason what is older than the bound and never keeps more late windows than allowed', () => {
    const extractor = new FeatureExtractor({ lateWindowMs: DAY_MS });
    extractor.push(ev({ time: at(5, 8), host: 'ws1', user: 'u', kind: 'logon' }));
    extractor.push(usbCopy(3, 'u', 0));
    expect(extractor.lateDropped.beyond_late_bound).toBe(1);
    // Users' days may begin up to a day before the calendar's: hits wait that much longer.
    expect(extractor.lateLimit()).toBe(at(3, 0));
    const calendar = new FeatureExtractor({ lateWindowMs: DAY_MS, dayBoundary: 'midnight' });
    calendar.push(ev({ time: at(5, 8), host: 'ws1', user: 'u', kind: 'logon' }));
    expect(calendar.lateLimit()).toBe(at(4, 0));
    for (let i = 0; i <= MAX_LATE_WINDOWS; i++) extractor.push(usbCopy(4, `user${i}`, 0));
    expect(extractor.lateDropped.too_many_late_windows).toBe(1);
    expect(extractor.late).toBe(2);
    const closed = extractor.flush();
    expect(closed).toHaveLength(MAX_LATE_WINDOWS + 1);
    // Late windows close first, oldest first.
    expect(closed[0].start).toBe(at(4, 0));
    expect(closed.at(-1)?.start).toBe(at(5, 0));
  });

  it('drops and counts every late event without a bound (the offline default)', () => {
    const extractor = new FeatureExtractor();
    extractor.push(ev({ time: at(1, 8), host: 'ws1', user: 'u', kind: 'logon' }));
    extractor.push(usbCopy(0, 'u', 0));
    expect(extractor.lateDropped).toEqual({ beyond_late_bound: 1, too_many_late_windows: 0 });
    expect(extractor.flush()).toHaveLength(1);
  });
});
