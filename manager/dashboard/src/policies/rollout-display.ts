// The staged rollout in words, apart from React: what its state means and what an
// admin may do now (the manager decides again: resume only a halted rollout, abort or
// promote one still at its canaries or halted).
import type { PolicyRolloutView, RolloutState } from '@wardwatch/shared';

const stateTexts: Record<RolloutState, string> = {
  canary: 'Canaries only: the rest of the fleet keeps the previous version',
  halted: 'Halted: a canary failed; the fleet stays on the previous version until an admin resumes or aborts',
  complete: 'Complete: the whole fleet holds this version',
  aborted: 'Aborted: every workstation went back to the previous version',
  superseded: 'Superseded: a newer version started its own rollout',
};

export function rolloutStateText(state: RolloutState): string {
  return stateTexts[state];
}

export type RolloutAction = 'resume' | 'promote' | 'abort';

export function rolloutActions(rollout: PolicyRolloutView): RolloutAction[] {
  if (rollout.state === 'halted') return ['resume', 'promote', 'abort'];
  if (rollout.state === 'canary') return ['promote', 'abort'];
  return [];
}

/** The reason a promotion needs, as the manager takes it (PolicyRolloutPromoteRequest), or null. */
export function promoteReason(text: string): string | null {
  const reason = text.trim();
  return reason.length >= 1 && reason.length <= 500 ? reason : null;
}

export function canaryCounts(rollout: PolicyRolloutView): { ok: number; waiting: number; failed: number } {
  const counts = { ok: 0, waiting: 0, failed: 0 };
  for (const canary of rollout.canaries) counts[canary.status] += 1;
  return counts;
}
