// The window pipeline keeps the feature windows and the behavioural identity's
// sessions on the same windows when a user's day begins at their own hour: a night
// shift's window carries the owner match of its sessions, before and after midnight.
// What is learned when: a scored window after a week, one that alerted after two, one an
// analyst judged at once (false positive, benign) or never (true positive).
import { describe, expect, it } from 'vitest';
import { PortableEvent, type PortableEventInput } from '@wardwatch/shared/agent';
import {
  benignWindows,
  LEARN_AFTER_MS,
  verdictKey,
  WindowPipeline,
  withheldWindows,
  type LearnedWindow,
  type WindowVerdicts,
} from './window-pipeline';
import type { RuleHit } from '../rules/rule-engine';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const day0 = Date.parse('2026-03-02T00:00:00Z');
type WithoutVersion<T> = T extends unknown ? Omit<T, 'v'> : never;
const ev = (input: WithoutVersion<PortableEventInput>): PortableEvent => PortableEvent.parse({ v: 1, ...input });

/** A 12-hour shift from `from` o'clock on `day`: a logon, then a program an hour. */
function shift(user: string, host: string, day: number, from: number): PortableEvent[] {
  const at = (k: number) => day0 + day * DAY + (from + k) * HOUR + 5 * 60_000;
  return [
    ev({ time: at(0), host, user, role: 'nurse', kind: 'logon', method: 'password' }),
    ...Array.from({ length: 11 }, (_, k) =>
      ev({ time: at(k + 1), host, user, role: 'nurse', kind: 'process_start', executable: 'C:\\EHR\\ehr.exe' }),
    ),
  ];
}

function learned(dayBoundary: 'shift' | 'midnight') {
  const pipeline = new WindowPipeline([], { dayBoundary });
  const events = Array.from({ length: 8 }, (_, d) => [...shift('night', 'ws1', d, 19), ...shift('day', 'ws2', d, 7)])
    .flat()
    .sort((a, b) => a.time - b.time);
  for (const event of events) pipeline.observe(event);
  pipeline.flush();
  return pipeline.learned.map((l) => l.window);
}

describe('WindowPipeline with shift-based days', () => {
  it('judges a night shift’s sessions in the window the extractor put them in', () => {
    const night = learned('shift').filter((w) => w.user === 'night');
    const whole = night.filter((w) => w.start % DAY === 13 * HOUR && w.eventCount === 12);
    expect(whole.length).toBeGreaterThanOrEqual(3);
    // One session (one workstation) spanning midnight, judged once per window: none lost.
    for (const w of whole) expect(w.identity?.sessions).toBe(1);
    for (const w of night) expect(w.identity).toBeDefined();
  });

  it('leaves the day worker on calendar days, and the night shift on them too with dayBoundary midnight', () => {
    expect(
      learned('shift')
        .filter((w) => w.user === 'day')
        .every((w) => w.start % DAY === 0),
    ).toBe(true);
    const calendar = learned('midnight');
    expect(calendar.every((w) => w.start % DAY === 0)).toBe(true);
    expect(calendar.filter((w) => w.user === 'night')).toHaveLength(9);
  });
});

