// Small constructors for ActionOutcome, so every action answers refusals and dry runs alike.
import type { ActionOutcome } from './response-actions';

export function refused(message: string, details: Record<string, unknown> = {}): ActionOutcome {
  return { ok: false, message, details: { refused: true, ...details } };
}

/** A dry run: nothing changed; `plan` lists the argv (or steps in words) that would have run. */
export function planned(
  message: string,
  plan: (readonly string[] | string)[],
  details: Record<string, unknown> = {},
): ActionOutcome {
  return { ok: true, message: `dry run: ${message}`, details: { dryRun: true, plan, ...details } };
}

export function unsupported(action: string, platform: string, why: string): ActionOutcome {
  return { ok: false, message: `${action} is not available on ${platform}: ${why}`, details: { unsupported: true } };
}

/** expiresAtMs for an UndoRecord: null (only when asked) for a duration of 0 or less. */
export function expiry(nowMs: number, durationSeconds: number): number | null {
  return Number.isFinite(durationSeconds) && durationSeconds > 0 ? nowMs + Math.round(durationSeconds * 1000) : null;
}

/** A command's complaint with the account name taken out (messages carry no clear user names). */
export function withoutName(text: string, name: string | undefined): string {
  return name ? text.split(name).join('<account>') : text;
}
