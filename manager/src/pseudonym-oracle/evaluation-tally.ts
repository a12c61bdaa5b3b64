// What each agent asked the oracle since the last audit row: values evaluated, calls, and
// refusals by reason. Counts only, in memory, one entry per agent that called (agents are
// authenticated before they reach the oracle, so the map is bounded by the fleet).
import type { PseudonymOracleErrorCode } from './pseudonym-oracle.errors';

export interface AgentTally {
  agentId: string;
  /** When this agent's first call of the window came. */
  firstAtMs: number;
  values: number;
  calls: number;
  refused: Partial<Record<PseudonymOracleErrorCode, number>>;
}

export class EvaluationTally {
  private tallies = new Map<string, AgentTally>();
  private windowStartMs: number;

  constructor(nowMs: number) {
    this.windowStartMs = nowMs;
  }

  evaluated(agentId: string, values: number, nowMs: number): void {
    const tally = this.of(agentId, nowMs);
    tally.values += values;
    tally.calls += 1;
  }

  refused(agentId: string, code: PseudonymOracleErrorCode, nowMs: number): void {
    const tally = this.of(agentId, nowMs);
    tally.calls += 1;
    tally.refused[code] = (tally.refused[code] ?? 0) + 1;
  }

  /** The window's tallies, agent by agent; the next window starts now. */
  take(nowMs: number): { windowStartMs: number; tallies: AgentTally[] } {
    const taken = { windowStartMs: this.windowStartMs, tallies: [...this.tallies.values()] };
    this.tallies = new Map();
    this.windowStartMs = nowMs;
    return taken;
  }

  /** Puts back tallies that could not be written, so the next window carries them. */
  restore(taken: { windowStartMs: number; tallies: AgentTally[] }): void {
    this.windowStartMs = Math.min(this.windowStartMs, taken.windowStartMs);
    for (const old of taken.tallies) {
      const now = this.tallies.get(old.agentId);
      if (!now) {
        this.tallies.set(old.agentId, old);
        continue;
      }
      now.firstAtMs = Math.min(now.firstAtMs, old.firstAtMs);
      now.values += old.values;
      now.calls += old.calls;
      for (const [code, n] of Object.entries(old.refused) as [PseudonymOracleErrorCode, number][])
        now.refused[code] = (now.refused[code] ?? 0) + n;
    }
  }

  private of(agentId: string, nowMs: number): AgentTally {
    let tally = this.tallies.get(agentId);
    if (!tally) {
      tally = { agentId, firstAtMs: nowMs, values: 0, calls: 0, refused: {} };
      this.tallies.set(agentId, tally);
    }
    return tally;
  }
}
