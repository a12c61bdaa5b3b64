// The AgentStats a heartbeat carries, from the outbox's running counts and the
// process's own use. The manager refuses a drop map over its bounds (32 keys of at
// most 64 characters), so the map is fitted here: the largest counts keep their
// keys and the rest are summed under `other`, which loses no drop from the total.
import type { AgentStats } from '@wardwatch/proto';
import type { ReadCounts } from '@wardwatch/shared/agent';
import type { OutboxStats } from '../outbox/outbox';
import type { ProcessSample } from '../watchdog/process-stats';

export const MAX_DROP_KEYS = 32;
export const DROP_KEY_MAX = 64;
export const OTHER_DROPS = 'other';

/** `reads`: the reads collector's counts, where the agent audits reads (absent elsewhere). */
export function heartbeatStats(outbox: OutboxStats, process: ProcessSample, reads?: ReadCounts): AgentStats {
  return {
    eventsSent: outbox.sent,
    eventsDropped: outbox.dropped,
    queueLength: outbox.queued,
    droppedByReason: fitDrops(outbox.droppedByReason),
    outboxBytes: outbox.storedBytes ?? 0,
    ...process,
    ...(reads ? { reads: { ...reads } } : {}),
  };
}

export function fitDrops(byKey: Record<string, number>): Record<string, number> {
  const entries = Object.entries(byKey).filter(([, count]) => Number.isFinite(count) && count > 0);
  const fits = entries.length <= MAX_DROP_KEYS && entries.every(([key]) => key.length <= DROP_KEY_MAX);
  if (fits) return Object.fromEntries(entries);
  const kept = entries.filter(([key]) => key.length <= DROP_KEY_MAX && key !== OTHER_DROPS);
  kept.sort(([, a], [, b]) => b - a);
  const shown = kept.slice(0, MAX_DROP_KEYS - 1);
  const shownKeys = new Set(shown.map(([key]) => key));
  const rest = entries.filter(([key]) => !shownKeys.has(key)).reduce((sum, [, count]) => sum + count, 0);
  return Object.fromEntries(rest > 0 ? [...shown, [OTHER_DROPS, rest]] : shown);
}
