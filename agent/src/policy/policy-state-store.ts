// The policy in force on this workstation and the one before it (policy-state.json in
// the data folder, 0600, written whole through a temporary file and a rename), so a
// restart re-asserts the same settings and refuses the same replays.
//
// Invariants:
// - `current` changes only after every step of an apply succeeded (apply-policy.ts);
//   then the one it replaces becomes `previous`.
// - `current.revision` only grows: a policy is taken only above it (verify-policy.ts).
// - `problem` says why the last policy received is not in force (refused or rolled
//   back); it is cleared by the next successful apply.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PolicySettingState, TierSettings } from '@wardwatch/shared/agent';
import { z } from 'zod';
import { writeAtomic } from '../identity/identity-store';

export const POLICY_STATE_FILE = 'policy-state.json';

export const AppliedPolicy = z.object({
  revision: z.number().int().min(1),
  policyVersion: z.number().int().min(0),
  tier: z.string().max(32),
  tierName: z.string().max(64),
  settings: TierSettings,
  outcomes: z.array(PolicySettingState).max(16),
  appliedAtMs: z.number().int(),
  payloadHash: z.string().max(64),
});
export type AppliedPolicy = z.infer<typeof AppliedPolicy>;

const Problem = z.object({
  revision: z.number().int().min(0),
  errors: z.array(z.string().max(300)).max(16),
  atMs: z.number().int(),
});
export type PolicyProblem = z.infer<typeof Problem>;

const StoredState = z.object({
  current: AppliedPolicy.nullable(),
  previous: AppliedPolicy.nullable(),
  problem: Problem.nullable(),
});
export type PolicyState = z.infer<typeof StoredState>;

export class PolicyStateStore {
  private state: PolicyState;

  constructor(readonly dataDir: string) {
    this.state = this.read();
  }

  get(): PolicyState {
    return this.state;
  }

  appliedRevision(): number {
    return this.state.current?.revision ?? 0;
  }

  /** Every step succeeded: `applied` is in force, the one it replaces kept as previous. */
  commit(applied: AppliedPolicy): void {
    this.save({ current: applied, previous: this.state.current, problem: null });
  }

  /** A policy was refused or rolled back: the current one stays, and why is kept for the report. */
  recordProblem(problem: PolicyProblem): void {
    this.save({ ...this.state, problem });
  }

  private save(next: PolicyState): void {
    writeAtomic(this.path(), JSON.stringify(next), 0o600);
    this.state = next;
  }

  private path(): string {
    return join(this.dataDir, POLICY_STATE_FILE);
  }

  private read(): PolicyState {
    const empty: PolicyState = { current: null, previous: null, problem: null };
    if (!existsSync(this.path())) return empty;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(this.path(), 'utf8'));
    } catch {
      throw new Error(`${this.path()} is damaged: not JSON`);
    }
    const parsed = StoredState.safeParse(json);
    if (!parsed.success) throw new Error(`${this.path()} is damaged: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }
}
