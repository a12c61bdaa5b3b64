// The events page keeps one list, newest first: pages from the REST API are appended
// at the tail ("load older"), live events from the stream are put on top. Events are
// unique by id, since a live event can also arrive in a page that was fetched later.
import type { EventView } from '@wardwatch/shared';

export const LIVE_LIST_BOUND = 500;

export interface MergeResult {
  events: EventView[];
  /** How many of the oldest rows fell off the tail to keep the bound. */
  dropped: number;
}

function newestFirst(a: EventView, b: EventView): number {
  return b.timeMs - a.timeMs || b.receivedMs - a.receivedMs;
}

/** Puts live events on top (newest first), drops duplicates, keeps at most `bound` rows. */
export function mergeLive(
  existing: readonly EventView[],
  incoming: readonly EventView[],
  bound = LIVE_LIST_BOUND,
): MergeResult {
  const known = new Set(existing.map((event) => event.id));
  const fresh: EventView[] = [];
  for (const event of incoming) {
    if (known.has(event.id)) continue;
    known.add(event.id);
    fresh.push(event);
  }
  if (fresh.length === 0)
    return { events: [...existing].slice(0, bound), dropped: Math.max(0, existing.length - bound) };
  fresh.sort(newestFirst);
  // An agent that was offline delivers old events late: they go below newer rows.
  const merged = [...fresh, ...existing];
  const sorted = isSorted(merged) ? merged : merged.sort(newestFirst);
  return { events: sorted.slice(0, bound), dropped: Math.max(0, sorted.length - bound) };
}

/** Appends an older page below the list, skipping rows already shown. */
export function appendOlder(existing: readonly EventView[], older: readonly EventView[]): EventView[] {
  const known = new Set(existing.map((event) => event.id));
  return [...existing, ...older.filter((event) => !known.has(event.id))];
}

function isSorted(events: readonly EventView[]): boolean {
  for (let i = 1; i < events.length; i += 1) {
    if (newestFirst(events[i - 1], events[i]) > 0) return false;
  }
  return true;
}
