// What a heartbeat may say about an agent's health, as the manager keeps it. Every
// value is the agent's word and may be hostile: at most 32 components and 32 drop
// reasons, names and keys of at most 64 characters, messages of at most 256, a
// state that is one of three, counts that are whole and not negative. A heartbeat
// outside these is not stored (counted and logged); an honest agent fits them
// (agent/src/status/).
import type { Heartbeat } from '@wardwatch/proto';
import { ReadCounts } from '@wardwatch/shared';
import { z } from 'zod';

export const MAX_COMPONENTS = 32;
export const COMPONENT_NAME_MAX = 64;
export const COMPONENT_MESSAGE_MAX = 256;
export const MAX_DROP_REASONS = 32;
export const DROP_REASON_MAX = 64;

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const ComponentReport = z.object({
  name: z.string().min(1).max(COMPONENT_NAME_MAX),
  state: z.enum(['running', 'failed', 'stopped']),
  message: z.string().max(COMPONENT_MESSAGE_MAX),
  sinceMs: count,
});
export type ComponentReport = z.infer<typeof ComponentReport>;

export const HeartbeatStats = z.object({
  eventsSent: count,
  eventsDropped: count,
  queueLength: count,
  outboxBytes: count,
  cpuPercent: z.number().min(0).max(100_000),
  rssBytes: count,
});
export type HeartbeatStats = z.infer<typeof HeartbeatStats>;

export const HeartbeatHealth = z.object({
  stats: HeartbeatStats,
  droppedByReason: z.record(z.string().min(1).max(DROP_REASON_MAX), count),
  components: z.array(ComponentReport).max(MAX_COMPONENTS),
  /** Patient-file reads since the agent started; null where it audits none. */
  reads: ReadCounts.nullable(),
});
export type HeartbeatHealth = z.infer<typeof HeartbeatHealth>;

/**
 * The report within bounds, or why not. The counts of map keys and list items are
 * checked before the schema looks at each one, so an oversized report costs little.
 */
export function readHeartbeatHealth(
  input: Heartbeat,
): { ok: true; health: HeartbeatHealth } | { ok: false; reason: string } {
  if (!input.stats) return { ok: false, reason: 'no stats' };
  const { droppedByReason: drops, reads, ...stats } = input.stats;
  const reasons = Object.keys(drops).length;
  if (reasons > MAX_DROP_REASONS) return { ok: false, reason: `${reasons} drop reasons; at most ${MAX_DROP_REASONS}` };
  if (input.components.length > MAX_COMPONENTS)
    return { ok: false, reason: `${input.components.length} components; at most ${MAX_COMPONENTS}` };
  const parsed = HeartbeatHealth.safeParse({
    stats,
    droppedByReason: drops,
    components: input.components,
    reads: reads ?? null,
  });
  if (parsed.success) return { ok: true, health: parsed.data };
  const issue = parsed.error.issues[0];
  const where = (issue?.path ?? []).map((part) => String(part).slice(0, DROP_REASON_MAX)).join('.');
  return { ok: false, reason: `${where}: ${issue?.message ?? 'invalid'}` };
}
