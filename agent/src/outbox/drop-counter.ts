// Counts every event the agent gives up, by reason, priority class and category
// (keys like `rate_limit.low.file` or `queue_full.high.login`). The same counts
// feed three reports: the next EventBatch's `dropped` map (handed back if that
// batch is lost), the running totals for heartbeats and the local API, and a
// periodic log line.
import type { Event } from '@wardwatch/proto';
import type { Priority } from './event-priority';

export type DropReason = 'rate_limit' | 'queue_full';

export function dropKey(reason: DropReason, priority: Priority, event: Event): string {
  return `${reason}.${priority}.${event.detail?.$case ?? 'unknown'}`;
}

export class DropCounter {
  private sinceBatch: Record<string, number> = {};
  private sinceLog: Record<string, number> = {};
  private readonly totals: Record<string, number> = {};
  private totalCount = 0;
  private readonly highDropListeners: ((key: string) => void)[] = [];

  count(reason: DropReason, priority: Priority, event: Event): void {
    const key = dropKey(reason, priority, event);
    add(this.sinceBatch, key, 1);
    add(this.sinceLog, key, 1);
    add(this.totals, key, 1);
    this.totalCount += 1;
    if (priority === 'high') for (const listener of this.highDropListeners) listener(key);
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
}

function add(map: Record<string, number>, key: string, count: number): void {
  map[key] = (map[key] ?? 0) + count;
}
