// Turns a proto Event from an agent into the row we store, after checking it
// with zod: an event that does not fit is refused on its own, with a reason.
import type { Event as ProtoEvent } from '@wardwatch/proto';
import { eventCategories, type EventCategory } from '@wardwatch/shared';
import { z } from 'zod';

export interface EventRecord {
  agentId: string;
  eventId: string;
  hostname: string;
  timeMs: number;
  receivedMs: number;
  severity: number;
  user: string;
  category: EventCategory;
  action: string;
  detail: Record<string, unknown>;
}

const MAX_FUTURE_MS = 24 * 3_600_000;

const EventShape = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_.:-]+$/, 'event id may hold letters, digits and _.:- only'),
  timeMs: z.number().int().min(0),
  severity: z.number().int().min(0).max(5),
  user: z.string().max(256),
  detail: z.object({ $case: z.enum(eventCategories), value: z.looseObject({ action: z.string().min(1).max(64) }) }),
});

export type RecordResult = { ok: true; record: EventRecord } | { ok: false; reason: string };

export function toEventRecord(event: ProtoEvent, agentId: string, hostname: string, receivedMs: number): RecordResult {
  const parsed = EventShape.safeParse(event);
  if (!parsed.success)
    return {
      ok: false,
      reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'event'}: ${i.message}`).join('; '),
    };
  const e = parsed.data;
  if (e.timeMs > receivedMs + MAX_FUTURE_MS) return { ok: false, reason: 'timeMs is more than a day in the future' };
  const { action, ...rest } = e.detail.value;
  const detail = capStrings({ action, ...rest });
  return {
    ok: true,
    record: {
      agentId,
      eventId: e.id,
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
