// Sealing of the policy's folders, handed to the SealingTarget; undone by handing back
// the previous settings (none: sealing off). Files sealed stay sealed on an undo: opening
// them again needs the manager (an authorised open or a bulk unseal), never a rollback.
// A bulk unseal (the new tier's `unsealOnDrop`) is not undone either: when a later step
// fails, the previous tier's sweep seals those files again.
import type { SealingSettings, TierSettings } from '@wardwatch/shared/agent';
import type { AppliedStep, ApplyContext, PolicyStep } from './policy-step';
import type { SealingTarget } from './sealing-target';

const OFF: SealingSettings = { enabled: false, folders: [], unsealOnDrop: false };

export class SealingStep implements PolicyStep {
  readonly name = 'sealing' as const;

  constructor(private readonly target: SealingTarget) {}

  async apply(next: TierSettings, current: TierSettings | null, context: ApplyContext): Promise<AppliedStep> {
    const answer = await this.target.configure(next.sealing, context.policyVersion);
    const undo = async () => {
      // The previous settings again; when they sealed too, a sweep of theirs runs.
      await this.target.configure(current?.sealing ?? OFF, context.policyVersion);
    };
    // Off, but the drop to this tier opened the previous tier's sealed files: say how many.
    if (!next.sealing.enabled && answer.unsealed !== undefined)
      return {
        outcome: { state: 'applied', detail: `sealing is off in this tier; ${answer.detail}`.slice(0, 300) },
        undo,
      };
    if (!next.sealing.enabled)
      return { outcome: { state: 'not_applicable', detail: 'sealing is off in this tier' }, undo };
    return {
      outcome: { state: 'applied', detail: `${next.sealing.folders.length} folders: ${answer.detail}`.slice(0, 300) },
      undo,
    };
  }

  status() {
    return this.target.status();
  }
}
