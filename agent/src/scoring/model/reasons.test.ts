// Reason texts must be true of the window they explain: an off-hours logon is named with
// its time, and "outside this user's usual hours" only when it is outside them.
import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT, FEATURE_INDEX, type FeatureWindow } from '@wardwatch/shared';
import { RiskModel } from './risk-model';
import { scoringConfig } from '../../config/scoring-config';

const day = Date.parse('2026-02-01T00:00:00Z');

function offHoursLogonAt(hour: number, minute: number): FeatureWindow {
  const values = new Float64Array(FEATURE_COUNT);
  values[FEATURE_INDEX.offhours_logons] = 1;
  values[FEATURE_INDEX.logons] = 2;
  const at = day + hour * 3_600_000 + minute * 60_000;
  return {
    user: 'nu0039',
    host: 'ws-1',
    hosts: ['ws-1'],
    start: day,
    end: day + 86_400_000,
    values,
    historyWindows: 11,
    role: 'nurse',
    unit: undefined,
    labels: [],
    eventCount: 10,
    firstEventAt: day + 6 * 3_600_000,
    lastEventAt: at + 1,
    usualHours: { from: 6, to: 19 },
    offHoursLogonAt: at,
    utcOffsetMinutes: 0,
  };
}

function logonReason(window: FeatureWindow): string | undefined {
  const model = RiskModel.rulesOnly(scoringConfig());
  return model.reasons(window, model.anomaly(window), []).find((r) => r.feature === 'offhours_logons')?.text;
}

describe('off-hours logon reason', () => {
  it('says "outside" the usual hours only for a logon outside them', () => {
    expect(logonReason(offHoursLogonAt(2, 10))).toBe("logged on at 02:10, outside this user's usual 06:00–19:00");
  });

  it('names a seldom-used hour inside the usual span (a gap between shifts) without calling it outside', () => {
    const text = logonReason(offHoursLogonAt(13, 22));
    expect(text).toBe('logged on at 13:22, an hour this user is seldom active in (usual 06:00–19:00)');
    expect(text).not.toContain('outside');
  });
});
