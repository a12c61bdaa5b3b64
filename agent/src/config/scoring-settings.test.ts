import { describe, expect, it } from 'vitest';
import { AgentConfigFile } from './config.schema';
import { ScoringSettings } from './scoring-settings';

const minimal = { manager: { address: 'm:50051', caFingerprint: `sha256:${'a'.repeat(64)}` }, dataDir: '/tmp/x' };

describe('the scoring section of the agent config', () => {
  it('is optional: an existing config gets scoring on with the site defaults', () => {
    const scoring = AgentConfigFile.parse(minimal).scoring;
    expect(scoring).toMatchObject({
      enabled: true,
      alertThreshold: 60,
      windowMinutes: 1_440,
      dayBoundary: 'shift',
      minTrainingWindows: 100,
      retentionDays: 60,
    });
    expect(scoring.ruleFloors).toEqual({ low: 30, medium: 65, high: 80, critical: 92 });
    expect(scoring.rulesDir).toBeUndefined();
  });

  it('takes site thresholds and refuses unknown keys and out-of-range values', () => {
    expect(
      AgentConfigFile.parse({ ...minimal, scoring: { enabled: false, alertThreshold: 75, windowMinutes: 60 } }).scoring,
    ).toMatchObject({ enabled: false, alertThreshold: 75, windowMinutes: 60 });
    expect(ScoringSettings.safeParse({ treshold: 50 }).success).toBe(false);
    expect(ScoringSettings.safeParse({ alertThreshold: 101 }).success).toBe(false);
    expect(ScoringSettings.parse({ dayBoundary: 'midnight' }).dayBoundary).toBe('midnight');
    expect(ScoringSettings.safeParse({ dayBoundary: 'noon' }).success).toBe(false);
  });
});
