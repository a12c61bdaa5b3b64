// The analyst's overview (manager/src/overview/, dashboard #/overview): counts over a
// time range, every list bounded (top N), every name a pseudonym token as elsewhere;
// and the risk trend of one user or unit with its forecast.
import { z } from 'zod';
import { EventCategory, SeverityName } from './v1.schema';

export const overviewRanges = ['24h', '7d', '30d'] as const;
export const OverviewRange = z.enum(overviewRanges);
export type OverviewRange = z.infer<typeof OverviewRange>;

export const OverviewQuery = z.object({ range: OverviewRange.default('24h') });
export type OverviewQuery = z.infer<typeof OverviewQuery>;

/** One time bucket (an hour for 24 h, a day otherwise) with its alerts by severity. */
export const AlertBucket = z.object({
  startMs: z.number().int(),
  counts: z.record(SeverityName, z.number().int()),
});
export type AlertBucket = z.infer<typeof AlertBucket>;

/** A user or workstation ranked by its alerts in the range. */
export const RankedByAlerts = z.object({
  key: z.string(),
  /** Workstation: its host name; user: the token again. */
  label: z.string(),
  alerts: z.number().int(),
  maxScore: z.number(),
});
export type RankedByAlerts = z.infer<typeof RankedByAlerts>;

/** A logon source (`ip_…` / `h_…` token) ranked by failed logons in the range. */
export const RankedSource = z.object({
  source: z.string(),
  failedLogons: z.number().int(),
  workstations: z.number().int(),
});
export type RankedSource = z.infer<typeof RankedSource>;

/** Risk of one unit (the agents' `unit` label; `(none)` for agents without one) over the range. */
export const UnitRisk = z.object({
  unit: z.string(),
  meanScore: z.number(),
  maxScore: z.number(),
  windows: z.number().int(),
});
export type UnitRisk = z.infer<typeof UnitRisk>;

export const CategoryCount = z.object({ category: EventCategory, events: z.number().int() });
export type CategoryCount = z.infer<typeof CategoryCount>;

/** One ATT&CK technique a shipped rule detects, and how many alerts in the range it was behind. */
export const TechniqueCoverage = z.object({
  id: z.string(),
  name: z.string(),
  tactic: z.string(),
  rules: z.array(z.string()),
  alerts: z.number().int(),
});
export type TechniqueCoverage = z.infer<typeof TechniqueCoverage>;

export const OverviewView = z.object({
  range: OverviewRange,
  fromMs: z.number().int(),
  toMs: z.number().int(),
  bucketMs: z.number().int(),
  alertsOverTime: z.array(AlertBucket),
  topUsers: z.array(RankedByAlerts),
  topWorkstations: z.array(RankedByAlerts),
  topSources: z.array(RankedSource),
  riskByUnit: z.array(UnitRisk),
  eventsByCategory: z.array(CategoryCount),
  attackCoverage: z.array(TechniqueCoverage),
});
export type OverviewView = z.infer<typeof OverviewView>;

export const RiskSubjectKind = z.enum(['user', 'unit', 'agent']);
export type RiskSubjectKind = z.infer<typeof RiskSubjectKind>;

export const RiskTrendQuery = z.object({
  kind: RiskSubjectKind,
  /** A user token, a unit label ('' for the workstations without one), or an agent id. */
  id: z.string().max(256),
  days: z.coerce.number().int().min(7).max(90).default(30),
  horizon: z.coerce.number().int().min(1).max(14).default(7),
});
export type RiskTrendQuery = z.infer<typeof RiskTrendQuery>;

export const RiskDay = z.object({ dayMs: z.number().int(), risk: z.number() });
export type RiskDay = z.infer<typeof RiskDay>;

export const ForecastDay = z.object({
  dayMs: z.number().int(),
  risk: z.number(),
  low: z.number(),
  high: z.number(),
});
export type ForecastDay = z.infer<typeof ForecastDay>;

/**
 * Daily risk (the mean of the day's scored windows, 0–100) and Holt's forecast with an
 * 80 % prediction interval from the one-step residuals; `forecast` is empty when fewer
 * than `minDays` days had scores (nothing honest to say then).
 */
export const RiskTrend = z.object({
  kind: RiskSubjectKind,
  id: z.string(),
  history: z.array(RiskDay),
  forecast: z.array(ForecastDay),
  method: z.string(),
  minDays: z.number().int(),
});
export type RiskTrend = z.infer<typeof RiskTrend>;
