// Calibration that follows an alert budget (issue #10, item 3). The site says how
// many benign user-days may alert (`alertBudget`, 1 % by default); the combined
// evidence of held-out benign training windows gives the level that only that
// share exceeds, and that level is given the score `alertThreshold`. Windows a
// benign rule hit already alerted on in training use up part of the budget.
// Cold start: a user without `minHistoryWindows` of history is compared with their
// peer group (else the fleet), whose deviations are larger; so each baseline
// source has its own calibration, from the held-out windows scored as if their
// users were new; and a recent user, whose own baseline is young, has one from
// held-out windows scored as if their users had only a few windows.
import { fitBaselines, quantile, type BaselineSet, type BaselineSource } from '../features/baselines';
import { ownRecord, type FeatureWindow } from '@wardwatch/shared/agent';
import type { RuleSeverity } from '../rules/rule.schema';
import type { ScoringConfig } from '../../config/scoring-config';

export interface SourceCalibration {
  /** Median combined evidence of benign held-out windows: score 0. */
  median: number;
  /** Evidence only the budget's share of benign windows reaches: score = alertThreshold. */
  atBudget: number;
  windows: number;
}

export type CalibrationBySource = Record<BaselineSource, SourceCalibration>;

/**
 * Windows a rule must alert on for one user before its alerts count as the site's routine: a backup
 * job tripping a rule every night is benign noise the budget must leave room for; a one-off (a
 * spray's targets, one ransomware day) is an incident. Counting those too, retraining on live history
 * let an attacker's password spray take the budget down to a quarter for weeks (the quiet insiders
 * after it went unseen).
 */
export const ROUTINE_RULE_WINDOWS = 3;

/** Share of the training windows on which a routine rule hit alone reached the alert threshold (benign alerts). */
export function ruleAlertShare(
  learned: readonly { window: { user: string }; hits: readonly { severity: RuleSeverity; ruleId: string }[] }[],
  config: Pick<ScoringConfig, 'ruleFloors' | 'alertThreshold'>,
): number {
  if (learned.length === 0) return 0;
  // Per window, the rules whose hit alone alerted, keyed by user: counted once, then looked up.
  const alerting = learned.map(
    (l) =>
      new Set(
        l.hits
          .filter((h) => config.ruleFloors[h.severity] >= config.alertThreshold)
          .map((h) => `${l.window.user}\u0000${h.ruleId}`),
      ),
  );
  const windowsPerRule = new Map<string, number>();
  for (const keys of alerting) for (const key of keys) windowsPerRule.set(key, (windowsPerRule.get(key) ?? 0) + 1);
  const routine = alerting.filter((keys) => [...keys].some((key) => windowsPerRule.get(key)! >= ROUTINE_RULE_WINDOWS));
  return routine.length / learned.length;
}

/** Never below a quarter of the budget, so that noisy rules cannot silence behaviour entirely. */
export function anomalyBudget(alertBudget: number, ruleAlertShare: number): number {
  return Math.max(alertBudget - Math.max(0, ruleAlertShare), alertBudget / 4);
}

/**
 * Binomial standard deviations of tail windows given up: with one, the later (scored) benign days of
 * the hard evaluation's tuning seeds (1, 11–15) alerted up to 11.6 per 1,000 against a budget of 10,
 * as the multi-day sums drift; with two, at most 9.8.
 */
export const BUDGET_MARGIN_SD = 2;

/**
 * The quantile that keeps the budget despite a small held-out sample: of n windows, n·budget may
 * exceed it; BUDGET_MARGIN_SD binomial standard deviations fewer are allowed (at least a quarter of them), so
 * that a site gets at most its budget more often than not, rather than exactly it half the time.
 */
export function budgetQuantile(windows: number, budget: number): number {
  const tail = windows * budget;
  const safeTail = Math.max(tail - BUDGET_MARGIN_SD * Math.sqrt(tail), tail / 4);
  return 1 - safeTail / Math.max(windows, 1);
}

export function calibrateSource(evidence: readonly number[], budget: number): SourceCalibration {
  const median = quantile(evidence, 0.5);
  const level = quantile(evidence, budgetQuantile(evidence.length, budget));
  // A floor of one unit above the median: a degenerate history (all windows alike) must not
  // make every small deviation an alert.
  return { median, atBudget: Math.max(level, median + 1), windows: evidence.length };
}

