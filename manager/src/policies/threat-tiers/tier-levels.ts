// Pure rules of threat-driven tiers. Levels, not tier ids, because an admin may rename,
// add or drop tiers: level 0 is the policy's first (lowest) tier, 1 its second ("elevated"
// by default) and 2 its last, strictest one ("lockdown" by default), whatever they are
// called and however many there are. A tier in between on a longer policy is reached
// only by a pin.
import type { PolicyDocument, PolicyTier, TierAlertSeverity, TierCause } from '@wardwatch/shared';
import type { ThreatTiersConfig, TierStepThresholds } from '../../config/tier-settings';

export type ThreatLevel = 0 | 1 | 2;

/** Proto severity levels (common/severity.ts): 2 low … 5 critical. */
const SEVERITY_LEVEL: Record<TierAlertSeverity, number> = { low: 2, medium: 3, high: 4, critical: 5 };
const SEVERITY_NAME: Record<number, TierAlertSeverity> = { 2: 'low', 3: 'medium', 4: 'high', 5: 'critical' };

export function tierForLevel(document: PolicyDocument, level: number): PolicyTier {
  const tiers = document.tiers;
  if (level <= 0) return tiers[0];
  if (level === 1) return tiers[Math.min(1, tiers.length - 1)];
  return tiers[tiers.length - 1];
}

/** A recent alert of one workstation (created within the cool-down), newest first. */
export interface RecentAlert {
  id: string;
  severity: number;
  createdAt: number;
  open: boolean;
}

export interface ThreatSignals {
  /** The highest score of a window that started within the score window. */
  topScore: { score: number; windowStart: number } | null;
  alerts: RecentAlert[];
}

/** The highest level whose thresholds the signals meet, with the evidence that met them. */
export function demandedLevel(
  signals: ThreatSignals,
  steps: ThreatTiersConfig['steps'],
): { level: ThreatLevel; cause: TierCause | null } {
  for (const level of [2, 1] as const) {
    const cause = stepMet(signals, steps[level - 1]);
    if (cause) return { level, cause };
  }
  return { level: 0, cause: null };
}

function stepMet(signals: ThreatSignals, step: TierStepThresholds): TierCause | null {
  for (const threshold of step.alerts) {
    const min = SEVERITY_LEVEL[threshold.severity];
    const matching = signals.alerts.filter((a) => a.open && a.severity >= min);
    if (matching.length >= threshold.count) {
      const newest = matching[0];
      return {
        kind: 'alert',
        alertId: newest.id,
        severity: SEVERITY_NAME[Math.min(5, newest.severity)] ?? threshold.severity,
        openAlerts: matching.length,
      };
    }
  }
  if (step.minScore !== null && signals.topScore && signals.topScore.score >= step.minScore)
    return { kind: 'score', score: signals.topScore.score, windowStart: signals.topScore.windowStart };
  return null;
}

/**
 * The next level of a workstation: up at once to what the signals demand; down one step
 * when they demand less and neither an alert nor a change happened for the cool-down.
 */
export function nextLevel(
  current: number,
  changedAt: number | null,
  signals: ThreatSignals,
  config: Pick<ThreatTiersConfig, 'steps' | 'coolDownMs'>,
  now: number,
): { level: number; cause: TierCause } | null {
  const demand = demandedLevel(signals, config.steps);
  if (demand.level > current && demand.cause) return { level: demand.level, cause: demand.cause };
  if (current === 0 || demand.level >= current) return null;
  const quietSince = Math.max(changedAt ?? 0, signals.alerts[0]?.createdAt ?? 0);
  if (now - quietSince < config.coolDownMs) return null;
  return { level: current - 1, cause: { kind: 'cool_down', quietSinceMs: quietSince } };
}

/**
 * A unit's level: the highest level L (up to the configured maximum) such that at least
 * `minWorkstations` of its workstations, and at least `fraction` of them, are at L or
 * above by their own risk. It falls as they cool down: no cool-down of its own.
 */
export function unitLevel(
  levels: readonly number[],
  unit: ThreatTiersConfig['unit'],
): { level: number; cause: TierCause | null } {
  if (unit.fraction === 0 || levels.length === 0) return { level: 0, cause: null };
  for (let level = unit.maxLevel; level >= 1; level -= 1) {
    const count = levels.filter((l) => l >= level).length;
    if (count >= unit.minWorkstations && count >= unit.fraction * levels.length)
      return { level, cause: { kind: 'workstations', level, count, of: levels.length } };
  }
  return { level: 0, cause: null };
}
