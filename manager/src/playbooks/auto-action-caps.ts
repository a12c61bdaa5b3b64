// Caps on automatic actions: at most N in any sliding minute fleet-wide, and M per
// unit. A playbook that goes wrong (a bad rule, a flood of alerts) can then act on a
// few workstations, not on a ward. Over a cap the caller turns the action into an
// approval request; nothing is dropped here.
//
// Counted from the database (the automatic commands issued in the last 60 s, see
// AutomaticCommandCount), so a restarted manager still knows what it did a moment ago.
// Invariant: in this manager, checks and the issues they allow take turns (`serially`),
// so an allowed action is counted by every check after it: counting this one, the last
// 60 s hold at most `perMinute` automatic commands in all and `perUnitPerMinute` per unit.
// Two managers deciding on one database could each allow one more (one manager decides).
// Agents without a unit count only fleet-wide.
import type { AutomaticCommandCount } from './automatic-command-count';

export const CAP_WINDOW_MS = 60_000;

export type CapVerdict = { ok: true } | { ok: false; cap: 'fleet' | 'unit' };

export interface CapLimits {
  perMinute: number;
  perUnitPerMinute: number;
}

/** The verdict for one more automatic action, given what the last minute already holds. */
export function capVerdict(
  counted: { fleet: number; unit: number },
  unit: string | null,
  limits: CapLimits,
): CapVerdict {
  if (counted.fleet >= limits.perMinute) return { ok: false, cap: 'fleet' };
  if (unit !== null && counted.unit >= limits.perUnitPerMinute) return { ok: false, cap: 'unit' };
  return { ok: true };
}

export class AutoActionCaps {
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly counts: AutomaticCommandCount,
    private readonly limits: CapLimits,
  ) {}

  /** May one more automatic action go to a workstation of `unit` now? */
  async check(unit: string | null, nowMs: number): Promise<CapVerdict> {
    return capVerdict(await this.counts.automaticSince(nowMs - CAP_WINDOW_MS + 1, unit), unit, this.limits);
  }

  /** Runs `work` (a check and the issue it allows) after every earlier one has finished. */
  serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turn.then(work, work);
    this.turn = run.catch(() => undefined);
    return run;
  }
}
