// A labelled recording to evaluate on (issue #10, item 10: "the same figures on
// real data"): portable events, benign unless they carry a label, e.g. a public
// insider-threat data set converted by scripts/import/cert-insider. Learning
// covers the first `trainDays` calendar days (UTC) or runs up to a given time,
// scoring the rest, as the simulator's runs do. Without labels it still gives
// the site's alerts per 1,000 user-days.
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
  /** Days from `start` to the cut (to a tenth when the cut is not at midnight). */
  trainDays: number;
  users: number;
  read: ReadStats;
  /** The first few bad lines, `line N: reason`. */
  badLines: string[];
}

/** Where learning ends: days from the recording's first midnight, or a time. */
export type RecordingCut = { trainDays?: number } | { trainUntil: number };

/**
 * Reads the recording and places the cut-off `trainDays` after its first day's midnight (two
 * thirds of its days when not given) or at `trainUntil`. Bad lines are counted and skipped; a
 * recording with no event, or a cut that leaves nothing to learn or nothing to score, is refused.
 */
export async function readRecording(path: string, cut: RecordingCut = {}): Promise<Recording> {
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
  let attackFrom: number;
  if ('trainUntil' in cut) {
    attackFrom = cut.trainUntil;
    if (!(attackFrom > first && attackFrom <= last))
      throw new Error(
        `--train-until: the recording runs from ${new Date(first).toISOString()} to ${new Date(last).toISOString()}; cut between them`,
      );
  } else {
    const train = cut.trainDays ?? Math.floor((2 * days) / 3);
    if (!(Number.isInteger(train) && train >= 1 && train < days))
      throw new Error(`--train-days: the recording spans ${days} days; learn on 1 to ${days - 1} of them`);
    attackFrom = start + train * DAY_MS;
  }
  return {
    path,
    events,
    attackFrom,
    roleOf: (user) => roles.get(user) ?? '?',
    start,
    days,
    trainDays: Math.round((10 * (attackFrom - start)) / DAY_MS) / 10,
    users: roles.size,
    read,
    badLines,
  };
}
