import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.schema';

describe('threat tier and rollout settings', () => {
  it('defaults: elevated at 70 or one high alert, lockdown at 90, a critical or three high', () => {
    const config = parseConfig({}, '/');
    expect(config.threatTiers).toEqual({
      steps: [
        { minScore: 70, alerts: [{ severity: 'high', count: 1 }] },
        {
          minScore: 90,
          alerts: [
            { severity: 'critical', count: 1 },
            { severity: 'high', count: 3 },
          ],
        },
      ],
      scoreWindowMs: 3_600_000,
      coolDownMs: 4 * 3_600_000,
      checkIntervalMs: 60_000,
      unit: { fraction: 0.3, minWorkstations: 2, maxLevel: 1 },
    });
    expect(config.rollout).toEqual({ canaryFraction: 0.1, soakMs: 3_600_000, canaryTimeoutMs: 4 * 3_600_000 });
    const silentOk = parseConfig({ WARDWATCH_ROLLOUT_CANARY_TIMEOUT_MINUTES: '0' }, '/');
    expect(silentOk.rollout.canaryTimeoutMs).toBe(0);
  });

  it('takes off and none', () => {
    const config = parseConfig({ WARDWATCH_TIER_ELEVATED_SCORE: 'off', WARDWATCH_TIER_LOCKDOWN_ALERTS: 'none' }, '/');
    expect(config.threatTiers.steps[0].minScore).toBeNull();
    expect(config.threatTiers.steps[1].alerts).toEqual([]);
  });

  it.each([
    ['WARDWATCH_TIER_ELEVATED_SCORE', '0'],
    ['WARDWATCH_TIER_ELEVATED_SCORE', '101'],
    ['WARDWATCH_TIER_LOCKDOWN_ALERTS', 'severe:1'],
    ['WARDWATCH_TIER_LOCKDOWN_ALERTS', 'high:0'],
    ['WARDWATCH_TIER_LOCKDOWN_ALERTS', 'high'],
    ['WARDWATCH_TIER_UNIT_FRACTION', '1.5'],
    ['WARDWATCH_TIER_UNIT_MAX', 'baseline'],
    ['WARDWATCH_TIER_COOL_DOWN_MINUTES', '0'],
    ['WARDWATCH_ROLLOUT_CANARY_FRACTION', '-0.1'],
    ['WARDWATCH_ROLLOUT_CANARY_TIMEOUT_MINUTES', '-1'],
    ['WARDWATCH_ROLLOUT_CANARY_TIMEOUT_MINUTES', '1.5'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => parseConfig({ [name]: value }, '/')).toThrow(name);
  });

  it('refuses a lockdown score below the elevated one', () => {
    expect(() =>
      parseConfig({ WARDWATCH_TIER_ELEVATED_SCORE: '80', WARDWATCH_TIER_LOCKDOWN_SCORE: '75' }, '/'),
    ).toThrow(ConfigError);
  });
});
