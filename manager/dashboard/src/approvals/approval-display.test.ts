import type { ApprovalView } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import {
  actionText,
  approveRefusal,
  expiryText,
  outcomeText,
  pendingCountText,
  progressText,
} from './approval-display';

const view = (overrides: Partial<ApprovalView> = {}): ApprovalView => ({
  id: 'a1',
  summary: 'Block removable media',
  state: 'pending',
  createdAt: 0,
  expiresAt: 600_000,
  alertId: null,
  playbookId: 'usb',
  playbookVersion: 1,
  twoPersonReason: 'bulk action',
  approvalsRequired: 2,
  requestedBy: 'carl',
  targets: [],
  approvals: [{ by: 'ana', at: 1, comment: '' }],
  rejection: null,
  issueState: 'not_issued',
  commandIds: [],
  issueError: null,
  ...overrides,
});

describe('approval display', () => {
  it('counts the pending ones, saying which page when there are several', () => {
    expect(pendingCountText(3, 1, false)).toBe('3 pending');
    expect(pendingCountText(20, 1, true)).toBe('20 pending on page 1, more on the next');
    expect(pendingCountText(5, 2, false)).toBe('5 pending on page 2');
  });

  it('says how many approvals it has of how many', () => {
    expect(progressText(view())).toBe('1 of 2 approvals');
    expect(progressText(view({ approvals: [], approvalsRequired: 1 }))).toBe('0 of 1 approval');
  });

  it('counts down to the expiry', () => {
    expect(expiryText(600_000, 0)).toBe('expires in 10 min 00 s');
    expect(expiryText(600_000, 594_500)).toBe('expires in 5 s');
    expect(expiryText(2 * 3_600_000 + 65_000, 0)).toBe('expires in 2 h 01 min');
    expect(expiryText(600_000, 600_000)).toBe('expired');
  });

  it('names actions plainly and keeps an unknown one as it came', () => {
    expect(actionText('blockRemovable', false)).toBe('block removable media');
    expect(actionText('killProcessTree', true)).toBe('kill process tree (dry run)');
    expect(actionText('<b>x</b>', false)).toBe('<b>x</b>');
  });

  it('says why a user may not approve: role, own approval, own request', () => {
    expect(approveRefusal(view(), { username: 'olivia', role: 'privacy_officer' })).toMatch(/role/);
    expect(approveRefusal(view(), { username: 'ana', role: 'analyst' })).toMatch(/second person/);
    expect(approveRefusal(view(), { username: 'carl', role: 'admin' })).toMatch(/two other people/);
    expect(approveRefusal(view(), { username: 'bob', role: 'analyst' })).toBeUndefined();
    expect(approveRefusal(view({ approvalsRequired: 1, approvals: [] }), { username: 'carl', role: 'admin' })).toBe(
      undefined,
    );
  });

  it('sums up a decided proposal', () => {
    const approvals = [
      { by: 'ana', at: 1, comment: '' },
      { by: 'bob', at: 2, comment: '' },
    ];
    expect(outcomeText(view({ state: 'approved', approvals, issueState: 'issued', commandIds: ['c1', 'c2'] }))).toBe(
      'approved by ana and bob; 2 commands issued',
    );
    expect(outcomeText(view({ state: 'approved', approvals, issueState: 'failed', issueError: 'not available' }))).toBe(
      'approved by ana and bob; issuing failed after 0 commands: not available',
    );
    expect(outcomeText(view({ state: 'rejected', rejection: { by: 'bob', at: 3, comment: 'rota' } }))).toBe(
      'rejected by bob: rota',
    );
    expect(outcomeText(view({ state: 'expired' }))).toBe('expired undecided');
  });
});
