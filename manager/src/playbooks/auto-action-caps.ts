// Caps on automatic actions: at most N in any sliding minute fleet-wide, and M per
// unit. A playbook that goes wrong (a bad rule, a flood of alerts) can then act on a
// few workstations, not on a ward. Over a cap the caller turns the action into an
// approval request; nothing is dropped here. In memory: one manager process decides.
//
// Invariant: `take` returns ok only when, counting this one, the last 60 s hold at most
// `perMinute` automatic actions in all and at most `perUnitPerMinute` in its unit; a
// refused action is not counted. Agents without a unit count only fleet-wide.

const WINDOW_MS = 60_000;

export type CapVerdict = { ok: true } | { ok: false; cap: 'fleet' | 'unit' };

export class AutoActionCaps {
  private readonly fleet: number[] = [];
  private readonly units = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly perUnitPerMinute: number,
  ) {}

  take(unit: string | null, nowMs: number): CapVerdict {
    prune(this.fleet, nowMs);
    if (this.fleet.length >= this.perMinute) return { ok: false, cap: 'fleet' };
    if (unit !== null) {
      const times = this.units.get(unit) ?? [];
      prune(times, nowMs);
      if (times.length >= this.perUnitPerMinute) return { ok: false, cap: 'unit' };
      times.push(nowMs);
      this.units.set(unit, times);
    }
    this.fleet.push(nowMs);
    this.forgetIdleUnits(nowMs);
    return { ok: true };
  }

  /** Units with nothing in the last minute are forgotten, so the map stays as small as the active units. */
  private forgetIdleUnits(nowMs: number): void {
    for (const [unit, times] of this.units) {
      prune(times, nowMs);
      if (times.length === 0) this.units.delete(unit);
    }
  }
}

function prune(times: number[], nowMs: number): void {
  while (times.length > 0 && times[0] <= nowMs - WINDOW_MS) times.shift();
}