describe("what is learned when, with analysts' verdicts", () => {
  // Two days of the day worker, both scored and alerting, the second one just closed.
  const [older, recent] = learned('midnight').filter((w) => w.user === 'day');
  const scored: LearnedWindow[] = [
    { window: older, hits: [], alerted: true },
    { window: recent, hits: [], alerted: true },
  ];
  const now = recent.end + HOUR;
  const starts = (windows: { start: number }[]) => windows.map((w) => w.start);

  it('without verdicts withholds both alerting windows and learns neither yet', () => {
    expect(benignWindows(scored, now)).toEqual([]);
    expect(starts(withheldWindows(scored, now + LEARN_AFTER_MS))).toEqual([older.start, recent.start]);
  });

  it('learns a window judged a false positive or benign at once, no longer withheld', () => {
    const verdicts: WindowVerdicts = new Map([[verdictKey('day', recent.start), 'learn']]);
    expect(starts(benignWindows(scored, now, verdicts))).toEqual([recent.start]);
    expect(starts(withheldWindows(scored, now + LEARN_AFTER_MS, verdicts))).toEqual([older.start]);
  });

  it('never learns a window judged a true positive, nor counts it among the withheld', () => {
    const verdicts: WindowVerdicts = new Map([
      [verdictKey('day', older.start), 'never'],
      [verdictKey('day', recent.start), 'learn'],
    ]);
    const later = recent.end + 60 * DAY;
    expect(starts(benignWindows(scored, later))).toEqual([older.start, recent.start]);
    expect(starts(benignWindows(scored, later, verdicts))).toEqual([recent.start]);
    expect(starts(benignWindows(scored, undefined, verdicts))).toEqual([recent.start]);
    expect(withheldWindows(scored, now + LEARN_AFTER_MS, verdicts)).toEqual([]);
    expect(withheldWindows(scored, undefined, new Map([[verdictKey('day', older.start), 'never']]))).toEqual([]);
  });

  it('keeps the same user’s days within a week of a confirmed incident out too, unless judged themselves', () => {
    // A month of the day worker's windows, none alerting but day 20's, confirmed.
    const month = Array.from({ length: 30 }, (_, d): LearnedWindow => {
      const start = older.start + d * DAY;
      return { window: { ...older, start, end: start + DAY }, hits: [], alerted: d === 20 };
    });
    const other = { window: { ...month[18].window, user: 'night' }, hits: [], alerted: false };
    const at = older.start + 60 * DAY;
    const day = (w: { start: number }) => Math.round((w.start - older.start) / DAY);
    const confirmed: WindowVerdicts = new Map([[verdictKey('day', month[20].window.start), 'never']]);
    expect(benignWindows([...month, other], at, confirmed).map(day)).toEqual([
      ...Array.from({ length: 13 }, (_, d) => d),
      28,
      29,
      18,
    ]);
    // Day 15 judged benign on its own is learned.
    const judged: WindowVerdicts = new Map([...confirmed, [verdictKey('day', month[15].window.start), 'learn']]);
    expect(benignWindows(month, at, judged).map(day)).toContain(15);
    // The case's other alerting days are not counted among the withheld (level samples) either.
    month[24].alerted = true;
    expect(withheldWindows(month, month[24].window.end + LEARN_AFTER_MS + HOUR, confirmed)).toEqual([]);
    expect(withheldWindows(month, month[24].window.end + LEARN_AFTER_MS + HOUR).map(day)).toEqual([20, 24]);
  });

  it('learns a rule-hit window only when an analyst judged it benign', () => {
    // A nightly backup job writing to a USB drive: the same rule on both days.
    const hit: RuleHit = {
      ruleId: 'mass-usb-copy',
      title: 'Mass copy to removable media',
      severity: 'high',
      time: older.start,
      host: 'ws-1',
      users: ['day'],
      count: 60,
      reason: 'wrote 60 files',
      fields: {},
    };
    const withHit = scored.map((l) => ({ ...l, hits: [hit] }));
    const later = recent.end + 60 * DAY;
    expect(benignWindows(withHit, later)).toEqual([]);
    expect(withheldWindows(withHit, later)).toEqual([]);
    const verdicts: WindowVerdicts = new Map([
      [verdictKey('day', older.start), 'never'],
      [verdictKey('day', recent.start), 'learn'],
    ]);
    expect(starts(benignWindows(withHit, now, verdicts))).toEqual([recent.start]);
    expect(withheldWindows(withHit, later, verdicts)).toEqual([]);
  });

  it('matches a verdict by user and window start only', () => {
    const verdicts: WindowVerdicts = new Map([
      [verdictKey('night', recent.start), 'learn'],
      [verdictKey('day', recent.start + 1), 'learn'],
    ]);
    expect(benignWindows(scored, now, verdicts)).toEqual([]);
  });
});
