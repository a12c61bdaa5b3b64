// A local ScoreResult (clear values) → the proto Score sent to the manager:
// the user becomes its pseudonym, reason texts are made safe (reason-text.ts),
// and the score gets a severity from the site's bands.
import { randomUUID } from 'node:crypto';
import { Severity, type Reason as WireReason, type Score } from '@wardwatch/proto';
import type { Reason, ScoreResult } from '../model/risk-model';
import type { ScoringConfig } from '../../config/scoring-config';
import { safeReasonText, type PseudonymSource } from './reason-text';

export interface ScoreMessageContext {
  pseudonyms: PseudonymSource;
  host: string;
  config: ScoringConfig;
  modelSource: string;
  now: number;
  newId?: () => string;
}

/** Critical and high from the rule floors, medium from the alert threshold, low from half of it. */
export function scoreSeverity(score: number, config: ScoringConfig): Severity {
  if (score >= config.ruleFloors.critical) return Severity.SEVERITY_CRITICAL;
  if (score >= config.ruleFloors.high) return Severity.SEVERITY_HIGH;
  if (score >= config.alertThreshold) return Severity.SEVERITY_MEDIUM;
  if (score >= config.alertThreshold / 2) return Severity.SEVERITY_LOW;
  return Severity.SEVERITY_INFO;
}

export function toScoreMessage(result: ScoreResult, context: ScoreMessageContext): Score {
  const reasonContext = { pseudonyms: context.pseudonyms, host: context.host, users: [result.user] };
  const reason = (r: Reason): WireReason => ({
    text: safeReasonText(r.text, r.fields, reasonContext).slice(0, 500),
    source: r.source,
    feature: r.feature ?? '',
    ruleId: r.ruleId ?? '',
    value: Number.isFinite(r.value) ? r.value : undefined,
    usual: Number.isFinite(r.usual) ? r.usual : undefined,
  });
  return {
    id: (context.newId ?? randomUUID)(),
    windowStartMs: result.start,
    windowEndMs: result.end,
    user: context.pseudonyms.user(result.user),
    score: result.score,
    threshold: context.config.alertThreshold,
    severity: scoreSeverity(result.score, context.config),
    modelSource: context.modelSource,
    baselineSource: result.baselineSource,
    reasons: result.reasons.map(reason),
    ruleIds: result.ruleIds,
    scoredAtMs: context.now,
    partial: result.partial ?? false,
    suspects: [],
    // Numbers only: the fingerprint itself never leaves the workstation.
    identity: result.identity && {
      mismatch: Math.round(1000 * Math.min(1, Math.max(0, result.identity.mismatch))) / 1000,
      sessions: Math.min(result.identity.sessions, 10_000),
      source: result.identity.source,
    },
  };
}
