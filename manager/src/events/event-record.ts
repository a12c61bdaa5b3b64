// Turns a proto Event from an agent into the row we store, after checking it
// with zod: an event that does not fit is refused on its own, with a reason.
import type { Event as ProtoEvent } from '@wardwatch/proto';
import { eventCategories, type EventCategory } from '@wardwatch/shared';
import { z } from 'zod';

export interface EventRecord {
  agentId: string;
  eventId: string;
  /** The agent's per-event sequence (from 1, no gaps but counted drops); null when the agent gave none (0). */
  sequence: number | null;
  hostname: string;
  timeMs: number;
  receivedMs: number;
  severity: number;
  user: string;
  category: EventCategory;
  action: string;
  detail: Record<string, unknown>;
}

/**
 * Event times an agent may give, around the time the manager received the event: a
 * clock a little fast is tolerated, a time further ahead (which would sort an event
 * above everything real for days) or older than the retention horizon is refused.
 */
export interface EventTimeWindow {
  maxFutureMs: number;
  maxEventAgeMs: number;
}

export const DEFAULT_TIME_WINDOW: EventTimeWindow = { maxFutureMs: 5 * 60_000, maxEventAgeMs: 30 * 86_400_000 };

const EventShape = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_.:-]+$/, 'event id may hold letters, digits and _.:- only'),
  timeMs: z.number().int().min(0),
  sequence: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  severity: z.number().int().min(0).max(5),
  user: z.string().max(256),
  detail: z.object({ $case: z.enum(eventCategories), value: z.looseObject({ action: z.string().min(1).max(64) }) }),
});

/** `event_time`: well formed, but its time is outside the window. */
export type RecordResult = { ok: true; record: EventRecord } | { ok: false; reason: string; code?: 'event_time' };

export function toEventRecord(
  event: ProtoEvent,
  agentId: string,
  hostname: string,
  receivedMs: number,
  window: EventTimeWindow = DEFAULT_TIME_WINDOW,
): RecordResult {
  const parsed = EventShape.safeParse(event);
  if (!parsed.success)
    return {
      ok: false,
      reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'event'}: ${i.message}`).join('; '),
    };
  const e = parsed.data;
  if (e.timeMs > receivedMs + window.maxFutureMs)
    return {
      ok: false,
      code: 'event_time',
      reason: `timeMs is more than ${Math.round(window.maxFutureMs / 1_000)} s ahead of the manager's clock`,
    };
  if (e.timeMs < receivedMs - window.maxEventAgeMs)
    return {
      ok: false,
      code: 'event_time',
      reason: `timeMs is more than ${Math.round(window.maxEventAgeMs / 86_400_000)} days in the past`,
    };
  const { action, ...rest } = e.detail.value;
  const detail = capStrings({ action, ...rest });
  return {
    ok: true,
    record: {
      agentId,
      eventId: e.id,
      sequence: e.sequence === 0 ? null : e.sequence,
      hostname,
      timeMs: e.timeMs,
      receivedMs,
      severity: e.severity,
      user: e.user,
      category: e.detail.$case,
      action,
      detail,
    },
  };
}

const MAX_FIELD = 4_096;

/** Long strings are cut so that one event cannot fill the database. */
function capStrings(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    out[key] = typeof v === 'string' && v.length > MAX_FIELD ? `${v.slice(0, MAX_FIELD)}…` : v;
  return out;
}
