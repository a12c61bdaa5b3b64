// A labelled recording to evaluate on (issue #10, item 10: "the same figures on
// real data"): portable events, benign unless they carry a label, e.g. a public
// insider-threat data set converted by scripts/import/cert-insider. Learning
// covers the first `trainDays` calendar days (UTC), scoring the rest, as the
// simulator's runs do.
import { createReadStream } from 'node:fs';
import { emptyReadStats, readPortableEvents, type PortableEvent, type ReadStats } from '@wardwatch/shared';
import type { LabelledData } from './run-evaluation';

const DAY_MS = 86_400_000;
/** Bad lines quoted in the report; the rest are only counted. */
const QUOTED_BAD_LINES = 5;

export interface Recording extends LabelledData {
  path: string;
  /** UTC midnight before the first event. */
  start: number;
  days: number;
  trainDays: number;
  users: number;
  read: ReadStats;
  /** The first few bad lines, `line N: reason`. */
  badLines: string[];
}

/**
 * Reads the recording and places the cut-off `trainDays` after its first day's midnight (two
 * thirds of its days when not given). Bad lines are counted and skipped; a recording with no
 * event, or too short to learn on some days and score others, is refused.
 */
export async function readRecording(path: string, trainDays?: number): Promise<Recording> {
  const read = emptyReadStats();
  const badLines: string[] = [];
  const events: PortableEvent[] = [];
  const roles = new Map<string, string>();
  const stream = createReadStream(path);
  for await (const event of readPortableEvents(
    stream,
    (bad) => {
      if (badLines.length < QUOTED_BAD_LINES) badLines.push(`line ${bad.line}: ${bad.reason}`);
    },
    read,
  )) {
    events.push(event);
    const role = roles.get(event.user);
    if (role === undefined || (role === '?' && event.role)) roles.set(event.user, event.role ?? '?');
  }
  if (events.length === 0) throw new Error(`${path}: no event could be read (${read.errors} bad lines)`);
  let first = Infinity;
  let last = -Infinity;
  for (const e of events) {
    first = Math.min(first, e.time);
    last = Math.max(last, e.time);
  }
  const start = Math.floor(first / DAY_MS) * DAY_MS;
  const days = Math.floor((last - start) / DAY_MS) + 1;
  const train = trainDays ?? Math.floor((2 * days) / 3);
  if (!(Number.isInteger(train) && train >= 1 && train < days))
    throw new Error(`--train-days: the recording spans ${days} days; learn on 1 to ${days - 1} of them`);
  return {
    path,
    events,
    attackFrom: start + train * DAY_MS,
    roleOf: (user) => roles.get(user) ?? '?',
    start,
    days,
    trainDays: train,
    users: roles.size,
    read,
    badLines,
  };
}
