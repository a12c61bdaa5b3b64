// One setting of a tier that the agent puts in force (idle lock, manager link, removable
// media, sealing). A step either applies completely and hands back how to put the
// previous state back, or throws having changed nothing: that is what lets the apply
// of a whole policy be all or nothing (apply-policy.ts).
import type { PolicySettingName, PolicySettingState, TierSettings } from '@wardwatch/shared/agent';

export interface StepOutcome {
  /** applied: in force; not_enforced: this build or OS cannot (said honestly); not_applicable: nothing asked. */
  state: 'applied' | 'not_enforced' | 'not_applicable';
  detail: string;
}

export interface AppliedStep {
  outcome: StepOutcome;
  /** Puts back what was in force before this apply (called when a later step fails). */
  undo(): Promise<void>;
}

/** What a step may need of the policy beyond its settings (sealed headers carry the version). */
export interface ApplyContext {
  policyVersion: number;
}

export interface PolicyStep {
  readonly name: PolicySettingName;
  /** Applies `next`; `current` is what is in force now (null: no policy yet). Throws when it cannot, changing nothing. */
  apply(next: TierSettings, current: TierSettings | null, context: ApplyContext): Promise<AppliedStep>;
  /** How the setting stands now, when that changes after the apply (sealing's sweeps); null: as applied. */
  status?(): Omit<PolicySettingState, 'name'> | null;
}

export const NOTHING_TO_UNDO = (): Promise<void> => Promise.resolve();
