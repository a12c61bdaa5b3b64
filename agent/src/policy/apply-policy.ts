// Applies a tier's settings all or nothing: the steps run in order; when one throws,
// every step already applied is undone in reverse order, so the settings in force are
// again exactly those of the previous policy. What could not be undone is reported as an
// error too (the workstation is then in a mixed state and the manager must know).
import type { PolicySettingName, TierSettings } from '@wardwatch/shared/agent';
import type { ApplyContext, PolicyStep, StepOutcome } from './steps/policy-step';

export type ApplyResult =
  | { ok: true; outcomes: { name: PolicySettingName; outcome: StepOutcome }[] }
  | { ok: false; failedStep: PolicySettingName; errors: string[] };

export async function applyAtomically(
  steps: readonly PolicyStep[],
  next: TierSettings,
  current: TierSettings | null,
  context: ApplyContext,
): Promise<ApplyResult> {
  const done: { step: PolicyStep; undo: () => Promise<void>; outcome: StepOutcome }[] = [];
  for (const step of steps) {
    try {
      const applied = await step.apply(next, current, context);
      done.push({ step, undo: () => applied.undo(), outcome: applied.outcome });
    } catch (error) {
      const errors = [`${step.name}: ${message(error)}`];
      for (const earlier of done.reverse()) {
        try {
          await earlier.undo();
        } catch (undoError) {
          errors.push(`${earlier.step.name}: could not be rolled back: ${message(undoError)}`);
        }
      }
      return { ok: false, failedStep: step.name, errors };
    }
  }
  return { ok: true, outcomes: done.map((d) => ({ name: d.step.name, outcome: d.outcome })) };
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 250);
}
