// Pure shaping of the repository's rows into the REST view: every bucket of the range
// present (a quiet hour shows as zero, not as a gap), every severity and category
// present, rule-id sets turned into ATT&CK technique counts.
import {
  eventCategories,
  ruleTechniques,
  severityNames,
  type AlertBucket,
  type CategoryCount,
  type OverviewRange,
  type RankedByAlerts,
  type SeverityName,
  type TechniqueCoverage,
} from '@wardwatch/shared';
import { severityName } from '../common/severity';
import type { BucketCount, CategoryCountRow, RankCount, RuleSetCount, TimeRange } from './overview.repository';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const rangeSpans: Record<OverviewRange, { spanMs: number; bucketMs: number }> = {
  '24h': { spanMs: DAY_MS, bucketMs: HOUR_MS },
  '7d': { spanMs: 7 * DAY_MS, bucketMs: DAY_MS },
  '30d': { spanMs: 30 * DAY_MS, bucketMs: DAY_MS },
};

/** The range ending at the end of the current bucket, its start aligned to a bucket. */
export function rangeOf(range: OverviewRange, nowMs: number): TimeRange & { bucketMs: number } {
  const { spanMs, bucketMs } = rangeSpans[range];
  const toMs = (Math.floor(nowMs / bucketMs) + 1) * bucketMs;
  return { fromMs: toMs - spanMs, toMs, bucketMs };
}

const zeroCounts = (): Record<SeverityName, number> =>
  Object.fromEntries(severityNames.map((s) => [s, 0])) as Record<SeverityName, number>;

export function alertBuckets(rows: readonly BucketCount[], range: TimeRange, bucketMs: number): AlertBucket[] {
  const buckets: AlertBucket[] = [];
  for (let start = range.fromMs; start < range.toMs; start += bucketMs)
    buckets.push({ startMs: start, counts: zeroCounts() });
  for (const row of rows) {
    const index = (row.bucket * bucketMs - range.fromMs) / bucketMs;
    const bucket = buckets[index];
    if (bucket) bucket.counts[severityName(row.severity)] += row.n;
  }
  return buckets;
}

export function rankedByAlerts(rows: readonly RankCount[]): RankedByAlerts[] {
  return rows.map((r) => ({ key: r.key, label: r.label ?? r.key, alerts: r.n, maxScore: r.max_score }));
}

/** Every category, in the schema's order, zero when none was stored. */
export function categoryCounts(rows: readonly CategoryCountRow[]): CategoryCount[] {
  const byCategory = new Map(rows.map((r) => [r.category, r.n]));
  return eventCategories.map((category) => ({ category, events: byCategory.get(category) ?? 0 }));
}

/** Every technique a shipped rule detects (ATT&CK id order) and the alerts its rules were behind. */
export function attackCoverage(ruleSets: readonly RuleSetCount[]): TechniqueCoverage[] {
  const byTechnique = new Map<string, TechniqueCoverage>();
  for (const [ruleId, techniques] of Object.entries(ruleTechniques)) {
    for (const t of techniques) {
      const entry = byTechnique.get(t.id) ?? { ...t, rules: [], alerts: 0 };
      entry.rules.push(ruleId);
      byTechnique.set(t.id, entry);
    }
  }
  // An alert whose rules share a technique counts once for it.
  for (const set of ruleSets) {
    const ids = new Set(parseRuleIds(set.rule_ids));
    for (const entry of byTechnique.values()) if (entry.rules.some((r) => ids.has(r))) entry.alerts += set.n;
  }
  return [...byTechnique.values()].sort((a, b) => a.id.localeCompare(b.id));
}

function parseRuleIds(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
