import { ruleTechniques } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { alertBuckets, attackCoverage, categoryCounts, rangeOf, rankedByAlerts } from './overview-shaping';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('overview shaping', () => {
  it('aligns a range to whole buckets ending with the current one', () => {
    const now = Date.UTC(2026, 11, 2, 10, 30);
    expect(rangeOf('24h', now)).toEqual({
      fromMs: Date.UTC(2026, 11, 1, 11),
      toMs: Date.UTC(2026, 11, 2, 11),
      bucketMs: HOUR,
    });
    expect(rangeOf('7d', now)).toEqual({ fromMs: Date.UTC(2026, 10, 26), toMs: Date.UTC(2026, 11, 3), bucketMs: DAY });
  });

  it('gives every bucket of the range with every severity, the rows filled in', () => {
    const range = { fromMs: 10 * HOUR, toMs: 13 * HOUR };
    const buckets = alertBuckets(
      [
        { bucket: 11, severity: 4, n: 3 },
        { bucket: 11, severity: 5, n: 1 },
        { bucket: 12, severity: 9, n: 2 },
      ],
      range,
      HOUR,
    );
    expect(buckets.map((b) => b.startMs)).toEqual([10 * HOUR, 11 * HOUR, 12 * HOUR]);
    expect(buckets[0].counts).toEqual({ unspecified: 0, info: 0, low: 0, medium: 0, high: 0, critical: 0 });
    expect(buckets[1].counts).toMatchObject({ high: 3, critical: 1 });
    // An unknown severity level counts as unspecified, never lost.
    expect(buckets[2].counts.unspecified).toBe(2);
  });

  it('names a workstation by its host name, or its id when the agent row is gone', () => {
    expect(
      rankedByAlerts([
        { key: 'a1', label: 'ward3-ws12', n: 4, max_score: 91 },
        { key: 'a2', label: null, n: 1, max_score: 40 },
      ]),
    ).toEqual([
      { key: 'a1', label: 'ward3-ws12', alerts: 4, maxScore: 91 },
      { key: 'a2', label: 'a2', alerts: 1, maxScore: 40 },
    ]);
  });

  it('lists every category, zero when none was stored', () => {
    expect(categoryCounts([{ category: 'login', n: 7 }])).toEqual([
      { category: 'file', events: 0 },
      { category: 'login', events: 7 },
      { category: 'process', events: 0 },
      { category: 'device', events: 0 },
      { category: 'network', events: 0 },
    ]);
  });

  it('covers every shipped rule technique once and counts an alert once per technique', () => {
    const coverage = attackCoverage([
      // Two rules with the same technique (T1486) on one alert: one alert for T1486.
      { rule_ids: '["ransomware-burst","mass-rename"]', n: 2 },
      { rule_ids: '["brute-force"]', n: 5 },
      { rule_ids: 'not json', n: 9 },
      { rule_ids: '["no-such-rule"]', n: 4 },
    ]);
    const ids = new Set(Object.values(ruleTechniques).flatMap((ts) => ts.map((t) => t.id)));
    expect(coverage.map((c) => c.id)).toEqual([...ids].sort());
    const byId = new Map(coverage.map((c) => [c.id, c]));
    expect(byId.get('T1486')).toMatchObject({
      alerts: 2,
      rules: ['encrypted-write-burst', 'mass-rename', 'ransomware-burst'],
    });
    expect(byId.get('T1110.001')?.alerts).toBe(5);
    expect(byId.get('T1490')?.alerts).toBe(0);
  });
});
