// An agent's hourly risk score for alert tests: at or above 60 it carries a brute-force rule hit
// and its reason, as the agent sends one that alerts.
import { Severity, type Score } from '@wardwatch/proto';

const HOUR = 3_600_000;

export function hourlyScore(
  id: string,
  value: number,
  windowStart: number,
  { user, partial = false, modelSource = 'fleet' }: { user: string; partial?: boolean; modelSource?: string },
): Score {
  const alerts = value >= 60;
  return {
    id,
    windowStartMs: windowStart,
    windowEndMs: windowStart + HOUR,
    user,
    score: value,
    threshold: 60,
    severity: Severity.SEVERITY_HIGH,
    modelSource,
    baselineSource: 'user',
    reasons: alerts
      ? [{ text: 'Brute force against one account', source: 'rule', feature: '', ruleId: 'brute-force', value: 10 }]
      : [],
    ruleIds: alerts ? ['brute-force'] : [],
    scoredAtMs: windowStart + HOUR,
    partial,
    suspects: [],
  };
}