/** Per source; a source without held-out windows borrows the next wider one (user → peer → fleet). */
export function calibrateBySource(
  evidence: Record<BaselineSource, readonly number[]>,
  budget: number,
  minWindows = 20,
): CalibrationBySource {
  const fleet = calibrateSource(evidence.fleet, budget);
  const peer = evidence.peer.length >= minWindows ? calibrateSource(evidence.peer, budget) : fleet;
  const user = evidence.user.length >= minWindows ? calibrateSource(evidence.user, budget) : peer;
  return { user, peer, fleet };
}

/**
 * 0–100: the median maps to 0, the budget level to `threshold`, rarer windows approach 100
 * (100·(1 − e^(−k·t)), t the evidence in units of budget level above the median).
 */
export function scoreFromEvidence(evidence: number, calibration: SourceCalibration, threshold: number): number {
  const span = Math.max(calibration.atBudget - calibration.median, 1e-6);
  const t = Math.max(0, (evidence - calibration.median) / span);
  const k = -Math.log(1 - Math.min(99, Math.max(1, threshold)) / 100);
  return 100 * (1 - Math.exp(-k * t));
}

/**
 * Per peer group (role), for users scored against their own baseline: a role whose job makes its
 * benign days heavy-tailed (physicians' and pharmacists' consults of other units' charts) gets the
 * evidence level that only `budget` of its own held-out windows exceed, never below the site's: no
 * role takes more than its share of the alert budget, and no role alerts more easily than the site.
 * A role with fewer than `minWindows` held-out windows keeps the site's level.
 */
export function calibrateRoles(
  evidence: Record<string, readonly number[]>,
  site: SourceCalibration,
  budget: number,
  minWindows = ROLE_CALIBRATION_MIN_WINDOWS,
): Record<string, SourceCalibration> {
  const own = calibrateEachRole(evidence, budget, minWindows);
  return Object.fromEntries(
    Object.entries(own).map(([role, { atBudget, windows }]) => [
      role,
      { median: site.median, atBudget: Math.max(site.atBudget, atBudget), windows },
    ]),
  );
}

/**
 * Each role's own level, from its held-out windows (roles with `minWindows` of them). As it is, above
 * or below the site's, for users compared with their peer group (none of their own windows in the
 * last fit: a newcomer, someone back from a long leave): how far a stranger's day lies from a role's
 * is the role's spread. Pooled, the physicians' and IT's varied days set the level, and a nurse new
 * to the fleet copying ten charts a day to a synced folder scored 36 (tuning seed 42, short split);
 * so each role keeps to the budget among its own newcomers.
 */
export function calibrateEachRole(
  evidence: Record<string, readonly number[]>,
  budget: number,
  minWindows = ROLE_CALIBRATION_MIN_WINDOWS,
): Record<string, SourceCalibration> {
  const roles = ownRecord<SourceCalibration>();
  for (const [role, values] of Object.entries(evidence))
    if (values.length >= minWindows) roles[role] = calibrateSource(values, budget);
  return roles;
}

/** Held-out windows a role needs for its own level: fewer, and its 1 % tail is one or two windows. */
export const ROLE_CALIBRATION_MIN_WINDOWS = 100;

/**
 * Baselines as users with `kept` windows would have them: each user's last ones; the peer groups' from all.
 * A recent user (fewer than RECENT_HISTORY_WINDOWS windows, features/baselines.ts) has a baseline
 * shrunk toward the peer group's that fits them less well than a veteran's fits a veteran, so a user
 * with n windows is calibrated on held-out windows scored as if every user had only their last n.
 * In a fleet of very different users (calibration.test.ts), newcomers with 1–6 windows alerted on
 * 2.8–5.7 % of their windows with the veterans' level against a 1 % budget; so, on 0.04–0.33 %.
 */
export function recentBaselines(windows: readonly FeatureWindow[], kept: number): BaselineSet {
  const byUser = new Map<string, FeatureWindow[]>();
  for (const w of windows) (byUser.get(w.user) ?? byUser.set(w.user, []).get(w.user)!).push(w);
  const last = [...byUser.values()].flatMap((own) => own.sort((a, b) => a.start - b.start).slice(-kept));
  return fitBaselines(last, windows);
}
