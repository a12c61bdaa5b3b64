// Threat-driven tiers and staged rollouts (policies/): the environment variables and the
// typed settings they become. A workstation rises to the elevated tier (the policy's
// second) or the lockdown tier (its strictest) when its highest recent risk score or its
// open alerts reach that step's thresholds; it falls one step after a quiet cool-down.
// A unit rises when enough of its workstations have. Defaults are meant to be sensible
// for a hospital: an elevated tier is cheap to impose, lockdown wants stronger evidence.
import { TierAlertSeverity, tierAlertSeverities } from '@wardwatch/shared';
import { z } from 'zod';

/** One alert threshold: at least `count` open alerts of `severity` or above. */
export interface AlertThreshold {
  severity: TierAlertSeverity;
  count: number;
}

/** The thresholds of one step: met when the score or any alert threshold is reached (null score: never by score). */
export interface TierStepThresholds {
  minScore: number | null;
  alerts: AlertThreshold[];
}

export interface ThreatTiersConfig {
  /** [to elevated, to lockdown]. */
  steps: [TierStepThresholds, TierStepThresholds];
  /** Scores whose window started within this long count. */
  scoreWindowMs: number;
  /** Alerts created within this long count; a tier falls one step after this long without a new alert. */
  coolDownMs: number;
  /** How often every workstation is re-evaluated (cool-downs, scores below the alert threshold) and rollouts progress. */
  checkIntervalMs: number;
  unit: {
    /** Share of a unit's workstations (0-1) at a level or above that lifts the unit to it; 0: units never rise. */
    fraction: number;
    /** And at least this many of them. */
    minWorkstations: number;
    /** The highest level a unit may rise to by itself (1 elevated, 2 lockdown). */
    maxLevel: 1 | 2;
  };
}

export interface RolloutConfig {
  /** Share of the fleet (0-1) drawn as canaries for each new version, besides those an admin marked. */
  canaryFraction: number;
  /** How long the canaries must stay well before the fleet gets the version. */
  soakMs: number;
  /**
   * How long a canary may stay silent on the version (no report of it since the rollout
   * started or resumed) before the rollout halts; 0: wait for ever.
   */
  canaryTimeoutMs: number;
}

const score = z
  .string()
  .trim()
  .refine((v) => v === 'off' || (/^\d+(\.\d+)?$/.test(v) && Number(v) >= 1 && Number(v) <= 100), {
    message: 'must be a score from 1 to 100, or off',
  });

/** "high:1,critical:1": a comma list of severity:count pairs, or none. */
const alerts = z
  .string()
  .trim()
  .refine((list) => list === 'none' || parseAlertList(list) !== undefined, {
    message: `must be severity:count pairs (severity one of ${tierAlertSeverities.join(', ')}, count 1-1000) separated by commas, or none`,
  });

const fraction = z.coerce.number().min(0).max(1);

export const TierEnvSchema = z.object({
  WARDWATCH_TIER_ELEVATED_SCORE: score.default('70'),
  WARDWATCH_TIER_ELEVATED_ALERTS: alerts.default('high:1'),
  WARDWATCH_TIER_LOCKDOWN_SCORE: score.default('90'),
  WARDWATCH_TIER_LOCKDOWN_ALERTS: alerts.default('critical:1,high:3'),
  WARDWATCH_TIER_SCORE_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1_440).default(60),
  WARDWATCH_TIER_COOL_DOWN_MINUTES: z.coerce.number().int().min(1).max(10_080).default(240),
  WARDWATCH_TIER_CHECK_SECONDS: z.coerce.number().int().min(0).max(3_600).default(60),
  WARDWATCH_TIER_UNIT_FRACTION: fraction.default(0.3),
  WARDWATCH_TIER_UNIT_MIN_WORKSTATIONS: z.coerce.number().int().min(1).max(10_000).default(2),
  WARDWATCH_TIER_UNIT_MAX: z.enum(['elevated', 'lockdown']).default('elevated'),
  WARDWATCH_ROLLOUT_CANARY_FRACTION: fraction.default(0.1),
  WARDWATCH_ROLLOUT_SOAK_MINUTES: z.coerce.number().int().min(0).max(10_080).default(60),
  WARDWATCH_ROLLOUT_CANARY_TIMEOUT_MINUTES: z.coerce.number().int().min(0).max(10_080).default(240),
});
export type TierEnv = z.infer<typeof TierEnvSchema>;

function parseAlertList(list: string): AlertThreshold[] | undefined {
  const out: AlertThreshold[] = [];
  for (const pair of list.split(',')) {
    const [severity, count, extra] = pair.trim().split(':');
    const sev = TierAlertSeverity.safeParse(severity);
    const n = Number(count);
    if (!sev.success || extra !== undefined || !/^\d+$/.test(count ?? '') || n < 1 || n > 1_000) return undefined;
    out.push({ severity: sev.data, count: n });
  }
  return out;
}

function step(scoreText: string, alertList: string): TierStepThresholds {
  return {
    minScore: scoreText === 'off' ? null : Number(scoreText),
    alerts: alertList === 'none' ? [] : (parseAlertList(alertList) ?? []),
  };
}

/** The typed settings, or the problems (a lockdown step easier to reach by score than elevated). */
export function parseTierSettings(e: TierEnv): { tiers: ThreatTiersConfig; rollout: RolloutConfig } | string[] {
  const elevated = step(e.WARDWATCH_TIER_ELEVATED_SCORE, e.WARDWATCH_TIER_ELEVATED_ALERTS);
  const lockdown = step(e.WARDWATCH_TIER_LOCKDOWN_SCORE, e.WARDWATCH_TIER_LOCKDOWN_ALERTS);
  if (elevated.minScore !== null && lockdown.minScore !== null && lockdown.minScore < elevated.minScore)
    return ['WARDWATCH_TIER_LOCKDOWN_SCORE: must not be below WARDWATCH_TIER_ELEVATED_SCORE'];
  return {
    tiers: {
      steps: [elevated, lockdown],
      scoreWindowMs: e.WARDWATCH_TIER_SCORE_WINDOW_MINUTES * 60_000,
      coolDownMs: e.WARDWATCH_TIER_COOL_DOWN_MINUTES * 60_000,
      checkIntervalMs: e.WARDWATCH_TIER_CHECK_SECONDS * 1_000,
      unit: {
        fraction: e.WARDWATCH_TIER_UNIT_FRACTION,
        minWorkstations: e.WARDWATCH_TIER_UNIT_MIN_WORKSTATIONS,
        maxLevel: e.WARDWATCH_TIER_UNIT_MAX === 'lockdown' ? 2 : 1,
      },
    },
    rollout: {
      canaryFraction: e.WARDWATCH_ROLLOUT_CANARY_FRACTION,
      soakMs: e.WARDWATCH_ROLLOUT_SOAK_MINUTES * 60_000,
      canaryTimeoutMs: e.WARDWATCH_ROLLOUT_CANARY_TIMEOUT_MINUTES * 60_000,
    },
  };
}
