import type { PolicyRolloutView } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { canaryCounts, promoteReason, rolloutActions, rolloutStateText } from './rollout-display';

const rollout: PolicyRolloutView = {
  version: 3,
  fromVersion: 2,
  state: 'halted',
  canaries: [
    { agentId: 'a', status: 'ok', problems: [] },
    { agentId: 'b', status: 'failed', problems: ['usb: not enforced'] },
    { agentId: 'c', status: 'waiting', problems: [] },
  ],
  startedAt: 1,
  canariesOkAt: null,
  soakEndsAt: null,
  canaryDeadlineAt: null,
  haltReason: 'canary b failed',
  updatedAt: 2,
  updatedBy: 'admin',
};

describe('rollout display', () => {
  it('offers resume, promote and abort only while the manager allows them', () => {
    expect(rolloutActions(rollout)).toEqual(['resume', 'promote', 'abort']);
    expect(rolloutActions({ ...rollout, state: 'canary' })).toEqual(['promote', 'abort']);
    expect(rolloutActions({ ...rollout, state: 'complete' })).toEqual([]);
    expect(rolloutActions({ ...rollout, state: 'aborted' })).toEqual([]);
  });

  it('takes a promotion reason of 1 to 500 characters, trimmed', () => {
    expect(promoteReason('  ward 3 needs the lock now ')).toBe('ward 3 needs the lock now');
    expect(promoteReason('   ')).toBeNull();
    expect(promoteReason('x'.repeat(501))).toBeNull();
  });

  it('counts canaries by status and says what a state means', () => {
    expect(canaryCounts(rollout)).toEqual({ ok: 1, waiting: 1, failed: 1 });
    expect(rolloutStateText('halted')).toMatch(/^Halted: a canary failed/);
  });
});
