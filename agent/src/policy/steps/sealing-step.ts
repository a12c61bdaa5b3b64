// Sealing of the policy's folders, handed to the SealingTarget; undone by handing back
// the previous settings (none: sealing off).
import type { SealingSettings, TierSettings } from '@wardwatch/shared';
import type { AppliedStep, PolicyStep } from './policy-step';
import type { SealingTarget } from './sealing-target';

const OFF: SealingSettings = { enabled: false, folders: [] };

export class SealingStep implements PolicyStep {
  readonly name = 'sealing' as const;

  constructor(private readonly target: SealingTarget) {}

  async apply(next: TierSettings, current: TierSettings | null): Promise<AppliedStep> {
    const answer = await this.target.configure(next.sealing);
    const undo = async () => {
      await this.target.configure(current?.sealing ?? OFF);
    };
    if (!next.sealing.enabled)
      return { outcome: { state: 'not_applicable', detail: 'sealing is off in this tier' }, undo };
    return {
      outcome: {
        state: answer.enforced ? 'applied' : 'not_enforced',
        detail: `${next.sealing.folders.length} folders: ${answer.detail}`.slice(0, 300),
      },
      undo,
    };
  }
}
