// A user's day window for the scoring tests: the values given, the rest as the extractor
// leaves an ordinary day (one workstation of their own, no usual hours learned yet).
import type { FeatureWindow } from '@wardwatch/shared';

const DAY = 86_400_000;

export function dayWindow(
  user: string,
  day: number,
  values: Float64Array,
  { role = 'nurse', historyWindows = day }: { role?: string; historyWindows?: number } = {},
): FeatureWindow {
  const start = day * DAY;
  return {
    user,
    host: `ws-${user}`,
    hosts: [`ws-${user}`],
    start,
    end: start + DAY,
    values,
    historyWindows,
    role,
    unit: undefined,
    labels: [],
    eventCount: 10,
    firstEventAt: start,
    lastEventAt: start + 1,
    usualHours: null,
    offHoursLogonAt: null,
    utcOffsetMinutes: 0,
  };
}
