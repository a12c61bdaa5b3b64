import { DEFAULT_POLICY } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/config.schema';
import { nextLevel, tierForLevel, unitLevel, type RecentAlert } from './tier-levels';

const config = parseConfig({ WARDWATCH_TIER_COOL_DOWN_MINUTES: '60' }, '/').threatTiers;
const MIN = 60_000;
const NOW = 1_000 * MIN;
const alert = (severity: number, ageMin: number, open = true): RecentAlert => ({
  id: `a-${severity}-${ageMin}`,
  severity,
  createdAt: NOW - ageMin * MIN,
  open,
});

describe('threat levels', () => {
  it('counts open alerts at a severity or above; a closed one does not count', () => {
    expect(nextLevel(0, null, { topScore: null, alerts: [alert(4, 1, false)] }, config, NOW)).toBeNull();
    expect(nextLevel(0, null, { topScore: null, alerts: [alert(5, 1)] }, config, NOW)).toMatchObject({ level: 2 });
    const threeHigh = [alert(4, 1), alert(5, 2, false), alert(4, 3), alert(4, 4)];
    expect(nextLevel(0, null, { topScore: null, alerts: threeHigh }, config, NOW)?.level).toBe(2);
    expect(nextLevel(0, null, { topScore: null, alerts: threeHigh.slice(0, 3) }, config, NOW)?.level).toBe(1);
  });

  it('does not fall while an alert (even a closed one) is younger than the cool-down', () => {
    const quiet = { topScore: null, alerts: [alert(2, 30, false)] };
    expect(nextLevel(2, NOW - 120 * MIN, quiet, config, NOW)).toBeNull();
    expect(nextLevel(2, NOW - 120 * MIN, { topScore: null, alerts: [] }, config, NOW)).toMatchObject({
      level: 1,
      cause: { kind: 'cool_down', quietSinceMs: NOW - 120 * MIN },
    });
    // A score that still demands the level holds it.
    const score = { topScore: { score: 95, windowStart: NOW - 5 * MIN }, alerts: [] };
    expect(nextLevel(2, NOW - 120 * MIN, score, config, NOW)).toBeNull();
  });

  it('maps levels onto any number of tiers; a unit needs enough workstations', () => {
    const one = { tiers: DEFAULT_POLICY.tiers.slice(0, 1) };
    expect([0, 1, 2].map((l) => tierForLevel(one, l).id)).toEqual(['baseline', 'baseline', 'baseline']);
    expect([0, 1, 2].map((l) => tierForLevel(DEFAULT_POLICY, l).id)).toEqual(['baseline', 'elevated', 'lockdown']);
    expect(unitLevel([2, 0, 0, 0, 0, 0, 0], config.unit).level).toBe(0);
    expect(unitLevel([2, 2, 1, 0, 0, 0, 0], config.unit)).toEqual({
      level: 1,
      cause: { kind: 'workstations', level: 1, count: 3, of: 7 },
    });
    expect(unitLevel([2, 2, 2], { ...config.unit, maxLevel: 2 }).level).toBe(2);
    expect(unitLevel([2, 2, 2], { ...config.unit, fraction: 0 }).level).toBe(0);
  });
});
