// Public face of local scoring for the rest of the agent (see README.md).
export { LiveScorer, type LiveScorerOptions } from './live-scorer';
export { eventToPortable, type MapResult } from './event-to-portable';
export { ScoringConfig, scoringConfig, type ScoringConfigInput } from './scoring-config';
export { DEFAULT_RULES_DIR, loadRules, parseRuleText, RuleLoadError } from './rules/load-rules';
export type { RuleHit } from './rules/rule-engine';
export type { Reason, ScoreResult } from './risk-model';
export { fitRiskModel, loadRiskModel } from './fit-risk-model';
export { scoreOffline, type OfflineOptions, type OfflineResult } from './offline-scorer';
