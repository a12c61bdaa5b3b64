// Counts every event the agent gives up, by reason, priority class and category
// (keys like `rate_limit.low.file` or `queue_full.high.login`). The same counts
// feed three reports: the next EventBatch's `dropped` map (handed back if that
// batch is lost), the running totals for heartbeats and the local API, and a
// periodic log line.
import type { Event } from '@wardwatch/proto';
import type { DROP_REASONS } from '@wardwatch/shared/agent';
import type { Priority } from './event-priority';

/**
 * rate_limit: refused by the budget; over_limit: held back by a collector's own bound (reads per
 * minute); queue_full: the outbox was full; expired: older than the
 * outbox's age bound; write_failed: the disk refused it; torn / tampered: a stored record that
 * could not be read back (cut off by a crash, or altered) — its class is then `unknown`.
 */
export type UnreadableReason = 'torn' | 'tampered';
export type DropReason = Exclude<(typeof DROP_REASONS)[number], UnreadableReason>;

export function dropKey(reason: DropReason, priority: Priority, event: Event | null): string {
  return `${reason}.${priority}.${event?.detail?.$case ?? 'unknown'}`;
}

export class DropCounter {
  private sinceBatch: Record<string, number> = {};
  private sinceLog: Record<string, number> = {};
  private readonly totals: Record<string, number> = {};
  private totalCount = 0;
  private readonly highDropListeners: ((key: string) => void)[] = [];

  count(reason: DropReason, priority: Priority, event: Event | null): void {
    const key = dropKey(reason, priority, event);
    this.add(key, 1);
    if (priority === 'high') for (const listener of this.highDropListeners) listener(key);
  }

  /** Stored records that could not be read back, so neither class nor category is known. */
  countUnreadable(reason: UnreadableReason, records: number): void {
    if (records > 0) this.add(`${reason}.unknown.unknown`, records);
  }

  /** Called for every high-priority drop (tests use it to check the budget's promise). */
  onHighDrop(listener: (key: string) => void): void {
    this.highDropListeners.push(listener);
  }

  get total(): number {
    return this.totalCount;
  }

  /** Running totals by key since the start. */
  byKey(): Record<string, number> {
    return { ...this.totals };
  }

  hasUnreported(): boolean {
    for (const _ in this.sinceBatch) return true;
    return false;
  }

  /** The counts for the next batch; they are then owed by that batch. */
  takeForBatch(): Record<string, number> {
    const taken = this.sinceBatch;
    this.sinceBatch = {};
    return taken;
  }

  /** A batch that carried these counts was never acknowledged: report them again. */
  giveBack(counts: Record<string, number>): void {
    for (const [key, count] of Object.entries(counts)) add(this.sinceBatch, key, count);
  }

  /** Counts since the previous call, for the log line; empty when nothing was dropped. */
  takeForLog(): Record<string, number> {
    const taken = this.sinceLog;
    this.sinceLog = {};
    return taken;
  }

  private add(key: string, count: number): void {
    add(this.sinceBatch, key, count);
    add(this.sinceLog, key, count);
    add(this.totals, key, count);
    this.totalCount += count;
  }
}

function add(map: Record<string, number>, key: string, count: number): void {
  map[key] = (map[key] ?? 0) + count;
}
