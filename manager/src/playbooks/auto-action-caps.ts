// Caps on automatic actions: at most N in any sliding minute fleet-wide, and M per
// unit. A playbook that goes wrong (a bad rule, a flood of alerts) can then act on a
// few workstations, not on a ward. Over a cap the caller turns the action into an
// approval request; nothing is dropped here.
//
// Invariant: the check and the count are one step in the database (CapLedger.take, a slot
// taken by a conditional insert, see auto-action-slot.repository.ts), so across every
// manager on one database and across restarts, the last 60 s hold at most `perMinute`
// slots in all and `perUnitPerMinute` per unit. A slot is counted once taken, even if the
// issue it allowed then fails: the cap errs towards fewer automatic actions.
// Agents without a unit count only fleet-wide.

export const CAP_WINDOW_MS = 60_000;
/** Slots older than the window are deleted at most this often, a bounded batch at a time. */
const PRUNE_EVERY_MS = CAP_WINDOW_MS;
const PRUNE_BATCH = 1_000;

export type CapVerdict = { ok: true } | { ok: false; cap: 'fleet' | 'unit' };

export interface CapLimits {
  perMinute: number;
  perUnitPerMinute: number;
}

/** Where slots are taken: the database (AutoActionSlotRepository); a check and its count in one step. */
export interface CapLedger {
  take(unit: string | null, nowMs: number, sinceMs: number, limits: CapLimits): Promise<CapVerdict>;
  pruneBefore(cutoffMs: number, limit: number): Promise<number>;
}

export class AutoActionCaps {
  private nextPruneAt = 0;

  constructor(
    private readonly ledger: CapLedger,
    private readonly limits: CapLimits,
  ) {}

  /** Takes a slot for one more automatic action to a workstation of `unit` now, or says which cap is full. */
  async take(unit: string | null, nowMs: number): Promise<CapVerdict> {
    if (this.limits.perMinute <= 0) return { ok: false, cap: 'fleet' };
    if (unit !== null && this.limits.perUnitPerMinute <= 0) return { ok: false, cap: 'unit' };
    const verdict = await this.ledger.take(unit, nowMs, nowMs - CAP_WINDOW_MS + 1, this.limits);
    if (nowMs >= this.nextPruneAt) {
      this.nextPruneAt = nowMs + PRUNE_EVERY_MS;
      await this.ledger.pruneBefore(nowMs - CAP_WINDOW_MS, PRUNE_BATCH).catch(() => 0);
    }
    return verdict;
  }
}
