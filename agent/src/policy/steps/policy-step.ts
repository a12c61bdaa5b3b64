// One setting of a tier that the agent puts in force (idle lock, manager link, removable
// media, sealing). A step either applies completely and hands back how to put the
// previous state back, or throws having changed nothing: that is what lets the apply
// of a whole policy be all or nothing (apply-policy.ts).
import type { PolicySettingName, TierSettings } from '@wardwatch/shared';

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

export interface PolicyStep {
  readonly name: PolicySettingName;
  /** Applies `next`; `current` is what is in force now (null: no policy yet). Throws when it cannot, changing nothing. */
  apply(next: TierSettings, current: TierSettings | null): Promise<AppliedStep>;
}

export const NOTHING_TO_UNDO = (): Promise<void> => Promise.resolve();
