// Turns a stored score at or above the manager's threshold into an alert, or folds
// it into the open alert of the same (agent, user, window): a rule hit scores the
// window at once and the closed window is scored again later, and an analyst should
// see one alert that grows, not several. Pure: the service does the I/O.
//
// The manager owns the bar: whether a score alerts and how severe the alert is are
// decided from the score against the manager's configured threshold
// (WARDWATCH_ALERT_THRESHOLD). The threshold and severity an agent sends are its
// claims, stored with the score, and decide nothing: a rogue agent sending
// threshold 0 raises no alert, and one sending threshold 100 silences none.
import { Severity } from '@wardwatch/proto';
import type { ReasonRecord, SuspectRecord } from './alert.entity';
import type { ScoreRecord } from './score-record';

export const MAX_ALERT_REASONS = 8;

/** Score bands of the manager's severities (at or above the threshold); below 80 an alert is medium. */
const CRITICAL_FROM = 90;
const HIGH_FROM = 80;

export function isAlerting(score: ScoreRecord, threshold: number): boolean {
  return score.score >= threshold;
}

/** The severity of an alert for this score, decided by the manager. */
export function alertSeverity(score: number): Severity {
  if (score >= CRITICAL_FROM) return Severity.SEVERITY_CRITICAL;
  if (score >= HIGH_FROM) return Severity.SEVERITY_HIGH;
  return Severity.SEVERITY_MEDIUM;
}

/** "Brute force against one account" from a rule reason; else the leading reason. */
export function alertTitle(reasons: readonly ReasonRecord[]): string {
  const first = reasons[0];
  if (!first) return 'Unusual behaviour';
  const title =
    first.source === 'rule' && first.text.includes(': ')
      ? first.text.slice(0, first.text.indexOf(': '))
      : `Unusual behaviour: ${first.text}`;
  return title.slice(0, 255);
}

export interface ScoredAlertFields {
  severity: number;
  score: number;
  title: string;
  reasons: string[];
  reasonDetails: ReasonRecord[];
  ruleIds: string[];
  threshold: number;
  modelSource: string;
  suspects: SuspectRecord[];
  identityMismatch: number | null;
}

export function newAlertFields(score: ScoreRecord, threshold: number): ScoredAlertFields {
  return {
    ...fields(score.reasons, alertSeverity(score.score), score.score, score.ruleIds, threshold, score.modelSource),
    suspects: score.suspects,
    identityMismatch: score.identityMismatch,
  };
}

/** The open alert's state after a later score of the same window. */
export function mergeAlertFields(current: ScoredAlertFields, score: ScoreRecord, threshold: number): ScoredAlertFields {
  // The stronger score's reasons lead; the other's are kept after them, without repeats.
  const [lead, rest] =
    score.score >= current.score ? [score.reasons, current.reasonDetails] : [current.reasonDetails, score.reasons];
  const seen = new Set<string>();
  const reasons = [...lead, ...rest].filter((r) => !seen.has(r.text) && seen.add(r.text));
  const stronger = score.score >= current.score;
  return {
    ...fields(
      reasons,
      Math.max(current.severity, alertSeverity(score.score)),
      Math.max(current.score, score.score),
      [...new Set([...current.ruleIds, ...score.ruleIds])],
      threshold,
      stronger ? score.modelSource : current.modelSource,
    ),
    // The newest score that names processes names the ones at work now (a new burst, new pids).
    suspects: score.suspects.length > 0 ? score.suspects : current.suspects,
    // The strongest doubt of any score of the window: a later score of a benign session must not clear it.
    identityMismatch: strongest(current.identityMismatch, score.identityMismatch),
  };
}

function strongest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

function fields(
  reasons: readonly ReasonRecord[],
  severity: number,
  score: number,
  ruleIds: string[],
  threshold: number,
  modelSource: string,
): Omit<ScoredAlertFields, 'suspects' | 'identityMismatch'> {
  const kept = reasons.slice(0, MAX_ALERT_REASONS);
  return {
    severity,
    score: Math.round(score),
    title: alertTitle(kept),
    reasons: kept.map((r) => r.text),
    reasonDetails: kept,
    ruleIds,
    threshold,
    modelSource,
  };
}
