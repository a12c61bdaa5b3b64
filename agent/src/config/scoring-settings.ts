// The `scoring:` section of the agent's config file: the site's scoring settings
// (scoring-config.ts) plus how live scoring runs on this workstation. Every
// field has a default, so a config without the section means "scoring on".
import { z } from 'zod';
import { ScoringConfig } from './scoring-config';

export const ScoringSettings = ScoringConfig.extend({
  enabled: z.boolean().default(true),
  /** Folder of rule files; default: the rules shipped with the agent (agent/rules). */
  rulesDir: z.string().trim().min(1, 'must not be empty').optional(),
  /** Length of a scored window: a day by default; an hour gives earlier behavioural scores (1 minute: demos and tests). */
  windowMinutes: z.number().int().min(1).max(1_440).default(1_440),
  /**
   * Where a day window begins: 'shift' at each user's own day boundary, an hour they do not work
   * (learned from their hours; their peer group's or the fleet's until then), so a 19:00–07:00 night
   * shift is one window; 'midnight' at local midnight. Only day windows (windowMinutes 1440) move.
   */
  dayBoundary: z.enum(['shift', 'midnight']).default('shift'),
  /** Site time zone in minutes east of UTC for hours of day; default: this machine's. */
  utcOffsetMinutes: z.number().int().min(-840).max(840).optional(),
  /**
   * Days before the current window in which late events (a backlog read after a restart, a
   * delayed log) are still scored, in windows of their own; older ones are counted and shown
   * in the agent's status. 0: every late event is counted only.
   */
  lateEventDays: z.number().min(0).max(14).default(2),
  /** Benign windows of local history before the agent trains its own model. */
  minTrainingWindows: z.number().int().min(20).default(100),
  /** Days after which the own model is trained again on recent history. */
  retrainDays: z.number().min(1).max(365).default(7),
  /** Days of local event history kept for training. */
  retentionDays: z.number().int().min(1).max(400).default(60),
  /** Disk the local event history may use at most (MB); the oldest half goes first. */
  maxHistoryMb: z.number().min(1).max(1_000_000).default(200),
}).strict();
export type ScoringSettings = z.infer<typeof ScoringSettings>;
export type ScoringSettingsInput = z.input<typeof ScoringSettings>;

export function scoringSettings(input: ScoringSettingsInput = {}): ScoringSettings {
  return ScoringSettings.parse(input);
}
