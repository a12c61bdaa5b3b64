import { describe, expect, it } from 'vitest';
import { formatReport, formatSeedSummary } from './evaluate';
import type { Evaluation, ScenarioFigures, VariantFigures } from './run-evaluation';

const scenario = (name: ScenarioFigures['scenario'], recallAt1: number, detectedIncidents = 3): ScenarioFigures => ({
  scenario: name,
  userDays: 3,
  recallAt1,
  recallAt5: 1,
  alertedAtDefault: 3,
  incidents: 3,
  detectedIncidents,
  delaysHours: [1, 2, 3],
  topReason: '',
});

const variant = (name: VariantFigures['variant'], scenarios: ScenarioFigures[]): VariantFigures => ({
  variant: name,
  auc: 0.99912,
  recallAt1: 0.982,
  recallAt5: 1,
  threshold1: 58,
  threshold5: 40,
  benignUserDays: 1362,
  attackUserDays: 109,
  benignAlertsPer1000: 8.08,
  alertsPer1000: 80,
  recallAtDefault: 0.98,
  scenarios,
  fairness: { byRole: new Map(), largestRatio: 1 },
  benignByWeek: new Map([['week 1', { n: 700, hits: 5, rate: 5 / 700 }]]),
  seconds: 3,
});

const evaluation = (seed: number, variants: VariantFigures[]): Evaluation => ({
  options: {
    days: 60,
    users: 120,
    seed,
    repeat: 3,
    difficulty: 'hard',
    windowMinutes: 1440,
    dayBoundary: 'shift',
    retrainDays: 7,
    epochs: 25,
    settings: {},
    variants: variants.map((v) => v.variant),
  },
  simulation: { injected: [], attackFrom: 0, events: 0 },
  variants,
});

describe('formatSeedSummary', () => {
  it('gives one line per seed from the combined variant, naming every scenario below 70 %, then pooled recall', () => {
    const text = formatSeedSummary([
      evaluation(2, [
        variant('combined_no_model', [scenario('slow_exfiltration', 0)]),
        variant('combined', [scenario('slow_exfiltration', 2 / 3, 2), scenario('ehr_snooping', 0.7)]),
      ]),
      evaluation(3, [variant('combined', [scenario('ehr_snooping', 1)])]),
    ]);
    const lines = text.split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(/seed 2 .*0\.9991 .*98\.2 % \/ 100\.0 % .*8\.1 .*slow_exfiltration 66\.7 % \(2\/3\)$/);
    expect(lines[1]).not.toContain('ehr_snooping');
    // The ablation: recall at 1 % FPR of combined_no_model beside combined's; absent when not run.
    expect(lines[1]).toMatch(/8\.1 +98\.2 % +slow/);
    expect(lines[2]).toMatch(/seed 3 .*–.*none$/);
    // Pooled: ehr_snooping 70 % of 3 days (2) on seed 2 and 3 of 3 on seed 3, with 95 % Wilson intervals.
    expect(lines[3]).toBe(
      "pooled over seeds 2,3 (combined, each seed's 1 % FPR threshold; 95 % interval): slow_exfiltration 2/3 (21–94 %), ehr_snooping 5/6 (44–97 %)",
    );
    // Cases alerted on at the default: 2 of seed 2's 3 slow_exfiltration cases; 3 and 3 of ehr_snooping's.
    expect(lines[4]).toBe(
      'pooled, cases alerted on at the default threshold (combined): slow_exfiltration 2/3 (21–94 %), ehr_snooping 6/6 (61–100 %)',
    );
    // The ablation pooled: only seed 2 ran combined_no_model.
    expect(lines[5]).toBe('pooled, combined_no_model: slow_exfiltration 0/3 (0–56 %)');
  });
});

describe('formatReport', () => {
  it('gives benign alerts per scored week and how often the model learned again', () => {
    const text = formatReport(evaluation(2, [variant('combined', [scenario('ehr_snooping', 1)])]));
    expect(text).toContain(
      'benign alerts per 1,000 user-days by scored week (retrained every 7 days): week 1 7.1 (700)',
    );
  });
});
