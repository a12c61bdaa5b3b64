// Decides what the overview shows for a range (the repository's aggregates, shaped)
// and a user's, unit's or workstation's risk trend with its forecast. Reads only: nothing is audited,
// as for the other pages that show pseudonyms.
import { Injectable } from '@nestjs/common';
import type { OverviewQuery, OverviewView, RiskTrend, RiskTrendQuery } from '@wardwatch/shared';
import { Clock } from '../common/clock';
import { alertBuckets, attackCoverage, categoryCounts, rangeOf, rankedByAlerts } from './overview-shaping';
import { DAY_MS, OverviewRepository, type DayRisk } from './overview.repository';
import { DEFAULT_HOLT, forecastRisk, INTERVAL_COVERAGE, MIN_FORECAST_DAYS } from './risk-forecast';

/** How many users, workstations, sources and units a list shows. */
export const TOP_N = 10;

@Injectable()
export class OverviewService {
  constructor(
    private readonly overview: OverviewRepository,
    private readonly clock: Clock,
  ) {}

  async summary(query: OverviewQuery): Promise<OverviewView> {
    const { bucketMs, ...range } = rangeOf(query.range, this.clock.now());
    // One after the other: on SQLite the statements share one connection anyway.
    const buckets = await this.overview.alertBuckets(range, bucketMs);
    const users = await this.overview.topUsers(range, TOP_N);
    const workstations = await this.overview.topWorkstations(range, TOP_N);
    const sources = await this.overview.topSources(range, TOP_N);
    const units = await this.overview.riskByUnit(range, TOP_N);
    const categories = await this.overview.eventsByCategory(range);
    const ruleSets = await this.overview.ruleSets(range);
    return {
      range: query.range,
      ...range,
      bucketMs,
      alertsOverTime: alertBuckets(buckets, range, bucketMs),
      topUsers: rankedByAlerts(users),
      topWorkstations: rankedByAlerts(workstations),
      topSources: sources.map((s) => ({ source: s.source, failedLogons: s.n, workstations: s.workstations })),
      riskByUnit: units.map((u) => ({ unit: u.unit, meanScore: u.mean_score, maxScore: u.max_score, windows: u.n })),
      eventsByCategory: categoryCounts(categories),
      attackCoverage: attackCoverage(ruleSets),
    };
  }

  async riskTrend(query: RiskTrendQuery): Promise<RiskTrend> {
    const today = Math.floor(this.clock.now() / DAY_MS);
    const range = { fromMs: (today - query.days + 1) * DAY_MS, toMs: (today + 1) * DAY_MS };
    const rows: DayRisk[] =
      query.kind === 'user'
        ? await this.overview.userDailyRisk(query.id, range)
        : query.kind === 'agent'
          ? await this.overview.agentDailyRisk(query.id, range)
          : await this.overview.unitDailyRisk(query.id, range);
    const history = rows.map((r) => ({ dayMs: r.day * DAY_MS, risk: r.risk }));
    // Days without a scored window are left out rather than read as zero risk: a day off
    // is not a safe day. The forecast runs on the days that were observed.
    const last = rows.length > 0 ? rows[rows.length - 1].day : today;
    const forecast = forecastRisk(
      rows.map((r) => r.risk),
      query.horizon,
    ).map((p) => ({ dayMs: (last + p.step) * DAY_MS, risk: p.value, low: p.low, high: p.high }));
    return {
      kind: query.kind,
      id: query.id,
      history,
      forecast,
      method: `Holt's linear exponential smoothing (α ${DEFAULT_HOLT.alpha}, β ${DEFAULT_HOLT.beta}) of daily mean risk; ${Math.round(INTERVAL_COVERAGE * 100)} % interval from one-step residuals`,
      minDays: MIN_FORECAST_DAYS,
    };
  }
}
