// One Windows Security-log event in the shape security-log-script.ts prints, read
// from its JSON line; the parts every reader of the log needs (its time, a field,
// whether an account is a person's).
import { readJsonLine } from '../json-line';
import { z } from 'zod';

export const windowsSecurityEventSchema = z.object({
  id: z.number().int(),
  /** ISO 8601, or the `/Date(ms)/` form ConvertTo-Json gives a DateTime in Windows PowerShell 5. */
  time: z.string(),
  recordId: z.number().int().optional(),
  computer: z.string().optional(),
  data: z.record(z.string(), z.union([z.string(), z.null()])),
});

export type WindowsSecurityEvent = z.infer<typeof windowsSecurityEventSchema>;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const MS_DATE = /^\/Date\((-?\d{1,15})\)\/$/;
const SERVICE_DOMAINS: ReadonlySet<string> = new Set(['NT AUTHORITY', 'WINDOW MANAGER', 'FONT DRIVER HOST']);

/** The event's time in ms; NaN when it is neither form. */
export function securityEventTime(time: string): number {
  const ms = MS_DATE.exec(time);
  if (ms) return Number(ms[1]);
  return ISO.test(time) ? Date.parse(time) : Number.NaN;
}

/** A named field; Windows writes "-" for an empty one. */
export function eventField(data: WindowsSecurityEvent['data'], name: string): string {
  const v = data[name];
  return v === undefined || v === null || v === '-' ? '' : v;
}

/**
 * Machine accounts (`WS-07$`) and the built-in service identities (NT AUTHORITY\SYSTEM, LOCAL and
 * NETWORK SERVICE, ANONYMOUS LOGON, Window Manager\DWM-n, Font Driver Host\UMFD-n): they act
 * constantly and say nothing about people.
 */
export function isServiceAccount(user: string, domain: string): boolean {
  return user.endsWith('$') || SERVICE_DOMAINS.has(domain.toUpperCase()) || user === 'ANONYMOUS LOGON';
}

/** The event of one line, or why it is none. */
export function readSecurityEvent(json: string): { event: WindowsSecurityEvent } | { error: string } {
  const read = readJsonLine(windowsSecurityEventSchema, json, 'Windows event');
  return 'error' in read ? read : { event: read.data };
}
